"""Project component: PROJECT spans anchored on the words that introduce them.

A project name follows a trigger ("dự án", "công trình", "Dự án:") or is a
programme that names itself ("Chương trình MTQG ...", "CTMTQG ...",
"CT MTQG ..."), and lists of projects go on after ";" or "," ("Khu đô thị mới
Bến Bắc; Điều chỉnh, mở rộng khu đô thị ..."). Names are long, hold commas
and place names ("Khách sạn, sân golf Hoàng Đồng - Lạng Sơn"), and end
where the report goes on ("... năm 2024", "... trên địa bàn huyện",
"... (thực hiện ...)"), which is what a tagger trained on five reports
misses most. So, like the indicators, projects are found from an anchor:
at each anchor a linear ranker (logistic regression on feature differences)
chooses where the name ends, or that there is no project there. It learns the
words that end names (and those that mark a generic "dự án"), not the names.

A chosen span replaces the entities it overlaps (a commune inside a project
name is part of the name, as the guide annotates it); MONEY and PERCENT are
never crossed. NER projects away from any anchor stay (``keep_ner_spans``).
Weights are JSON.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example

from vnreport_ie.pipeline.anchored import NONE, AnchoredSpanFinder
from vnreport_ie.pipeline.linear import bucket
from vnreport_ie.pipeline.patterns import UPPER, past_abbreviation
from vnreport_ie.text.numbers import FOOTNOTE_MARKERS
from vnreport_ie.text.tokenizer import doc_text

NAME = "vnreport_projects"
NOT_LETTER_BEFORE = r"(?<![^\W\d_])"
# "dự án X", "công trình: X", "Dự án “X”": the name starts after the trigger
# ("Dự án mang tên: X", "công trình có tên “X”": the name starts after "mang tên" / "có tên")
TRIGGER = re.compile(
    rf"{NOT_LETTER_BEFORE}(?:[Dd]ự\s+án|[Cc]ông\s+trình|DỰ\s+ÁN)(?:[ \t]+(?:mang|có)[ \t]+tên)?[ \t]*[:“\"]?[ \t]*"
)
# a programme names itself: the span starts at the word
# (not a document: "Chương trình số 15/CTr-UBND", "Chương trình hành động số 74-CTr/TU", "Chương trình công tác năm",
# a council's "chương trình giám sát 6 tháng cuối năm", "chương trình làm việc", "chương trình kỳ họp")
DOCUMENT_AFTER_PROGRAMME = r"\s+(?:(?:hành\s+động|công\s+tác|giám\s+sát|làm\s+việc|kỳ\s+họp)\b|số\s+\d)"
PROGRAMME = re.compile(
    rf"{NOT_LETTER_BEFORE}(?:[Cc]hương\s+trình|CTMTQG|CT\s+MTQG)(?![^\W\d_])(?!{DOCUMENT_AFTER_PROGRAMME})"
)
PROGRAMME_NUMBER = re.compile(r"\d{2,4}")  # "Chương trình 135", "30a", "167" (not a dated "số 15/CTr")
PROGRAMME_DOCUMENT = re.compile(rf"[Cc]hương\s+trình{DOCUMENT_AFTER_PROGRAMME}")  # the NER's are dropped too
# where a list of projects goes on after a name: "...; Next name" / "..., next name"
LIST_SEPARATORS = (";", ",")
LIST_LOOKAHEAD = 8  # tokens after a name within which the separator may come ("Cầu Bản Dù, xã Vân Thủy; Cầu ...")
# a list of named works after "cụ thể:", "gồm:", "như:" ("03 cầu cụ thể: Cầu Nà Ké, xã Quan Sơn; Cầu ...")
LIST_INTRODUCTION = re.compile(r"(?i)(?<![^\W\d_])(?:cụ\s+thể|gồm|bao\s+gồm|như)\s*:[ \t]*[“\"*]*[ \t]*(?=[^\W\d_])")
COUNTED_WORKS_WINDOW = 6  # tokens before "cụ thể:" in which the counted works are named ("07 cầu, ngầm tràn dân sinh")
# the nouns that name a construction work: a list item or a name starting with one is likely a project
# ("cụ thể: Cầu Nà Ké, xã Quan Sơn; Cầu Đông Seng ...", "Trụ sở làm việc Công an tỉnh; Nút giao thông số 7A")
WORK_NOUNS = frozenset({
    "cầu", "đường", "tuyến đường", "trường", "nhà văn hóa", "nhà văn hoá", "trạm y tế", "chợ", "khu", "cụm",
    "công viên", "nghĩa trang", "di tích", "trụ sở", "nút giao thông", "sân", "hồ", "đập", "kênh", "kè",
    "bệnh viện", "trung tâm", "cải tạo", "nâng cấp", "xây dựng", "sửa chữa", "tu bổ", "hạ tầng",
})
# the nouns that open the name of one built work ("chợ Ba Đồn", "Trường Mầm non Sao Mai", "Mầm non Hoa Anh Đào")
NAMED_WORK_NOUNS = frozenset({
    "cầu", "đường", "tuyến đường", "trường", "điểm trường", "nhà văn hóa", "nhà văn hoá", "trạm y tế", "trạm", "chợ",
    "khu tái định cư", "cụm công nghiệp", "công viên", "nghĩa trang", "trụ sở", "nút giao thông", "hồ", "đập",
    "kênh", "kè", "bệnh viện", "nhà lớp học", "khu nhà", "mầm non", "tiểu học", "thcs", "thpt", "hồ chứa",
    "tượng đài", "nhà máy", "khu di tích", "sân vận động", "nhà thi đấu", "nhà rông", "nhà sinh hoạt", "bến nước",
    "đê", "cống", "tyt", "cao tốc", "quảng trường", "nhà thiếu nhi", "nhà bán trú", "ký túc xá", "nhà đa năng",
})


def any_of(words: frozenset[str]) -> str:
    """A pattern for any of ``words`` as whole words, longest first, spaces matching any white space."""
    return "|".join(sorted((re.escape(w).replace("\\ ", r"\s+") for w in words), key=len, reverse=True))


ALL_WORK_NOUNS = NAMED_WORK_NOUNS | WORK_NOUNS
# any work noun in a name (the test of an NER name away from the anchors)
ANY_WORK_NOUN = re.compile(rf"(?i)(?<![^\W\d_])(?:{any_of(ALL_WORK_NOUNS)})(?![^\W\d_])")
WORK_NAME_REACH = 3  # tokens after a work noun within which its proper name starts
# the same in the text: a work noun and the few words after it (the test before reading a Doc)
NAMED_WORK = re.compile(rf"(?<![^\W\d_])(?i:{any_of(NAMED_WORK_NOUNS)})(?![^\W\d_])(?P<after>(?:\s+\S+){{1,4}})")
# a work noun after these is plural or generic ("các trường", "những cây cầu", "mỗi xã một chợ")
GENERIC_BEFORE = {"các", "những", "mỗi", "một số", "nhiều", "mọi", "từng"}
CLASSIFIERS = {"cây", "chiếc", "ngôi", "con"}  # between a count and the noun: "2 cây cầu", "những ngôi trường"
COUNT = re.compile(r"[\d.,]*\d")  # "03", "1.200" (a number ends with a digit: "5.1," is a date, then a comma)
# ... and after a place's unit word, part of the place's name ("huyện Chợ Mới", "xã Hồ Bốn")
PLACE_BEFORE = {"xã", "phường", "thị trấn", "huyện", "quận", "thị xã", "thành phố", "tp", "tỉnh", "tp.", "thôn", "ấp"}
PLACE_BEFORE |= {"ông", "bà", "anh", "chị", "cụ"}  # ... and after a person's title, a person's name ("ông Hồ Lào")
# words that start with a work noun's syllable and name no work ("hồ sơ", "trường hợp", "đường lối")
NOT_A_WORK = re.compile(
    r"(?i)(?:hồ\s+sơ|trường\s+hợp|đường\s+lối|đường\s+[sx]á|kênh\s+rạch|chợ\s+búa|cầu\s+thủ|cầu\s+nối|"
    r"trạm\s+trộn|khu\s+vực|cụm\s+từ|cống\s+hiến|đê\s+điều)(?![^\W\d_])"
)
# works counted and then named ("02 trường là ", "Bốn hồ được sửa là ", "3 cây cầu gồm: "): a capitalised name follows
COUNTED_WORKS_NAMED = re.compile(
    rf"(?<![^\W\d_])(?:\d+|[Hh]ai|[Bb]a|[Bb]ốn|[Nn]ăm|[Ss]áu|[Bb]ảy|[Tt]ám|[Cc]hín|[Mm]ười)\s+(?:cây\s+)?"
    rf"(?i:{any_of(NAMED_WORK_NOUNS | {'công trình'})})(?![^\W\d_])(?:[ \t]+[^\W\d_]+){{0,4}}?[ \t]+"
    rf"(?:là|gồm(?:[ \t]+có)?|bao[ \t]+gồm)[ \t]*:?[ \t]*(?=[{UPPER}])"
)
# the national target programmes and the recovery programme, as reports name them (any province)
NATIONAL_PROGRAMME = re.compile(
    r"(?i)mục\s+tiêu\s+quốc\s+gia|MTQG|nông\s+thôn\s+mới|\bNTM\b|giảm\s+nghèo|mỗi\s+xã\s+một\s+sản\s+phẩm|OCOP|"
    r"phục\s+hồi|đồng\s+bào\s+dân\s+tộc|ĐBDTTS|PTKTXH|"
    r"(?<![\w.,])(?:135|134|30a|229)(?![\w.,])"  # the national programmes known by their number
)
# words no name ends with ("cầu giao thông nông thôn số 65 [của]"): none of the annotated names does
NEVER_LAST = {"của", "và", "cho", "với", "là", "các", "những", "để", "tại"}
# a time after "vào" is when something happened, not where a work goes ("Trường Mẫu giáo Xà Phiên 2 [vào] sáng
# ngày 6-8"; "đường vào nghĩa trang thôn 3" is a name)
TIME_AFTER_VAO = {"sáng", "chiều", "tối", "trưa", "ngày", "tháng", "năm", "quý", "dịp", "cuối", "đầu", "giữa", "lúc"}
OPENING_QUOTES, CLOSING_QUOTES = {"“", '"'}, {"”", '"'}
NAME_JOINERS = {"-", "–", "với", "và"}  # between two capitalised parts of a name, or between two names
COMMUNE_UNIT_WORDS = frozenset(("xã", "phường", "thị trấn"))
COMMUNE_HINTS = {"B-COMMUNE", "I-COMMUNE", "GAZETTEER"}  # lexical hints of a commune name
PLACE_WORDS = COMMUNE_UNIT_WORDS | {"huyện", "tỉnh", "thành phố", "quận", "thị xã"}
# what the guide leaves after a name: a place after "tại", "ở", "thuộc", "trên địa bàn"; phases and periods
# ("giai đoạn 2021-2025", "năm 2024"); and "với" (what follows is the project's figures or partners)
AFTER_NAME_WORDS = {"tại", "ở", "thuộc", "trên địa bàn", "giai đoạn", "với"}
AFTER_NAME_WORDS |= {"theo"}  # ... and the standard or way it follows ("Chương trình xây dựng NTM [theo] chuẩn nâng cao")
# where the sentence goes on after a name that is its subject ("Kè chống sạt lở chợ Rạch Cam [vẫn] đang ...",
# "Văn phòng Điều phối Chương trình MTQG xây dựng NTM tỉnh [cho biết]"): no gold name holds them
PREDICATE_WORDS = {"mà", "vẫn", "đang", "đã", "sẽ", "cho biết", "từng bước", "nhưng", "nên", "hiện nay", "bị"}
# ... nor the passive, a benefit or the work's size and make-up ("Kè sông Gò Chàm [dài] 650m [được] đầu tư",
# "Nhà văn hóa xã Tân Long [có quy mô] 01 tầng", "... [mang lại] lợi ích", "Khu Hội trường [rộng] 94,3 m2")
PREDICATE_WORDS |= {"được", "mang lại", "dài", "rộng", "có quy mô", "quy mô", "gồm", "bao gồm", "mang tên"}
# ... nor a purpose, an opening or a comparison ("Trường Mầm non Sơn Ca [để] đáp ứng ...", "Chợ Mai Phụ [khai
# trương]", "... [so] với cùng kỳ")
PREDICATE_WORDS |= {"để", "nhằm", "khai trương", "khánh thành", "so", "so với"}
# ... nor where it lies, its roll-out or its aim ("Nhà thiếu nhi thị xã Dĩ An [nằm] trên khu đất 14.151m2",
# "Chương trình Giảm nghèo khu vực Tây Nguyên [triển khai] ...", "Chương trình MTQG ... [nhắm tới] ...")
PREDICATE_WORDS |= {"nằm", "triển khai", "nhắm tới", "hướng tới"}
PREDICATE_WORDS |= {"có", "là"}  # ... nor what it has or is ("Nhà văn hóa [có] diện tích xây dựng 380m2")
PREDICATE_WORDS |= {"do"}  # ... nor who carries it out ("“Thắp sáng đường quê”, [do] Huyện đoàn ...")
# ... nor the adverbs, the negation and the demonstrative a sentence goes on with ("Trường THCS Lộc Vĩnh, [cũng]
# ...", "công trình [này]", "dự án [không] dùng đồng vốn xã hội hóa nào"): no annotated name holds them
PREDICATE_WORDS |= {"cũng", "đều", "còn", "thì", "vừa", "này", "một cách", "không"}
PLACE_BRACKET_WORDS = frozenset(PLACE_WORDS | {"tp", "tp.", "tx", "tx.", "quận", "thị xã", "thôn", "ấp"})
# words that report a work funded, built, started or opened, looked for in the BUILD_WINDOW tokens before an anchor
BUILD_WORDS = frozenset({
    "xây dựng", "xây", "xây mới", "khởi công", "khánh thành", "đầu tư", "nâng cấp", "sửa chữa", "cải tạo",
    "hoàn thành", "bàn giao", "thi công", "khánh", "thành", "đưa vào sử dụng", "hỗ trợ", "tu bổ", "mở rộng",
    "dựng", "làm", "kinh phí", "vốn", "giải ngân", "phê duyệt",
})
BUILD_WINDOW = 8
# a named work is read by the guide's rule (:meth:`ProjectFinder.guide_work_end`) instead of the ranker when the
# training text holds fewer gold names started by a work noun than this: report text names few works without
# "dự án" / "công trình" (the five Lạng Sơn reports: a handful), news and bulletins name many, and a ranker
# that saw a handful learns to pass every work noun over
MIN_LEARNED_WORKS = 40
GUIDE_READING = "guide"
WORK_LEAD_REACH = 6  # lower-case words between the work noun and its proper name ("cầu [liên xã] Hưng Lễ")
# words of a school's or a clinic's kind, not of its name ("Trường [Phổ thông] Nội trú", "Trạm [Y tế]")
KIND_OF_WORK_WORDS = frozenset({
    "mầm non", "mẫu giáo", "tiểu học", "thcs", "thpt", "trung học", "cơ sở", "phổ thông", "ptdt", "ptdtbt", "dtnt",
    "dân tộc", "nội trú", "bán trú", "liên cấp", "y tế", "văn hóa", "văn hoá", "đa khoa", "trung tâm", "nhà",
})
YEAR = re.compile(r"\d{4}")
# a footnote that lists the projects a sentence counts: "... thực hiện 07 dự án¹⁴ trên địa bàn" and, in the
# report's footnotes, "¹⁴ Khách sạn, sân golf Hoàng Đồng - Lạng Sơn; Khu đô thị mới Bến Bắc; ...". The mark is
# glued to a word at most six words after "dự án" / "công trình", in the same clause ("05 dự án nằm trong danh
# mục các dự án trọng điểm của UBND tỉnh¹²"); an exponent after a unit ("m²") is no such mark.
PROJECT_FOOTNOTE_REFERENCE = re.compile(
    rf"{NOT_LETTER_BEFORE}(?:[Dd]ự\s+án|[Cc]ông\s+trình|DỰ\s+ÁN)(?:[ \t]+[^\s.,;:()“”\"{FOOTNOTE_MARKERS}]+){{0,6}}"
    rf"([{FOOTNOTE_MARKERS}]+)(?![{FOOTNOTE_MARKERS}])"
)
# a footnote: a line that starts with its mark ("¹³ Khách sạn, ...")
FOOTNOTE_START = re.compile(rf"(?m)^[ \t]*([{FOOTNOTE_MARKERS}]+)[ \t]*(?=[^\W\d_])")
FOOTNOTES_EXTENSION = "project_footnotes"
if not Doc.has_extension(FOOTNOTES_EXTENSION):
    # the marks of the report's footnotes that list projects, when the Doc is one paragraph of a report
    # (set by the caller from the whole report: ``project_footnote_marks(report_text)``)
    Doc.set_extension(FOOTNOTES_EXTENSION, default=None)


def project_footnote_marks(text: str) -> frozenset[str]:
    """The footnote marks that ``text`` (a report) puts after a count of projects ("07 dự án¹⁴")."""
    return frozenset(match.group(1) for match in PROJECT_FOOTNOTE_REFERENCE.finditer(text))


class ProjectFinder(AnchoredSpanFinder):
    """spaCy component: PROJECT spans from anchors, with a ranker for where each name ends."""

    label = "PROJECT"
    # (weaker regularisation than the targets': on by-source development folds 2 to 5, PROJECT 0.691 at C=5,
    # 0.696 at C=10, with the project relation 0.643 and 0.648)
    ranker_c = 10.0

    def may_anchor(self, doc: Doc) -> bool:
        """Whether the words of an anchor (a trigger, a programme, a list introduction, a footnote) are in ``doc``."""
        text = doc_text(doc)
        if any(p.search(text) for p in (TRIGGER, PROGRAMME, LIST_INTRODUCTION, FOOTNOTE_START)):
            return True
        return any(any(w[:1].isupper() for w in m.group("after").split()) for m in NAMED_WORK.finditer(text))

    def anchors(self, doc: Doc, view: dict) -> dict[int, set[str]]:
        """Token index -> kinds ("trigger", "programme", "list") of the anchors found by the words alone."""
        text = doc_text(doc)
        result: dict[int, set[str]] = {}
        for kind, pattern, edge in (
            ("trigger", TRIGGER, "end"),
            ("programme", PROGRAMME, "start"),
            ("list", LIST_INTRODUCTION, "end"),  # read as a list goes on: "…; Next name"
        ):
            for match in pattern.finditer(text):
                position = match.end() if edge == "end" else match.start()
                index = bisect_left(view["starts"], position)
                if index < len(view["starts"]) and view["starts"][index] == position and not view["figure"][index]:
                    if kind == "list" and _names_counted_works(view, bisect_left(view["starts"], match.start()), index):
                        kind = "next"  # "xây dựng 03 cầu cụ thể: Cầu Nà Ké, ...": the items are the works counted
                    result.setdefault(index, set()).add(kind)
        for index in self.footnote_anchors(doc, view):
            result.setdefault(index, {"next"})  # the footnote goes on where "07 dự án¹⁴" stopped: a list item
        # works counted, then named by their proper names alone: "02 trường là [Mầm non Sao Mai] và [Mầm non Hoa
        # Anh Đào]", "Bốn hồ được sửa là [Thạch Khê], [Hóc Tài], ..." (the thuathienhue / binhdinh notes)
        for match in COUNTED_WORKS_NAMED.finditer(text):
            index = bisect_left(view["starts"], match.end())
            if index < len(view["starts"]) and view["starts"][index] == match.end() and not view["figure"][index]:
                items = _counted_items(view, index)
                view.setdefault("counted_items", set()).update(items)
                for item in items:
                    result.setdefault(item, {"next"})
        # a work noun inside or right after a name anchored otherwise is part of that name ("dự án [kè] sông Gò
        # Chàm", "Nhà đa năng – [Trường] Tiểu học số 1"): only a sentence without another anchor before the noun
        # gets one
        # (read by the guide's rule, every work noun that opens a name anchors one: a name anchored before it
        # that takes it in is chosen first, and "công trình trường học, gồm Trường mầm non Họa Mi ..., Trường
        # tiểu học Phú Lợi 2 ..." names a work at each)
        others = sorted(result)
        for index in self.work_anchors(view, text):
            before = others[bisect_left(others, index + 1) - 1] if others and others[0] <= index else None
            if before is None or any(view["stop"][before:index]) or _joined_after(view, before, index):
                result.setdefault(index, {"work"})
            elif self.reads_works_by_guide and index not in result:
                result[index] = {"work"}
                view.setdefault("guide_work_anchors", set()).add(index)
        return result

    @property
    def reads_works_by_guide(self) -> bool:
        """Whether named works are read by the guide's rule (too few in the training text for the ranker)."""
        return self.cfg.get("work_reading") == GUIDE_READING

    def work_anchors(self, view: dict, text: str) -> list[int]:
        """Tokens that open a named work: a work noun with a proper name within the next words ("chợ Ba Đồn",
        "Trường Tiểu học Lộc Tiến", "điểm trường bản Huổi Pù"), not a plural or counted one ("các trường",
        "03 cầu"). The noun is found in the text, since the word segmenter cuts such nouns in many ways
        ("nhà văn" + "hóa", "điểm" + "trường"). Whether it is a project (reported funded, built, started or
        opened) is the ranker's choice."""
        starts = view["starts"]
        result: list[int] = []
        for match in NAMED_WORK.finditer(text):
            index = bisect_left(starts, match.start())
            if index >= len(starts) or starts[index] != match.start() or view["figure"][index]:
                continue  # not at a word's start ("Bánh chợ", a figure)
            if not any(w[:1].isupper() for w in match.group("after").split()):
                continue  # no proper name follows: a generic mention ("đường giao thông nông thôn")
            before = text[: match.start()].split()[-3:]
            if before and before[-1].lower() in CLASSIFIERS:
                before = before[:-1]  # "2 cây cầu", "những ngôi trường": the count is before the classifier
            before = before[-2:]
            if (before and before[-1].lower() in GENERIC_BEFORE) or " ".join(before).lower() in GENERIC_BEFORE or (
                before and COUNT.fullmatch(before[-1])
            ):
                continue  # plural or counted: "các trường", "một số chợ", "03 cầu" (not a length: "2.000m đê Tân
                # Bắc", nor a date: "Hôm 5.1, Trường ...", "tháng 12.2017, điểm trường ...")
            if NOT_A_WORK.match(text, match.start()):
                continue  # "hồ sơ", "trường hợp"
            in_name = index > 0 and match.group(0)[:1].isupper() and view["title"][index - 1]
            if in_name and self.reads_works_by_guide and view["words"][index - 1] in BUILD_WORDS:
                in_name = False  # read by the guide's rule: "Khánh thành Trường ..." opens a sentence, not a name
            if before and (
                before[-1].lower() in PLACE_BEFORE or " ".join(before).lower() in PLACE_BEFORE
                or (in_name and view["texts"][index - 1][-1:].isalpha())
            ):
                continue  # in a place's, a body's or a person's name: "huyện Chợ Mới", "Bộ đội Trường Sơn", "ông Hồ Lào"
            if result and index - result[-1] <= WORK_NAME_REACH and not any(
                not t[:1].isalnum() for t in view["texts"][result[-1] + 1 : index]
            ):
                continue  # "trường [Mầm non] Sao Mai": inside the name the previous work noun opened (not after a
                # colon or a comma: "2 cây cầu nông thôn: [cầu] Kênh Ba Hạng")
            result.append(index)
        return result

    def overrules_ner(self, kinds: set[str]) -> bool:
        """A work noun that the ranker passes over ("trường" not reported built) leaves the NER's name be."""
        return kinds != {"work"}

    def footnote_anchors(self, doc: Doc, view: dict) -> list[int]:
        """The first tokens of the footnotes (in ``doc``) that list projects: those whose mark follows a
        count of projects in ``doc`` itself or in the report (``doc._.project_footnotes``)."""
        text = doc_text(doc)
        starts = list(FOOTNOTE_START.finditer(text))
        if not starts:
            return []
        marks = project_footnote_marks(text) | frozenset(doc._.get(FOOTNOTES_EXTENSION) or ())
        result = []
        for start in starts:
            if start.group(1) not in marks or TRIGGER.match(text, start.end()):
                continue  # "²⁰ Dự án Cụm công nghiệp ...": the trigger anchors the name
            index = bisect_left(view["starts"], start.end())
            if index < len(view["starts"]) and view["starts"][index] == start.end() and not view["figure"][index]:
                result.append(index)
        return result

    def list_anchor(self, view: dict, end: int) -> int | None:
        """The token after the list separator that follows a name ending at ``end``, if any."""
        for i in range(end, min(end + LIST_LOOKAHEAD, len(view["words"]))):
            if view["figure"][i] or view["stop"][i] and view["texts"][i] != ";":
                return None
            if view["texts"][i] in LIST_SEPARATORS:
                if view["texts"][i] == "," and i + 1 < len(view["words"]) and _starts_with_any(view["words"][i + 1], PLACE_WORDS):
                    continue  # "..., xã Hoàng Đồng, thành phố Lạng Sơn; Next name": the name's place, not a list item
                following = i + 1
                while following < len(view["texts"]) and not view["texts"][following][:1].isalnum():
                    following += 1  # footnote marks, list marks, quotes
                if view["texts"][i] == "," and following < len(view["texts"]) and view["hints"][following] in COMMUNE_HINTS:
                    return None  # "... cho các xã Măng Cành, [Măng Bút], ...": a list of communes, not of works
                return following if following < len(view["texts"]) else None
        return None

    def next_item(self, view: dict, start: int) -> int | None:
        """The first word after the next ";" in the sentence of the list item starting at ``start``, if any."""
        for i in range(start + 1, min(start + self.cfg["max_length"] + LIST_LOOKAHEAD, len(view["texts"]))):
            if view["texts"][i] == ";":
                following = i + 1
                while following < len(view["texts"]) and not view["texts"][following][:1].isalnum():
                    following += 1
                return following if following < len(view["texts"]) else None
            if view["stop"][i]:
                return None
        return None

    def end_candidates(self, view: dict, start: int, anchors: Iterable[int] = ()) -> list[int]:
        """Exclusive ends of a name starting at ``start``: no figure, no sentence end and no other
        anchor inside (one in brackets opened inside the name is part of it: "... quốc gia (CTMTQG)")."""
        result = []
        anchors = set(anchors)
        depth = 0
        quoted = start > 0 and view["texts"][start - 1] in OPENING_QUOTES
        for b in range(start + 1, min(start + self.cfg["max_length"], len(view["words"])) + 1):
            token = view["texts"][b - 1]
            if quoted and token in CLOSING_QUOTES:
                break  # a name opened by a quote ends at the closing quote ("“Thắp sáng đường quê”, do ...")
            if view["figure"][b - 1] or view["stop"][b - 1] or (b - 1 in anchors and b - 1 > start and depth <= 0):
                break
            if _leaves_the_name(view["words"], b - 1) or _place_bracket(view, b - 1):
                break
            if token == ":":
                break  # no name holds a colon ("cầu nông thôn: [cầu Kênh Ba Hạng]": the name follows it)
            if b - 1 > start and start in view.get("counted_items", ()) and view["words"][b - 1] in ITEM_JOINERS:
                break  # "02 trường là [Mầm non Sao Mai] và [Mầm non Hoa Anh Đào]": one name per item
            if token == "," and b < len(view["words"]) and _starts_with_any(view["words"][b], COMMUNE_UNIT_WORDS):
                break  # "Cầu Lũng Na, xã Vạn Linh": the commune after a comma is outside the name
            if _ends_with_any(view["words"][b - 1], PLACE_WORDS) and b < len(view["words"]) and view["title"][b]:
                continue  # a name does not end between "thị trấn" and the town's name ("Đông thị trấn" is one token)
            depth += (token == "(") - (token == ")")
            if depth < 0:
                break  # a bracket opened before the name closes: the name has ended
            # no name ends inside a bracket it opened ("VnSAT (chuyển đổi nông nghiệp bền vững" is cut short)
            if depth == 0 and (token[:1].isalnum() or token == ")") and view["words"][b - 1] not in NEVER_LAST:
                if not _place_with_its_province(view, start, b):
                    result.append(b)
        return result

    def features(
        self, view: dict, kinds: set[str], start: int, end: int, anchors: list[int] = ()
    ) -> dict[str, float]:
        """The shared features, and whether a dash or a joining word before a capitalised word follows the span:
        a name of two places goes on there ("đường liên xã Hưng Lễ [-] Tân Hưng", "cao tốc Tuyên Quang [–] Hà
        Giang", "đường bộ ven biển nối Hòn Đất [với] Kiên Lương"), a list of works may ("Trường A [và] Trường B");
        and whether a work noun follows "và" or a comma after it (the next work of a list)."""
        features = super().features(view, kinds, start, end, anchors)
        words = view["words"]
        if end != NONE and end + 1 < len(words) and words[end] in NAME_JOINERS and view["title"][end + 1]:
            features[f"joins_title={words[end]}"] = 1.0
        # a work noun after "và" or a comma opens the next work ("Trung tâm văn hóa huyện [và tuyến đường] ...")
        if end != NONE and end + 1 < len(words) and words[end] in ("và", ",", ";"):
            features[f"next_work={words[end]}|{_starts_with_any(words[end + 1], ALL_WORK_NOUNS)}"] = 1.0
        # ... and the span holds one ("cầu Cửa Lục 1[, đường cao tốc] Vân Đồn - Móng Cái")
        if end != NONE:
            inside = [
                words[i] for i in range(start + 1, end - 1)
                if _starts_with_any(words[i + 1], ALL_WORK_NOUNS) and words[i] in ("và", ",")
            ]
            features[f"work_after_joiner_inside={bucket(len(inside), (0, 1))}"] = 1.0
        return features

    def length_bucket(self, joined: str, tokens: int) -> str:
        """The length feature of a span (its tokens ``joined`` by spaces): in syllables, since the word
        segmenter joins some names into one token ("Cầu Nà Ké") and not others ("Cầu Lũng Na" is two)."""
        return bucket(joined.count(" ") + 1, (1, 2, 3, 4, 6, 9, 13, 20, 30, 45))

    def keeps_ner_span(self, ent: Span) -> bool:
        """NER projects away from every anchor stay (named works without "dự án" are projects:
        "[nhà văn hóa thôn Bản Chắt]") when they hold what names a project: a work noun, a programme or a
        proper name after the first word; not a programme document ("Chương trình hành động số ..."), nor
        words that name none ("GRDP 6 tháng", "Tổng thu nội địa ước", "cung cấp nước, xử lý rác thải": every
        project of the annotations without those follows a trigger)."""
        text = ent.text
        if PROGRAMME_DOCUMENT.match(text):
            return False
        if not ANY_WORK_NOUN.sub("", text).strip(" -–,"):
            return False  # work nouns alone name no work ("Trường", "Cầu", "Trường Tiểu học"): no project is so
            # annotated
        return bool(
            ANY_WORK_NOUN.search(text) or PROGRAMME.search(text) or NATIONAL_PROGRAMME.search(text)
            or any(word[:1].isupper() for word in text.split()[1:])
        )

    def trim_ner_span(self, view: dict, ent: Span) -> Span | None:
        """An NER name cut where a name found from an anchor would end: before a sentence end or semicolon,
        a figure, or a word where the sentence goes on ("Kè sông Gò Chàm [dài] 650m [được] đầu tư ...")."""
        words, texts = view["words"], view["texts"]
        colons = [i for i in range(ent.start, ent.end - 1) if texts[i] == ":"]
        if colons:  # the name follows a colon ("cầu nông thôn: [cầu Kênh Ba Hạng]")
            ent = Span(ent.doc, colons[-1] + 1, ent.end, label=ent.label_)
        end = ent.end
        for i in range(ent.start + 1, ent.end):
            if view["stop"][i] or view["figure"][i] or _leaves_the_name(words, i) or _place_bracket(view, i):
                end = i
                break
        while texts[ent.start : end].count("(") > texts[ent.start : end].count(")"):
            end = max(i for i in range(ent.start, end) if texts[i] == "(")  # no bracket left open: cut before it
        # no punctuation nor function word left at the end ("A,", "A (", "cầu ... số 65 [của]")
        while end > ent.start and (
            not (texts[end - 1][:1].isalnum() or texts[end - 1] in (")", "”", '"')) or words[end - 1] in NEVER_LAST
        ):
            end -= 1
        if end > ent.start and texts[end - 1] == ")" and "(" not in texts[ent.start : end - 1]:
            end -= 1  # nor a bracket closed after the name ("Khu Công nghiệp Nhơn Hòa, thị xã An Nhơn[)]")
            while end > ent.start and not (texts[end - 1][:1].isalnum() or texts[end - 1] in ("”", '"')):
                end -= 1
        # nor a unit word without its name: "Nhà Văn hóa xã [Tân Long]" goes on through the capitalised name
        while end == ent.end and end < len(words) and _ends_with_any(words[end - 1], PLACE_WORDS) and view["title"][end]:
            end += 1
        if end > ent.end:
            while end < len(words) and view["title"][end] and not view["figure"][end]:
                end += 1
            return Span(ent.doc, ent.start, end, label=ent.label_)
        if end == ent.end:
            return ent
        if end <= ent.start:
            return None
        cut = Span(ent.doc, ent.start, end, label=ent.label_)
        return cut if self.keeps_ner_span(cut) else None  # what is left must still name a work ("GRDP 6 tháng")

    def fit(self, examples: Iterable[Example], seed: int = 0) -> dict[str, int]:
        """Train the ranker; named works are read by the guide's rule when the examples name too few of them
        (:data:`MIN_LEARNED_WORKS`), which ``cfg["work_reading"]`` records."""
        self.cfg["work_reading"] = "ranker"  # the anchors of the training text are those the ranker reads
        counts = super().fit(examples, seed)
        few = counts.get("anchored_spans:work", 0) < MIN_LEARNED_WORKS
        self.cfg["work_reading"] = GUIDE_READING if few else "ranker"
        return counts

    def _best_end(self, view: dict, anchors: dict[int, set[str]], start: int) -> int:
        """A programme known by its number is named by "Chương trình" and the number alone ("Chương trình 135",
        "Chương trình 30a"); a named work is read by the guide's rule when the ranker learned too few; elsewhere
        the ranker chooses."""
        if self.reads_works_by_guide and (
            anchors[start] == {"work"}
            or anchors[start] <= {"list", "next", "trigger"} and _starts_with_any(view["words"][start], NAMED_WORK_NOUNS)
        ):
            # a named work, or a list item or a "công trình" / "dự án" that opens one ("công trình [Trạm Y tế xã
            # Tiên Hội]"): after the trigger, a project whether or not the sentence reports it built
            return self.guide_work_end(view, start, anchors, reported="trigger" in anchors[start])
        # the ranker reads the other anchors as it was trained: without the work anchors only the guide adds
        extra = view.get("guide_work_anchors")
        anchors = {a: k for a, k in anchors.items() if a not in extra} if extra else anchors
        numbered = self.numbered_programme_end(view, start) if "programme" in anchors[start] else None
        end = numbered if numbered is not None else super()._best_end(view, anchors, start)
        return past_abbreviation(view["texts"], end) if end != NONE else end

    def guide_work_end(self, view: dict, start: int, anchors: Iterable[int] = (), reported: bool = False) -> int:
        """The end of the named work opened by the work noun at ``start``, read by the guide's rule: a specific
        named work reported as funded, built, started or opened is a PROJECT ("Khánh thành [Trường Tiểu học
        Đông Hải]", "[chợ Bà Miêu] được đầu tư 5 tỷ đồng"). Its sentence must report it so (a word of
        :data:`BUILD_WORDS`, or a figure). The name runs from the noun through capitalised words and numbers,
        with at most :data:`WORK_LEAD_REACH` lower-case words between them ("cầu [liên xã] Hưng Lễ - Tân Hưng",
        "Trạm Y tế [xã] Thụy Tân", "Trường Phổ thông [nội trú liên cấp] Bum Nưa"), and ends on one of them
        where a name may end (:meth:`end_candidates`: not past "ở", "được", a figure, another anchor ...).
        NONE when the sentence does not report it built (``reported``: the words before it did, "công trình")
        or no proper name follows the noun ("Trường Tiểu học", "Trường Phổ thông" name no work)."""
        built, figure = _clause_facts(view, sentence=True)[start]
        if not (built or figure or reported):
            return NONE
        words, texts = view["words"], view["texts"]
        named = [view["title"][i] or texts[i][:1].isdigit() for i in range(len(words))]
        # the segmenter may join the noun and the name into one token ("Cầu Chùa", not "Nhà Văn" of "nhà văn hóa")
        glued = _name_after_work_noun(texts[start])
        ends = {start + 1} if glued else set()
        gap = 0
        for i in range(start + 1, len(words)):
            if view["figure"][i] or view["stop"][i]:
                break
            if named[i]:
                ends.add(i + 1)
                gap = 0
            elif texts[i] in ("-", "–") or (texts[i][:1].isalpha() and words[i] not in NEVER_LAST and gap < WORK_LEAD_REACH):
                gap += 1
            else:
                break
        fitting = [b for b in self.end_candidates(view, start, anchors) if b in ends]
        for b in sorted(fitting, reverse=True):
            if _names_more_than_work_nouns(texts[start:b]):
                return b
        return NONE

    def numbered_programme_end(self, view: dict, start: int) -> int | None:
        """The end of "Chương trình N" at ``start``: N a whole number, with the letters glued to it ("30a")."""
        words, texts, starts = view["words"], view["texts"], view["starts"]
        number = start + 1
        if words[start] != "chương trình" or number >= len(words) or not PROGRAMME_NUMBER.fullmatch(texts[number]):
            return None
        end = number + 1
        glued = end < len(words) and starts[end] == starts[number] + len(texts[number]) and texts[end].isalpha()
        return end + 1 if glued else end

    def no_span_features(self, view: dict, start: int, kind: str) -> dict[str, float]:
        """For the "no project" choice: the word before the anchor's trigger ("các [dự án]" is generic,
        "triển khai [dự án] X" names one), whether the first word names a work and whether a national
        target programme is named."""
        words, hints = view["words"], view["hints"]
        position = start - 1
        while position >= 0 and not words[position][:1].isalnum():
            position -= 1  # ":" and quotes after the trigger
        built = any(w in BUILD_WORDS for w in words[max(0, start - BUILD_WINDOW) : start])
        # ... anywhere in the anchor's sentence ("Chợ Bình Ân [được] khởi công", "kinh phí 200 triệu đồng cho bến
        # nước buôn Sưk"), and with a figure in it
        built_in_sentence, figure_in_sentence = _clause_facts(view)[start]
        return {
            f"none|built_in_sentence={built_in_sentence}|kind={kind}": 1.0,
            f"none|built_in_sentence={built_in_sentence}|figure_in_sentence={figure_in_sentence}|kind={kind}": 1.0,
            f"none|lead={words[position - 1] if position >= 1 else '<start>'}": 1.0,
            f"none|lead_hint={hints[position - 1] if position >= 1 else '<start>'}": 1.0,
            f"none|work_noun={_starts_with_any(words[start], ALL_WORK_NOUNS)}|kind={kind}": 1.0,
            f"none|national_programme={_names_a_national_programme(view['texts'][start : start + 8])}": 1.0,
            # the guide's test for a named work: reported as funded, built, started or opened
            f"none|built_before={built}|kind={kind}": 1.0,
        }


# what ends one name and joins the next: "đê Tân Bắc ở xã Tân Phú [và] đê Cồn Dơi", "tuyến đường bộ ven biển[,]
# đường ĐH.90"
NAME_LIST_JOINERS = frozenset((",", "và", "cùng", "cùng với"))


def _joined_after(view: dict, anchor: int, index: int) -> bool:
    """Whether the work noun at ``index`` follows a joining word ("và", a comma) that comes after a place or a
    capitalised word since the anchor before it: the next work of a list, not a word inside the name the anchor
    opens ("dự án [kè] sông Gò Chàm" stays one name)."""
    words, title = view["words"], view["title"]
    joiner = index - 1
    if joiner <= anchor or words[joiner] not in NAME_LIST_JOINERS:
        return False
    return any(title[i] for i in range(anchor + 1, joiner))


def _clause_facts(view: dict, sentence: bool = False) -> list[tuple[bool, bool]]:
    """For each token: whether its clause (between ";" and sentence ends; ``sentence``: between sentence ends)
    holds a word that reports a work built or funded, and whether it holds a figure (made once per Doc and kept
    in the view)."""
    key = "sentence_facts" if sentence else "clause_facts"
    if key not in view:
        words, figure = view["words"], view["figure"]
        stop = [s and not (sentence and t == ";") for s, t in zip(view["stop"], view["texts"])]
        facts: list[tuple[bool, bool]] = []
        first = 0
        for i in range(len(words) + 1):
            if i == len(words) or stop[i]:  # the clause is words[first:i]
                fact = (any(w in BUILD_WORDS for w in words[first:i]), any(figure[first:i]))
                facts.extend([fact] * (i - first))
                if i < len(words):
                    facts.append(fact)  # the stop token itself (an anchor never starts there)
                first = i + 1
        view[key] = facts
    return view[key]


def _name_after_work_noun(token: str) -> bool:
    """Whether the token ``token`` holds a proper name after the work noun that opens it ("Cầu Chùa"; not
    "Nhà Văn", the start of "nhà văn hóa", nor "Trường Tiểu học")."""
    lower = token.lower()
    if any(noun.startswith(lower + " ") for noun in NAMED_WORK_NOUNS):
        return False
    return _names_more_than_work_nouns(token.split()[1:])


def _names_more_than_work_nouns(texts: list[str]) -> bool:
    """Whether the words ``texts`` (of a work's name) hold a capitalised word or a number that is neither a work
    noun nor a word of the work's kind ("Trường Tiểu học Đông Hải", "Trường mầm non 12"; not "Trường Phổ
    thông")."""
    syllables = " ".join(texts).split()
    position = 0
    while position < len(syllables):
        for length in (3, 2, 1):
            phrase = " ".join(syllables[position : position + length]).lower()
            if phrase in NAMED_WORK_NOUNS or phrase in KIND_OF_WORK_WORDS:
                position += length
                break
        else:
            if syllables[position][:1].isupper() or syllables[position][:1].isdigit():
                return True
            position += 1
    return False


def _place_with_its_province(view: dict, start: int, end: int) -> bool:
    """Whether the span [start, end) ends on a place after a comma that the next words locate in brackets
    ("chương trình xây dựng nông thôn mới, huyện Lộc Hà (Hà Tĩnh) đã có ..."): news introduces the sentence's
    subject so, and a name that ends with its place ends at a list separator ("Trường Mầm non xã Nhất Hòa, huyện
    Bắc Sơn, tỉnh Lạng Sơn;"). The bracket holds only a capitalised name (not "(Đoạn km14+132 ...)")."""
    words, texts = view["words"], view["texts"]
    if end >= len(words) or texts[end] != "(":
        return False
    if not any(words[i] == "," and _starts_with_any(words[i + 1], PLACE_WORDS) for i in range(start, end - 1)):
        return False
    for i in range(end + 1, min(end + 5, len(words))):
        if texts[i] == ")":
            return i > end + 1
        if not view["title"][i]:
            return False
    return False


ITEM_JOINERS = {",", "và", "cùng", ";"}
MAX_COUNTED_ITEMS = 12


def _counted_items(view: dict, first: int) -> list[int]:
    """The first tokens of the names listed after counted works, from ``first``: each capitalised word after "," /
    "và" / "cùng", up to the sentence's end, a figure, or a joiner followed by a lower-case word."""
    words = view["words"]
    items = [first]
    for i in range(first + 1, len(words) - 1):
        if view["stop"][i] or view["figure"][i] or len(items) >= MAX_COUNTED_ITEMS:
            break
        if words[i] in ITEM_JOINERS:
            if not view["title"][i + 1]:
                break
            items.append(i + 1)
    return items


def _place_bracket(view: dict, i: int) -> bool:
    """Whether token ``i`` opens a bracket that places the work ("cầu Long Bình 1 [(]thành phố Trà Vinh)") or
    names the unit it belongs to ("Điểm trường bản Huổi Pù [(]trường mầm non Bình Minh)", "(thuộc Trường ...)"):
    those are outside the name, as after "tại" and "thuộc" (an abbreviation, a campus number or an explanation
    in brackets stays in: "(NTM)", "(cơ sở số 2)")."""
    words = view["words"]
    if view["texts"][i] != "(" or i + 1 >= len(words):
        return False
    following = words[i + 1]
    return following == "thuộc" or _starts_with_any(following, PLACE_BRACKET_WORDS) or _starts_with_any(following, ALL_WORK_NOUNS)


def _leaves_the_name(words: list[str], i: int) -> bool:
    """Whether token ``i`` is where a project name has ended: "tại ...", "trên địa bàn ...", "năm 2024", ..."""
    word = words[i]
    following = words[i + 1] if i + 1 < len(words) else ""
    return (
        word in AFTER_NAME_WORDS
        or word in PREDICATE_WORDS
        or f"{word} {following}" in PREDICATE_WORDS  # the segmenter may split them: "mang" + "lại"
        or (word == "trên" and following == "địa bàn")
        or (word == "năm" and YEAR.fullmatch(following) is not None)
        or (word == "vào" and following in TIME_AFTER_VAO)
    )


def _names_counted_works(view: dict, introduction: int, first: int) -> bool:
    """Whether the list starting at token ``first`` names works of the kind counted just before its
    introduction at token ``introduction`` ("03 cầu cụ thể: Cầu Nà Ké": its first word repeats "cầu")."""
    word = view["words"][first]
    if not _starts_with_any(word, WORK_NOUNS):
        return False
    head = word.split()[0]
    return any(w.split()[0] == head for w in view["words"][max(0, introduction - COUNTED_WORKS_WINDOW) : introduction])


def _names_a_national_programme(texts: list[str]) -> bool:
    """Whether the words after an anchor name a national target programme ("... MTQG xây dựng NTM")."""
    return NATIONAL_PROGRAMME.search(" ".join(texts)) is not None


def _starts_with_any(word: str, words: frozenset[str]) -> bool:
    """Whether the (lower-case) token ``word`` is one of ``words`` or starts with one and a space."""
    return word in words or word.startswith(_with_space(words, after=True))


def _ends_with_any(word: str, words: frozenset[str]) -> bool:
    """Whether the (lower-case) token ``word`` is one of ``words`` or ends with a space and one."""
    return word in words or word.endswith(_with_space(words, after=False))


@cache
def _with_space(words: frozenset[str], after: bool) -> tuple[str, ...]:
    """The words with a space after (prefixes) or before (suffixes), for one str.startswith / endswith call."""
    return tuple(w + " " if after else " " + w for w in words)


@Language.factory(NAME, requires=["doc.ents"], assigns=["doc.ents"], default_config={"max_length": 40})
def make_project_finder(nlp: Language, name: str, max_length: int) -> ProjectFinder:
    """Factory of the project component (``nlp.add_pipe("vnreport_projects")``)."""
    return ProjectFinder(nlp, name, max_length)
