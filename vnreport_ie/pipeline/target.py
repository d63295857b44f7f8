"""Target component: TARGET spans anchored on the figure they follow.

A target is what a figure is compared with, and it comes right after the
figure or after the comparison words that follow it: "đạt 26,15% [dự toán
tỉnh giao]", "bằng 136,94% [CK]", "tăng 8,2% so với [cùng kỳ 2023]",
"giảm 8 tỷ đồng so với [năm 2023]". So, as for projects (the same mechanism,
:class:`~vnreport_ie.pipeline.anchored.AnchoredSpanFinder`), each figure gives an
anchor, the token after it (and after "so với" / "so" / "với" / "trên" and a
closing bracket), and a linear ranker chooses where the target ends, or that
there is none. Targets are short and stop at punctuation. The NER's TARGET
entities are replaced: a target is only looked for where a figure is.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from vnreport_ie.pipeline.anchored import NONE, AnchoredSpanFinder
from vnreport_ie.pipeline.patterns import NUMBER
from vnreport_ie.schema import FIGURE_LABELS
from vnreport_ie.text.tokenizer import doc_text

NAME = "vnreport_targets"
# a figure that is the level another figure is compared with ("vượt mức 47,9% của năm trước", "thấp hơn mức tăng
# 7,8% của cùng kỳ 2018", "vượt xa tốc độ 0,49% mà 6 tháng đầu năm 2021 đạt được"): the value of a reference, itself
# compared with nothing (none of the 10 such figures of the development annotations has a target)
COMPARED_LEVEL = re.compile(
    r"(?i)(?:vượt|hơn|so\s+với)\s+(?:xa\s+|hẳn\s+)?(?:mức\s+tăng\s+trưởng|mức\s+tăng|tốc\s+độ(?:\s+tăng)?|mức|con\s+số)"
    r"(?:\s+(?:chung|bình\s+quân|trung\s+bình))?\s+(?:là\s+)?(?:(?:khoảng|gần|hơn|trên)\s+)?$"
)
REFERENCE_VALUE_REACH = 60  # characters before the figure
# ... and so is the value a plan sets ("trong khi KH chỉ đặt mức tăng 8-9%", "kế hoạch đề ra là 8,5-9,5%", "chỉ tiêu:
# 80%"), unless the plan is what a figure is compared with ("bằng kế hoạch là ..."): none of the 12 such figures of
# the development annotations has a target
PLAN_VALUE = re.compile(
    # (not after a comparison, nor inside a longer plan phrase: "vượt chỉ tiêu [Nghị quyết] 98,2%")
    r"(?i)(?<!với )(?<!so )(?<!hơn )(?<!bằng )(?<!đạt )(?<!vượt )(?<!hoạch )(?<!tiêu )(?<!toán )(?<!KH )"
    r"\b(?:kế\s+hoạch|KH|chỉ\s+tiêu|mục\s+tiêu|dự\s+toán|nghị\s+quyết)"
    r"(?:\s+(?:chỉ\s+)?(?:đề\s+ra|đặt\s+ra|đặt(?:\s+mức(?:\s+tăng)?)?|giao|năm|\d{4}|nghị\s+quyết))*\s*(?:là|:)?\s+"
    r"(?:(?:khoảng|gần|hơn|trên)\s+)?$"
)
# a dated period right after a figure is the figure's own ("từ 34,66% [năm 2021] xuống 33,34% [năm 2022]", "còn
# 0,78% [vào cuối năm 2019]"), not what it is compared with: no development annotation makes one (13 figures) a target
OWN_PERIOD_AFTER = re.compile(
    r"\)?\s*(?:(?:vào|của|trong)\s+)?(?:(?:cuối|đầu|giữa)\s+)?(?:năm|tháng|quý)\s+[\dIVX]", re.IGNORECASE
)
# words between a figure and its target, skipped to reach the anchor (longest first); a plural word before the
# whole a share is taken of stays outside it ("hoàn thành 50% các [tiêu chí]", "100% những [xã] ...")
COMPARISON_WORDS = (("so", "với"), ("so",), ("với",), ("trên",), ("so", "cùng"), ("trong",), ("các",), ("những",))
TARGET_STOPS = {",", ";", "(", ")", ":", ".", "!", "?", "...", "…"}
# the reporting unit after a reference is outside it ("[tổng số trường học] của huyện", "[tổng giá trị sản xuất
# nông nghiệp] của toàn huyện": the laocai note); "[dự toán chi ngân sách của năm 2022]" keeps its period
REPORTING_UNITS = {"huyện", "tỉnh", "xã", "phường", "thị trấn", "thành phố", "thị xã", "quận", "toàn huyện", "toàn tỉnh"}
# words before a reference that are not part of it: an adverb ("cao hơn [hẳn] cùng kỳ") and "mức" before a period
# or plan ("tăng 5% so với [mức] cùng kỳ năm trước"; "[mức chung toàn vùng]", "[mức tăng trưởng]" keep it)
BEFORE_REFERENCE = {"hẳn", "nhiều"}
# words where the sentence goes on after a reference: no target holds them
GOES_ON = {"thì", "nên", "vẫn", "sẽ", "là", "với", "tăng", "đang"}
# words no reference starts with: what ties a figure to a period or a cause ("(4,9%) của cùng kỳ năm trước" dates
# the figure, "giảm 25,24% do ..." gives a cause), joins ("và có 42 sản phẩm") or reports ("ghi nhận ở ...")
CANNOT_START = {
    "của", "và", "do", "mà", "nhưng", "gồm", "thì", "là", "đã", "được", "ghi nhận", "ghi", "bởi", "nhờ", "tại", "ở", "mỗi",
    "đặt",
}
# ... nor ends with: a verb's marker or a function word ("[thời hạn] đã", "[số xã] đã ...")
CANNOT_END = {
    "đã", "được", "đang", "sẽ", "và", "của", "do", "với", "có", "các", "những", "mà", "đều", "cũng", "vẫn", "ở",
    "tại", "trong", "theo", "cho", "từ", "là", "thì",
}
# a reference that opens with a period ends where the period ends, at its year, date, "trước" or "ngoái" ("[cùng kỳ
# 2019] chỉ số sản xuất ...", "[tháng trước] chỉ số này ..."); an abbreviation in brackets may still follow
PERIOD_START_WORDS = {"cùng", "cùng kỳ", "tháng", "năm", "quý", "vụ", "kỳ", "đầu năm", "cuối năm", "giữa năm"}
PERIOD_CLOSE = re.compile(r"(?:\d{4}|\d{1,2}/\d{4}|\d{1,2}/\d{1,2}/\d{4}|trước|ngoái)")
# words after a percentage that start no whole of it: prepositions and conjunctions ("75% trở lên", "6,5% cùng kỳ
# ..."), periods ("7,0% năm 2022", "60-80% hồi đầu năm"), verbs ("4,96% xuống 3,99%", "7,0% đặt cho cả năm",
# "61% hưởng ...") and "sv" (written for "so với"); the annotations start a whole after every other word but for
# a share's members ("38,1% hợp tác xã, 24,2% doanh nghiệp")
NOT_A_WHOLE = {
    "so", "sv", "và", "hoặc", "hay", "nhưng", "còn", "thì", "nên", "mà", "của", "trên", "trong", "về", "các", "những",
    "mức", "ở", "tại", "vì", "do", "bởi", "nhờ", "ghi", "đối", "vào", "trở", "tức", "phần", "góp", "là", "với", "cho",
    "đến", "tới", "từ", "theo", "được", "đã", "đang", "sẽ", "đạt", "bằng", "tăng", "giảm", "xuống", "lên", "gồm",
    "đặt", "hồi", "hưởng", "khi", "sau", "trước", "cùng", "năm", "tháng", "quý", "kỳ", "vụ", "đầu", "cuối", "giữa",
    "ngày", "tuần", "giai", "đợt", "lần", "đều", "mỗi", "một", "như", "cả", "toàn", "riêng", "trong đó",
}
VERB_MARKERS = {"đã", "được", "đang", "sẽ", "do", "cho", "có", "thuộc", "mà"}
ABBREVIATION = re.compile(r"[A-ZĐ]{1,6}")  # KH, CK, NSNN
# what goes on after "cùng kỳ" in a reference (tokens joined by spaces): "năm trước", "năm ngoái", "năm 2022"
BASE_PERIOD = re.compile(r"(?:nhiều )?năm(?: |$)(?:trước|ngoái|\d{4})(?![^ ])|năm trước|năm ngoái")
PLAN_WORDS = {"kế hoạch", "dự toán", "chỉ tiêu", "kh"}
PLAN_GIVEN_VERBS = {"giao", "thông qua", "phê duyệt", "duyệt", "bố trí", "phân bổ"}  # "[dự toán được tỉnh giao]"
QUANTITY = re.compile(NUMBER)  # a number alone: "0,3" (tạ/ha), "4.714,7" (ha)
# a comparison written before its figures: "so với [cùng kỳ năm trước] tăng 0,11%", "cao hơn [cùng kỳ] 2,5%",
# "So với [cùng kỳ năm trước], đàn trâu giảm 0,6%; đàn bò tăng 0,4%" (statistics bulletins write them so)
LEAD_COMPARISONS = (
    ("so", "với"), ("so",), ("cao", "hơn"), ("thấp", "hơn"), ("nhiều", "hơn"), ("ít", "hơn"), ("lớn", "hơn"),
    ("nhỏ", "hơn"), ("tăng", "so", "với"), ("giảm", "so", "với"),
    # "So sánh với [năm trước], thu ngân sách tăng 5%", "Đối chiếu với [cùng kỳ năm trước] và với [kế hoạch năm]: ..."
    ("so sánh", "với"), ("đối chiếu", "với"),
    # "vượt [kế hoạch] 6%", "vượt [dự toán giao] tối thiểu 5%" (not "vượt mức tăng 6,5%": the ranker learns which)
    ("vượt",),
)
# the first token of one: the phrase's first word, or the whole phrase as one token ("cao hơn")
LEAD_FIRST_WORDS = frozenset(p[0] for p in LEAD_COMPARISONS) | frozenset(" ".join(p) for p in LEAD_COMPARISONS)
# a comparison said after a figure, with or without a comma ("ước tăng trưởng 2,22%, cao hơn so với [cùng kỳ]",
# "ước thu trên 29 tỷ đồng, cao hơn [chỉ tiêu đề ra]", "chiếm tỷ lệ 1,32%, vượt [chỉ tiêu đề ra]", "34 triệu
# đồng/người/năm, bằng [chỉ tiêu đã đặt]"), longest first; a figure right after it ("tăng 28,19%, bằng 142,36%
# ...") is no target
CLOSING_COMPARISONS = (("ngang", "bằng"), ("cao", "hơn"), ("thấp", "hơn"), ("vượt",), ("bằng",), ("ngang",))
COMPARED_WITH = (("so", "với"), ("so",), ("với",))  # what may follow one ("cao hơn [so với] cùng kỳ")
# a second reference joined to a lead-in's first ("so với tháng trước [và với] cùng kỳ"), within this many tokens
SECOND_REFERENCE = (("và", "với"), ("và", "so", "với"), ("và", "so"), ("và",))
# ... and after a bare "và", only a word that starts a period or a plan ("so với tháng trước [và] cùng kỳ năm trước")
REFERENCE_START_WORDS = {
    "cùng", "cùng kỳ", "tháng", "năm", "quý", "kỳ", "vụ", "kế hoạch", "dự toán", "chỉ tiêu", "mục tiêu", "đầu năm",
    "cuối năm", "giữa năm",
}
SECOND_REFERENCE_REACH = 8
LEAD_REACH = 25  # tokens after the comparison within which a figure must come (the same sentence)
LEAD_REACH_OPENING = 60  # ... when the comparison opens its sentence or clause


class TargetFinder(AnchoredSpanFinder):
    """spaCy component: TARGET spans after figures, with a ranker for where each ends."""

    label = "TARGET"  # every target follows a figure: the NER's targets elsewhere are dropped

    def may_anchor(self, doc: Doc) -> bool:
        """Every anchor of a target is found from a figure: a paragraph without one has none."""
        return any(ent.label_ in FIGURE_LABELS for ent in doc.ents)

    def anchors(self, doc: Doc, view: dict) -> dict[int, set[str]]:
        """Token index -> kinds: the first word after each figure ("figure") or after its comparison words."""
        words = view["words"]
        result: dict[int, set[str]] = {}
        view["said_with"] = said_with = {}  # anchor -> the word before its figure ("bằng", "tăng", "xuống")
        text = doc_text(doc)
        for ent in doc.ents:
            if ent.label_ not in FIGURE_LABELS or reference_value(text, ent.start_char):
                continue
            position = ent.end
            while position < len(words) and (
                words[position] in (")", "...", "…") or words[position : position + 2] == [".", "."]
                or (words[position] == "." and words[position - 1] == ".")
            ):
                position += 1  # "(giảm 0,3%) so với năm học trước", "(tăng 4,8%)... so với cùng kỳ năm trước"
            # "tăng 7,81%, đều so với cùng kỳ năm trước": a closing comparison said of the figures before it
            for lead in ([",", "đều"], ["đều"]):
                after = position + len(lead)
                if words[position:after] == lead and words[after : after + 1] == ["so"]:
                    position = after
                    break
            # what follows a percentage is often the whole it is a share of ("100% [số xã]", "bằng 21% [tổng
            # lượng tôm cả nước]"); what follows an amount seldom is: the two kinds are learned apart
            kind = "figure%" if ent.label_ == "PERCENT" else "figure"
            closing = _closing_comparison(words, position)
            if closing is not None:
                position, kind = closing, "after:closing"
            for phrase in COMPARISON_WORDS:
                if tuple(words[position : position + len(phrase)]) == phrase:
                    position += len(phrase)
                    kind = "after:" + " ".join(phrase)
                    break
            if kind.startswith("figure") and OWN_PERIOD_AFTER.match(text, ent.end_char):
                continue
            position = _reference_start(words, position)
            if position < len(words) and _may_start(view, position):
                result.setdefault(position, set()).add(kind)
                said_with[position] = words[ent.start - 1] if ent.start else "<start>"
        for position, kind in self.lead_anchors(view):
            result.setdefault(position, set()).add(kind)
        for position in self.whole_anchors(doc, view):
            result.setdefault(position, set()).add("lead:trong")
        return result

    def whole_anchors(self, doc: Doc, view: dict) -> list[int]:
        """Tokens where a whole starts that a percentage of the same sentence is a share of, written before it
        ("Trong [tổng giá trị sản xuất], nông, lâm nghiệp và thủy sản ước có tỷ trọng 23,4%, ...", "trong cơ cấu
        [GRDP], ...", "tỷ trọng trong [GRDP]: ..."); "tổng" is the whole's own word, "cơ cấu" is not."""
        words, stop = view["words"], view["stop"]
        percent = [False] * len(words)
        for ent in doc.ents:
            if ent.label_ == "PERCENT":
                percent[ent.start : ent.end] = [True] * (ent.end - ent.start)
        result = []
        for i, word in enumerate(words):
            following = words[i + 1] if i + 1 < len(words) else ""
            if word == "trong" and following == "tổng":
                position = i + 1
            elif word == "trong" and " ".join(words[max(0, i - 2) : i]).endswith(("tỷ trọng", "tỉ trọng")):
                position = i + 1  # "Xét tỷ trọng trong [GRDP]: khu vực nông, lâm nghiệp, thủy sản chiếm 16,18%"
            elif word == "cơ cấu" or [word, following] == ["cơ", "cấu"]:
                # a structure of a measured whole ("trong cơ cấu [GRDP]", "cơ cấu [giá trị sản xuất]", "Về cơ cấu
                # ngành hàng của [tổng mức bán lẻ hàng hóa]"); "cơ cấu kinh tế" names no quantity
                position = _structure_whole(view, i + (1 if word == "cơ cấu" else 2))
                if position is None:
                    continue
            else:
                continue
            if position >= len(words) or not _may_start(view, position):
                continue
            for j in range(position, min(position + LEAD_REACH_OPENING, len(words))):
                if percent[j]:
                    result.append(position)
                    break
                if stop[j]:
                    break
        return result

    def no_span_features(self, view: dict, start: int, kind: str) -> dict[str, float]:
        """The word before the figure: a reference follows a figure said with "bằng", "đạt", "tăng"; a period
        after a figure said plainly dates it ("từ 34,66% năm 2021 xuống 33,34% [năm 2022]": no target)."""
        word = view.get("said_with", {}).get(start)
        return {} if word is None else {f"none|said_with={word}": 1.0, f"none|said_with={word}|kind={kind}": 1.0}

    def lead_anchors(self, view: dict) -> list[tuple[int, str]]:
        """(token, kind) after each comparison that a figure of the same sentence follows ("so với [cùng kỳ]
        tăng 2,4%"): the target written before its figures."""
        words, figure, stop = view["words"], view["figure"], view["stop"]
        result = []
        for i in range(len(words)):
            if words[i] not in LEAD_FIRST_WORDS:
                continue
            for phrase in LEAD_COMPARISONS:
                position = _after_phrase(words, i, phrase)
                if position is not None:
                    break
            else:
                continue
            position = _reference_start(words, position)
            if position >= len(words) or not _may_start(view, position):
                continue
            # a comparison that opens its sentence or clause ("So với tháng trước, 7 nhóm hàng ... gồm: A (1,3%)")
            # heads a list: its first figure may come further on
            opening = i == 0 or stop[i - 1] or words[i - 1] in (",", ":")
            # "mọi nhóm hàng đều tăng so với [quý cùng kỳ]; A 8,79%, B (2,40%)": a comparison said of a whole
            # group heads the list of its members, across ";"
            of_all = "đều" in words[max(0, i - 2) : i]
            reach = LEAD_REACH_OPENING if opening or of_all else LEAD_REACH
            # "so với [tháng trước] và với [cùng kỳ] thì A lần lượt tăng 2,73% và 24,64%": a second reference
            # joined to the first
            second = None
            for j in range(position + 1, min(position + SECOND_REFERENCE_REACH, len(words))):
                if figure[j] or stop[j] or words[j] in (",", ":"):
                    break
                for joined in SECOND_REFERENCE:
                    after = j + len(joined)
                    if tuple(words[j:after]) == joined and after < len(words) and (
                        len(joined) > 1 or words[after] in REFERENCE_START_WORDS
                    ):
                        second, joined_at = after, j
                        break
                if second is not None:
                    break
            for j in range(position, min(position + reach, len(words))):
                if figure[j]:
                    result.append((position, "lead:" + " ".join(phrase)))
                    if second is not None and _may_start(view, second):
                        result.append((second, "lead:và với"))
                        # the first reference ends before the words that join the second to it
                        view.setdefault("reference_joiners", set()).update(range(joined_at, second))
                    break
                if stop[j] and not (of_all and words[j] == ";"):
                    break
        return result

    def _best_end(self, view: dict, anchors: dict[int, set[str]], start: int) -> int:
        """The ranker's end among those the guide's reference allows (:func:`reference_may_end`), gone on where
        the reference goes on (:func:`reference_goes_on`)."""
        words = view["words"]
        if words[start] in CANNOT_START:
            return NONE
        candidates = [b for b in self.end_candidates(view, start, anchors) if reference_may_end(view, start, b)]
        # the whole a structure or "trong tổng ..." names before the shares of its sentence is one ("Về cơ cấu ngành
        # hàng của [tổng mức bán lẻ hàng hóa], ...", "trong cơ cấu [giá trị sản xuất], ..."), however seldom the
        # ranker saw one
        whole_first = "lead:trong" in anchors[start] and candidates
        end = self._ranked_best(view, anchors, start, candidates if whole_first else [*candidates, NONE])
        # a noun right after a percentage is the whole it is a share of ("100% [số xã]", "30% [tổng vốn đầu tư
        # phát triển]", "50% [kinh phí]", "97% [hộ dân]"): the guide's written total, whatever the ranker learned
        # of such anchors; a function word, a period or a verb there starts none (NOT_A_WHOLE). Where the ranker
        # would take none, the whole ends before a verb ("100% [đường xá] đã được nhựa hóa"), and one percentage of
        # a list of members takes none ("gồm 38,1% hợp tác xã, 24,2% doanh nghiệp")
        if end == NONE and "figure%" in anchors[start] and words[start].split()[0] not in NOT_A_WHOLE:
            nominal = [b for b in candidates if not any(w in VERB_MARKERS for w in words[start:b])]
            if nominal and not _one_of_members(view, start):
                end = self._ranked_best(view, anchors, start, nominal)
        # a period said after "so với" / "so" and closed by its year, date, "trước" or "ngoái" ("so với [vụ mùa năm
        # 2019] tăng 0,4%", "tăng 5% so với [tháng trước]") is what the figure is compared with, however seldom the
        # ranker saw its first word (182 of the 183 such periods before a figure of the development annotations are
        # a TARGET that ends there)
        compared = any(kind in ("lead:so với", "lead:so", "after:so với", "after:so") for kind in anchors[start])
        if end == NONE and compared and words[start] in PERIOD_START_WORDS:
            end = next((b for b in candidates if PERIOD_CLOSE.fullmatch(words[b - 1].rsplit(" ", 1)[-1])), NONE)
        # ... as is a plan said there ("so với [kế hoạch năm]", "so với [dự toán tỉnh giao]": 56 of 57), ended where
        # the ranker ranks best
        elif end == NONE and compared and words[start] in PLAN_WORDS | {"mục tiêu", "nghị quyết"} and candidates:
            end = self._ranked_best(view, anchors, start, candidates)
        goes_on = reference_goes_on(view["words"], start, end) if end != NONE else None
        if goes_on is not None and goes_on in self.end_candidates(view, start, anchors):
            return goes_on
        # a whole or a plan written as a list of like nouns after a figure ("100% [số xã, phường, thị trấn] đã
        # có ...", "96% [dự toán tỉnh, huyện giao]"): the list is one reference, past the commas the ranker stops at
        if end != NONE and any(kind.startswith(("figure", "after:")) for kind in anchors[start]):
            listed = reference_list_end(view, start, end)
            if listed is not None and listed - start <= self.cfg["max_length"]:
                return listed
        return end

    def end_candidates(self, view: dict, start: int, anchors=()) -> list[int]:
        """Exclusive ends of a target starting at ``start``: up to the next punctuation, figure, sentence end or
        word where the sentence goes on ("năm 2020 [thì] ...", "... [vẫn] ..."); an abbreviation in brackets
        right after it is part of it ("[kế hoạch (KH)]")."""
        words, texts = view["words"], view["texts"]
        result = []
        b = start + 1
        limit = min(start + self.cfg["max_length"], len(words))
        while b <= limit:
            token = texts[b - 1]
            if token == "(" and b + 1 < len(words) and texts[b + 1] == ")" and ABBREVIATION.fullmatch(texts[b]):
                result.append(b + 2)  # "kế hoạch (KH)": the bracket closes the target
                break
            if view["figure"][b - 1] or view["stop"][b - 1] or token in TARGET_STOPS or words[b - 1] in GOES_ON:
                break
            if b - 1 in view.get("reference_joiners", ()):
                break  # "so với [tháng trước] và [cùng kỳ năm trước]": two references
            # ("[tổng vốn đầu tư phát triển] của cả tỉnh": "cả" / "toàn" written apart from the unit)
            if words[b - 1] == "của" and b < len(words) and (
                words[b] in REPORTING_UNITS
                or words[b] in ("cả", "toàn") and b + 1 < len(words) and words[b + 1] in REPORTING_UNITS
            ):
                break
            if token[:1].isalnum():
                result.append(b)
            b += 1
        return result


def _one_of_members(view: dict, start: int) -> bool:
    """Whether the words at ``start`` after a percentage name one member of a list of shares: the next share right
    after the comma that ends them ("38,1% [hợp tác xã], 24,2% doanh nghiệp"), or, for the last, a share and its
    member right before the comma or "và" before the percentage ("38,1% hợp tác xã, 24,2% [doanh nghiệp]")."""
    texts, figure, stop = view["texts"], view["figure"], view["stop"]
    for j in range(start, len(texts)):
        if figure[j] or stop[j] or texts[j] in (";", ":", "(", ")"):
            break
        if texts[j] == ",":
            if j + 1 < len(texts) and figure[j + 1]:
                return True
            break
    f = start - 1  # back to the percentage's first token
    while f > 0 and not figure[f]:
        f -= 1
    while f > 0 and figure[f - 1]:
        f -= 1
    if f < 2 or texts[f - 1] not in (",", "và"):
        return False
    j = f - 2
    while j > 0 and not figure[j] and texts[j][:1].isalnum():
        j -= 1
    return figure[j] and j < f - 2


def reference_may_end(view: dict, start: int, end: int) -> bool:
    """Whether a reference [start, end) may end there (the ranker's candidates are read so when it predicts, not
    when it learns, so that it keeps every wrong end to learn from): not on a function word (CANNOT_END), not past
    "gồm" / "nhưng", nor over a project's "dự án" (no target of the development annotations holds one),
    and, opened by a period, not past the word that closes it (PERIOD_CLOSE) but for an
    abbreviation in brackets ("[cùng kỳ năm trước (CK)]")."""
    words, texts = view["words"], view["texts"]
    if words[end - 1] in CANNOT_END or any(w in ("gồm", "nhưng", "dự án") for w in words[start:end]):
        return False
    if words[start] in PERIOD_START_WORDS:
        for b in range(start + 1, end):
            if PERIOD_CLOSE.fullmatch(words[b - 1].rsplit(" ", 1)[-1]) and words[b] != "đó":
                return b + 3 == end and texts[b] == "(" and ABBREVIATION.fullmatch(texts[b + 1]) is not None
    return True


# words that name no item of a list of like nouns after a reference: function words, verbs and comparisons ("kế
# hoạch, [tăng] 5%", "cùng kỳ, [cao] hơn ...", "dự toán năm, [dù] vẫn ..."); and the words a list may end before
# ("số xã, phường, thị trấn [đã] có ...", "đơn vị huyện, thị xã, thành phố [đạt] chuẩn")
NOT_A_LIST_ITEM = NOT_A_WHOLE | VERB_MARKERS | GOES_ON | CANNOT_START | CANNOT_END | {
    "cao", "thấp", "vượt", "ngang", "gấp", "hơn", "kém", "dù", "tuy", "song", "chủ yếu", "cụ thể", "nhất là", "chiếm",
    "ước", "ước tính", "tương ứng", "tương đương", "đứng", "xếp", "nâng", "góp phần", "đưa", "chỉ", "còn lại", "khá",
    "rất",
}
AFTER_LIST = {"đã", "được", "có", "đạt", "đều", "của", "sẽ", "đang", "thuộc", "cũng"}
LIST_ITEMS = 3  # items after the first, of at most this many tokens each
GIVERS = {"tỉnh", "huyện", "xã", "thành phố", "thị xã", "tp", "trung ương", "hđnd", "ubnd"}  # "[kế hoạch tỉnh, huyện giao]"


def reference_list_end(view: dict, start: int, end: int) -> int | None:
    """Where a reference [start, end) that a comma follows goes on as a list of like nouns, or None: each item one
    to three lower-case words that are no function word, verb or comparison (NOT_A_LIST_ITEM), the list ending at
    a comma, the sentence's end or a verb of its clause (AFTER_LIST) with no figure before the clause's next comma
    ("100% [số xã, phường, thị trấn] đã có đường ô tô tới trung tâm, ...", "trên 70% [cơ quan, đơn vị] được ..."),
    after a lower-case word; a plan's list names its givers only ("[dự toán tỉnh, huyện giao]"), and a period's
    none ("cùng kỳ, chủ yếu do ..."). The 13 references of the development annotations with a comma inside are
    such lists."""
    words, texts, figure, stop = view["words"], view["texts"], view["figure"], view["stop"]
    if words[start] in PERIOD_START_WORDS or end >= len(words) or texts[end] != "," or not texts[end - 1][:1].islower():
        return None  # (an abbreviation is no noun of a list: "trong [GRDP], phục hồi khá tốt")
    plan = words[start] in PLAN_WORDS
    last, b = None, end
    for _ in range(LIST_ITEMS):
        if b >= len(words) or texts[b] != ",":
            break
        j = k = b + 1
        while (
            k < len(words) and k - j < 3 and not figure[k] and not stop[k] and texts[k][:1].isalpha()
            and texts[k][:1].islower() and words[k] not in NOT_A_LIST_ITEM
        ):
            k += 1
        if k == j or k < len(words) and not (texts[k] in (",", ")", "...", "…") or stop[k] or words[k] in AFTER_LIST):
            break
        if plan and not all(words[x] in GIVERS or words[x] in PLAN_GIVEN_VERBS for x in range(j, k)):
            break
        last = b = k
    if last is None:
        return None
    for x in range(last, len(words)):  # no figure of its own clause after the list
        if figure[x]:
            return None
        if texts[x] in (",", ";") or stop[x]:
            break
    return last


def reference_goes_on(words: list[str], start: int, end: int) -> int | None:
    """Where a reference [start, end) goes on, or None: a base period after "cùng kỳ" ("[cùng kỳ năm trước]",
    "[cùng kỳ năm 2022]") and the giver of a plan ("[dự toán được thành phố giao]", "[kế hoạch vốn được giao]",
    "[dự toán đã được HĐND phường thông qua]"); the annotations never end a reference before them."""
    if words[end - 1] == "cùng kỳ" or words[max(0, end - 2) : end] == ["cùng", "kỳ"]:
        period = BASE_PERIOD.match(" ".join(words[end : end + 3]))
        # the tokens it spans (the segmenter may keep "năm ngoái" as one)
        return next((end + k for k in (1, 2, 3) if period and len(" ".join(words[end : end + k])) == period.end()), None)
    if any(w in PLAN_WORDS for w in words[start:end]) and words[end : end + 1] in (["được"], ["đã"]):
        for b in range(end + 1, min(end + 8, len(words)) + 1):
            if words[b - 1] in PLAN_GIVEN_VERBS and "được" in words[end:b]:
                return b
    return None


def _closing_comparison(words: list[str], position: int) -> int | None:
    """The token after a comparison said right after a figure (``position``, a comma allowed before it), and after
    the "so với" that may follow it ("2,22%, cao hơn so với [cùng kỳ]"), or None where none is said."""
    if words[position : position + 1] == [","]:
        position += 1
    after = next((end for p in CLOSING_COMPARISONS if (end := _after_phrase(words, position, p)) is not None), None)
    if after is None:
        return None
    return next((end for p in COMPARED_WITH if (end := _after_phrase(words, after, p)) is not None), after)


def _after_phrase(words: list[str], position: int, phrase: tuple[str, ...]) -> int | None:
    """The token after ``phrase`` written at ``position``, its words as tokens or as one token ("cao hơn"), or
    None where it is not written there."""
    if tuple(words[position : position + len(phrase)]) == phrase:
        return position + len(phrase)
    if len(phrase) > 1 and words[position : position + 1] == [" ".join(phrase)]:
        return position + 1
    return None


STRUCTURE_OF = 4  # tokens after "cơ cấu" within which "của" may name its whole ("cơ cấu ngành hàng của tổng ...")


def _structure_whole(view: dict, position: int) -> int | None:
    """The token where the measured whole of a structure starts (``position`` is the token after "cơ cấu"), or
    None where it names none: the whole is a total ("tổng ..."), a value ("giá trị ...") or an abbreviation
    ("GRDP"), right after "cơ cấu" or after a "của" soon after it."""
    words, texts = view["words"], view["texts"]
    for j in range(position, min(position + STRUCTURE_OF, len(words) - 1)):
        if words[j] == "của":
            position = j + 1
            break
        if view["stop"][j] or texts[j] in (",", ":"):
            break
    if position >= len(words):
        return None
    word = words[position]
    if word.startswith("tổng") or word.startswith("giá trị") or words[position : position + 2] == ["giá", "trị"]:
        return position
    return position if len(texts[position]) > 1 and ABBREVIATION.fullmatch(texts[position]) else None


def _reference_start(words: list[str], position: int) -> int:
    """``position``, or the token after an adverb or a "mức" written before a reference there (see
    BEFORE_REFERENCE)."""
    if position < len(words) and words[position] in BEFORE_REFERENCE:
        position += 1
    if words[position : position + 1] == ["mức"] and position + 1 < len(words) and words[position + 1] in REFERENCE_START_WORDS:
        position += 1
    return position


def _may_start(view: dict, position: int) -> bool:
    """Whether a target may start at token ``position``: a word, a date or a period, not a figure nor a bare
    quantity ("thấp hơn 0,3 tạ/ha" compares by an amount, it names no reference; "so với [31/12/2021]" does)."""
    text = view["texts"][position]
    if not text[:1].isalnum() or view["figure"][position]:
        return False
    following = view["words"][position + 1] if position + 1 < len(view["words"]) else ""
    # a number that opens a date or a period ("31/12/2021", "[4 tháng đầu năm 2023]") starts one
    return not QUANTITY.fullmatch(text) or following in ("/", "tháng", "năm", "quý", "ngày")


@Language.factory(NAME, requires=["doc.ents"], assigns=["doc.ents"], default_config={"max_length": 15})
def make_target_finder(nlp: Language, name: str, max_length: int) -> TargetFinder:
    """Factory of the target component (``nlp.add_pipe("vnreport_targets")``)."""
    return TargetFinder(nlp, name, max_length)


def reference_value(text: str, figure_start: int) -> bool:
    """Whether the figure starting at character ``figure_start`` of ``text`` is a reference's own value, compared
    with nothing: the level another figure is compared with ("vượt mức [47,9%] của năm trước"; see
    :data:`COMPARED_LEVEL`) or the value a plan sets ("kế hoạch đề ra là [8,5-9,5%]"; see :data:`PLAN_VALUE`)."""
    before = max(0, figure_start - REFERENCE_VALUE_REACH)
    return (
        COMPARED_LEVEL.search(text, before, figure_start) is not None
        or PLAN_VALUE.search(text, before, figure_start) is not None
    )
