"""Indicator component: finds, for each figure, the span naming what it measures.

An indicator is defined by its figure ("the name an analyst would put as
a column heading" of that figure), so it is found from the figure rather
than tagged blind: for each MONEY / PERCENT entity, one classifier scores
where the indicator *ends* (each token boundary up to ``max_gap`` tokens
before the figure, or "no indicator"), a second scores where it *starts*
given that end (up to ``max_length`` tokens). Both are linear rankers
(logistic regression on feature differences) over the words and hint classes at the boundaries and what
lies between the span and the figure, so they learn the function words
that delimit indicators ("- ... ước thực hiện ... là", "trên địa bàn",
"đạt") rather than the indicators themselves.

The component adds the chosen spans to ``doc.ents`` as INDICATOR (figures
of one clause chain share one span) and the indicator relations to
``doc._.relations``. Weights are stored as JSON.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from itertools import accumulate

from spacy.language import Language
from underthesea.datasets import stopwords as underthesea_stopwords
from spacy.tokens import Doc, Span
from spacy.training import Example

from vnreport_ie.pipeline.linear import LinearModel, LinearModelFiles, bucket, fit_ranker, model_or_none
from vnreport_ie.pipeline.patterns import doc_hints, indicator_before, is_place, past_abbreviation, token_offsets_and_texts
from vnreport_ie.schema import FIGURE_LABELS
from vnreport_ie.pipeline.relations import FigureRelation, get_relations, set_relations
from vnreport_ie.text.tokenizer import doc_text

NAME = "vnreport_indicators"
# indicators written after their figure (see IndicatorFinder.after_candidates)
AFTER_REACH = 6  # tokens after the figure within which the span starts
AFTER_STARTS = 2  # places where a span may start (the first ones after the figure)
AFTER_MAX_LENGTH = 12  # tokens
# nor does such a span start with "cùng", which joins the next item ("vốn đầu tư 166 tỷ đồng [cùng] vốn sự nghiệp
# ..."), or "dành" / "lấy", which lead to where the money goes or comes from ("2 tỷ đồng được [dành] cho các xã",
# "63 tỷ đồng [lấy] từ nguồn ngân sách tỉnh"): no indicator of the development data starts with one
AFTER_CANNOT_START = frozenset(("cùng", "dành", "lấy"))
AFTER_CLAUSE_MARKS = {",", ";", ":", "(", ")", ".", "-", "–"}
# inverse regularisation of the two rankers (on by-source development folds 2 to 5: exact INDICATOR spans 0.712
# at C=5, 0.721 at C=1, 0.709 at C=25 on 1,328 paragraphs; on 2,013, figure records 0.853 at C=0.5, 0.853 at C=1,
# 0.856 at C=2, 0.853 at C=4, exact INDICATOR 0.771 at C=1 and 0.766 at C=2)
RANKER_C = 2.0
# underthesea's Vietnamese stop words ("có", "để", "lại", "hiện", ...): a span of these alone names nothing
STOPWORDS = frozenset(w.strip() for w in underthesea_stopwords.words if w.strip() and not w.strip().isdigit())
# marks after which a capitalised name may open an indicator: a heading or a list item ("- Lúa: ...", "* Vốn ...")
NAME_MAY_OPEN_AFTER = frozenset((":", "-", "–", "+", "•", "*", "**", "(", '"', "“"))
CLAUSE_BOUNDARIES = {",", ";", ":", ".", "(", ")", "-", "+", "•"}
ALNUM = re.compile(r"[^\W_]")
PUNCTUATION_EDGE = set(".,;:!?()[]{}\"'“”*-+/%…")
# the words a place written in lower case starts with: a whole place ("toàn tỉnh") or a unit word ("tỉnh Cà Mau")
PLACE_FIRST_WORDS = frozenset(
    ("toàn", "cả", "trên", "địa bàn", "tỉnh", "huyện", "quận", "thị xã", "thành phố", "xã", "phường", "thị trấn")
)
# Words the guide leaves out of an indicator (estimates, periods, verbs, comparisons, plan words, units):
# a span of these words alone ("Ước tính đến hết", "tỷ lệ", "so", "Kế hoạch", "ha") names nothing, so it is
# no candidate, and a figure whose nearest clause is only such words takes its indicator from further back.
NON_NAME_WORDS = frozenset(
    (
        # estimates and periods
        "ước tính", "ước", "tính", "ước thực hiện", "thực hiện", "dự kiến", "đến", "hết", "đến hết", "năm",
        "quý", "quí", "tháng", "kỳ", "lũy kế", "luỹ kế", "i", "ii", "iii", "iv", "đề ra",
        # a period's position ("6 tháng đầu năm", "cuối năm 2024", "tính chung 9 tháng")
        "đầu", "cuối", "giữa", "đầu năm", "cuối năm", "giữa năm", "cả năm", "tính chung",
        # shares, links and plan words
        "tỷ lệ", "tỉ lệ", "và", "kế hoạch", "chỉ tiêu", "dự toán", "trong đó", "riêng", "với", "so",
        "cùng kỳ", "thời điểm", "ngày", "hiện nay", "nay", "đến nay",
        # verbs and comparisons
        "đạt", "là", "được", "bằng", "tăng", "giảm", "chiếm", "vượt", "trên", "tại", "của", "đã", "số",
        "tương đương", "tương ứng",
        # prepositions and verbs of giving ("chuyển sang", "kế hoạch giao", "tặng cho")
        "từ", "sang", "giao", "tặng", "đối với", "cho", "về", "theo",
        # units
        "ha", "tấn", "km", "m", "m2", "m²", "con", "lượt", "đồng", "triệu đồng", "tỷ đồng",
        # approximations, sums and orders ("vào khoảng", "lên tới", "cộng dồn", "lần lượt")
        "khoảng", "vào khoảng", "gần", "hơn", "cụ thể", "tới", "lên", "lên tới", "lần lượt", "cộng dồn", "tổng cộng",
        # a unit word or a whole place alone ("huyện", "toàn tỉnh"): the place that reports, not what it measures
        "huyện", "tỉnh", "xã", "phường", "thị trấn", "thị xã", "thành phố", "toàn", "cả", "thôn", "bản", "ấp",
        # running totals the segmenter splits ("cộng" + "dồn", "Tính" + "gộp") and estimates it glues ("ước đạt")
        "cộng", "dồn", "gộp", "tính gộp", "ước đạt", "ước tính đạt", "ước thực hiện đạt",
        # a bare adjective ("cao", "khá") describes a figure, it does not name one; nor does "tức" (that is)
        "cao", "thấp", "khá", "mạnh", "nhẹ", "nhanh", "chậm", "tức", "tức là", "uớc",
        # more units and scale words after a number ("9,5 triệu [lít]", "đồng/[kg]")
        "kg", "lít", "tạ", "m3", "m³", "ngàn", "nghìn", "triệu", "tỷ", "tỉ", "usd", "đ",
    )
) | STOPWORDS
# ... and these never stand inside one (the guide leaves estimates, periods, comparisons and plan words out;
# a colon ends a heading: "Kết quả học tập: [mức Tốt]"): a span starts after them
INSIDE_BARRIERS = frozenset(
    (
        ":", "ước", "ước tính", "ước thực hiện", "lũy kế", "luỹ kế", "dự kiến", "so", "với", "kế hoạch", "dự toán",
        "chỉ tiêu", "cùng kỳ", "quý", "quí", "tháng", "hết", "đến hết", "đến nay", "hiện nay", "trong đó", "riêng",
        "chiếm", "vượt", "đầu năm", "cuối năm", "giữa năm", "cả năm", "tính chung",
        # where a sentence goes on after its subject ("kinh tế - xã hội [vẫn] ...", "dù ...", "... thì")
        "thì", "vẫn", "dù", "mặc dù", "nhưng",
    )
)
GLUED_BARRIERS = tuple(" " + w for w in ("kế hoạch", "dự toán", "chỉ tiêu", "lũy kế", "luỹ kế", "dự kiến"))
# a name does not start with a preposition or a conjunction, nor with the district's own action or a heading
# word before the measured quantity ("Bố trí [thanh toán vốn]", "tiếp tục [đôn đốc thu hồi]", "Công tác [...]")
CANNOT_START = frozenset(
    (
        "và", "của", "tại", "với", "từ", "sang", "đối với", "cho", "về", "theo", "trên", "đến",
        "bố trí", "tổ chức", "tiếp tục", "duy trì", "chỉ đạo", "đẩy mạnh", "phấn đấu", "triển khai", "công tác",
        "kết quả",
        # a demonstrative refers back to a name given before ("[chỉ số] này của tỉnh")
        "này", "đó",
        # the giver or the purpose of an amount starts after "do" / "nhằm" ("1,3 tỷ đồng do [tỉnh hỗ trợ]")
        "do", "nhằm",
        # a count or "each" before the members a figure is stated for ("[mỗi nơi] 4 tỷ đồng", "[hai huyện] ...",
        # "Hai nhà văn hóa ..."): the members, not what is measured; nor an order ("lần lượt là ...")
        "mỗi", "hai", "ba", "bốn", "sáu", "bảy", "tám", "chín", "mười", "lần lượt",
        # the verb or preposition that leads to the measured quantity ("[gồm] chi phí xây lắp", "[thuộc] ngân sách
        # trung ương", "[được] đầu tư", "[gây] thiệt hại", "[khiến] mức đóng bảo hiểm y tế", "[hưởng] mức hỗ trợ",
        # "[trao] hỗ trợ", "[ở] các huyện nghèo"): no indicator of the five reports nor of the by-source development
        # folds 2 to 5 starts with one
        "gồm", "bao gồm", "thuộc", "được", "gây", "khiến", "hưởng", "trao", "ở", "đã",
    )
)
# ... nor with a phrase that leads to the measured quantity, read over the tokens (the segmenter may split it): a
# verb of receiving, causing or helping ("[nhận] mức hỗ trợ", "[bị] tốc mái", "[góp phần giúp] mức tăng trưởng"),
# a count or classifier ("[một] công trình", "[các loại] cây đỗ đậu"), an order or rank in a list ("[tiếp theo là]
# gỗ ...", "[cao nhất là] văn hóa ..."), a breakdown or an opening phrase ("[chia ra] vốn sự nghiệp", "[xét
# theo] nguồn, ...", "[tới nay] tỷ lệ hộ nghèo"): no indicator of the development data starts with one but one
# "nhận hỗ trợ"
LEADING_PHRASES = (
    "nhận", "bị", "chịu", "giúp", "góp phần", "kèm", "đưa", "giữ", "nâng", "ký", "động viên", "kiến nghị",
    "một", "vài", "loại", "các loại", "con số", "việc", "cách",
    "tiếp theo", "kế đến", "tiếp đến", "cao nhất", "thấp nhất", "chủ yếu", "đáng chú ý", "cơ bản",
    "chia ra", "chia thành", "xét theo", "trái lại", "tới nay", "tính đến nay",
    # a bound, an order or a period before the name ("[không quá] 300 triệu đồng", "[sau cùng là] đường ...",
    # "mỗi [năm] bình quân đạt 12,04%")
    "không quá", "tối đa", "tối thiểu", "sau cùng", "cùng", "năm", "tháng", "quý",
)
# ... nor does an indicator end with one, except the few that close names ("[Số tiền thu được]", "[Trẻ nhà trẻ đạt]")
# (nor with a negation, which always comes before its verb: "[mức Chưa đạt]"), nor with a word that needs what
# follows it: a bound ("từ đủ 5 tuổi đến [dưới] 12 tuổi") or the "còn" of a verb ("giảm [còn] 4,5%")
CANNOT_END = (NON_NAME_WORDS - {"đạt", "số", "được", "trên", "bằng", "huyện", "tỉnh", "xã", "phường", "thị trấn", "thị xã", "thành phố"}) | {"chưa", "không", "dưới", "đủ", "còn"}
# ... nor with a demonstrative: "tỷ lệ này", "khu vực này" refer back to a name given before, which is the indicator
CANNOT_END |= {"này", "đó", "trên đây"}
# ... nor with a word that introduces what follows: a list ("Cơ cấu [gồm]: ..."), a finding ("điều tra [cho thấy]"),
# a rank ("đứng [thứ] 29")
CANNOT_END |= {"gồm", "bao gồm", "như sau", "cho thấy", "thấy", "thứ"}
# ... nor with an adverb, which comes before the verb it qualifies ("khoản thu này [cũng] hơn 2,5 tỉ đồng")
CANNOT_END |= {"cũng", "rồi", "nữa", "đều"}
# ... nor with the "each" of a rate's members ("bình quân [mỗi] năm")
CANNOT_END |= {"mỗi"}
# ... except "thực hiện" right after a value noun, which completes the name of the value done, not a verb: "[Vốn đầu tư
# thực hiện] trên địa bàn tỉnh ước hơn ...", "[khối lượng thực hiện] cả năm", "[tổng kinh phí đã thực hiện]" (as
# against "giá trị sản xuất ngành xây dựng thực hiện trên 1.154 tỷ đồng", where it is the verb)
VALUE_NOUNS = frozenset(("vốn", "đầu tư", "kinh phí", "nguồn vốn", "tổng vốn", "giá trị", "khối lượng"))
VALUE_DONE = "thực hiện"
# the unit that reports a figure, or the work that spends it, after "của" / "ở" at the end of an indicator: left out
# ("[GRDP] của tỉnh Đồng Tháp", "[Tổng vốn đầu tư] của dự án"), as is a whole place ("[tỷ lệ hộ nghèo] toàn tỉnh")
REPORTING_UNITS = frozenset(
    ("tỉnh", "huyện", "thành phố", "thị xã", "quận", "xã", "phường", "thị trấn", "tp", "tp.", "dự án", "công trình",
     "toàn tỉnh", "toàn huyện", "cả tỉnh", "cả huyện", "cả nước", "địa phương")
)
WHOLE_PLACES = frozenset(("toàn tỉnh", "toàn huyện", "toàn thành phố", "cả nước", "toàn quốc"))
WHOLE_PLACE_PAIRS = frozenset(
    (first, unit) for first in ("toàn", "cả") for unit in ("tỉnh", "huyện", "thành phố", "nước", "quốc", "xã")
)
# what a source says comes after its verb of saying: the indicator starts after it ("Sở KH&ĐT cho biết [tốc độ tăng
# trưởng kinh tế (GRDP)] ...", "báo cáo rằng [chỉ số sản xuất ...]", "trong số này [chi đầu tư ...]")
REPORTED_SPEECH = ("cho biết", "cho thấy", "rằng", "công bố", "trong số này")
# ... so a span right before a verb of saying is the source, never the indicator ("[Số liệu thống kê] cho thấy",
# "Kết quả [điều tra] cho thấy"): no annotation ends an indicator there
SAYING = ("cho biết", "cho thấy", "rằng", "công bố")
SAYING_FIRST_WORDS = frozenset(phrase.split()[0] for phrase in SAYING)
# ... nor on a superlative, an approximation, a degree or a city's abbreviation ("Tây Giang cao [nhất] với 38,07%",
# "ở mức [chừng] 72,6 tỷ đồng", "[xấp xỉ] 6 tỷ đồng", "[ít] hơn", "TP"): no annotation ends an indicator on one
NEVER_LAST = frozenset((
    "nhất", "chừng", "xấp xỉ", "ít", "đà", "tp", "tp.",
    # ... nor on a verb of receiving or costing, half of an estimate or a bound ("[huyện nhận]", "[xây dựng tốn]",
    # "[sản lượng lúa dự] ước", "[kinh phí dự tính]", "[nhiệm vụ trở] lên", "không [quá]"), "thuộc", "vừa" or a
    # verb of saying ("[Lãnh đạo huyện cho biết]"): no development annotation ends an indicator on one
    "nhận", "tốn", "dự", "tính", "dự tính", "trở", "quá", "thuộc", "vừa", "cho biết", "biết",
))
# ... nor starting on the basis a figure is reckoned on, on "itself", a copula or a conjunction ("[tính] theo giá so
# sánh", "[tính] bình quân", "[bản thân] tăng trưởng", "kế đến [là] Nam Trà My 37,37%", "[còn] ..."): no development
# annotation starts an indicator on one
NEVER_FIRST = (
    "tính", "bản thân", "theo giá", "là", "tức", "còn", "riêng", "nhưng", "khi", "nếu", "vì", "nên",
    # a whole place, a time, a frame or a plural determiner opening the clause ("[toàn tỉnh] gieo cấy", "[hiện] các
    # hạng mục", "[trong] số vốn", "[những] hộ tham gia", "[nay] mới"): no development annotation starts so
    "toàn", "hiện", "trong", "những", "nay",
    # ... nor on the reporting place or side, a use, a rank, a quantifier, an adverb or half a period ("[địa phương]
    # cố gắng huy động", "[phía] ngân hàng hỗ trợ", "[dùng] để kiên cố hóa", "[xếp] thứ hai", "[một] số khoản thu",
    # "[lại] được cấp", "[nửa] đầu năm")
    "địa phương", "phía", "dùng", "xếp", "một", "một số", "xa", "lại", "nửa",
)
# ... and a clause that opens with that basis ends none (", tính theo giá so sánh năm 2010, ước ..."; not "tính đến
# nay [tổng giá trị sản xuất] ...", a period before the name)
BASIS_OPENERS = ("tính theo", "theo giá", "tính bình quân", "tính trên")
NEVER_FIRST_WORDS = frozenset(phrase.split()[0] for phrase in NEVER_FIRST + BASIS_OPENERS)
# the adverbs between a subject and its verb ("địa phương [đã] huy động", "Đồng Nai [vì thế] xuất siêu"): after a
# subject that is a place, a unit or a proper name, the indicator is the verb phrase ("[huy động]"); after a
# measured noun the adverb stays in ("[vốn đã giải ngân]", "[diện tích lúa đã thu hoạch]")
PREVERBAL_ADVERBS = ("đã", "mới", "cũng", "còn", "sẽ", "đang", "vừa", "vì thế", "vì vậy", "đều")
# a relative clause ("[tổng vốn đầu tư] mà Đắk Lắk huy động") and the price basis of a value ("[tổng giá trị sản
# xuất] tính theo giá so sánh 2010") qualify the figure, not the name: the indicator ends before them (a basis
# inside the name's own bracket stays: "tổng sản phẩm (GRDP, giá so sánh)"); a relative clause after a one-word
# head is the name itself ("9 trường hợp mà [nhà ở bị lửa thiêu ...]"), so it stays
QUALIFIER_OPENERS = ("mà", "tính theo giá", "theo giá", "( theo giá", "( tính theo giá")
# ... and so does "phát sinh" before the place revenue arises in ("[thu ngân sách nhà nước] phát sinh trên địa bàn
# phường", "[tổng số thu ngân sách nội địa] phát sinh tại thành phố": 5 annotations of 8 leave it out)
ARISES_IN = ("phát sinh trên địa bàn", "phát sinh tại")
# ... and so do a place inside which it is counted ("[doanh thu bán lẻ hàng hóa] trên địa bàn tỉnh", "[lực lượng lao
# động] trong tỉnh"; the guide leaves out "trên địa bàn ..."; "tổng sản phẩm trên địa bàn" is the name of GRDP and
# keeps it), the members it is counted over ("[tổng mức đầu tư] của cả ba", "[mức đầu tư] cho từng trường"; not
# "kể cả" / "tính cả", which add to the name) and the measure of an item ("[cây lâu năm] có diện tích ..."; "có
# trị giá" is the value of the item itself: "công trình có [trị giá]")
PLACE_QUALIFIERS = ("trong", "tại", "trên địa bàn", "toàn địa bàn")
PLACE_QUALIFIED_UNITS = frozenset(("tỉnh", "huyện", "quận", "thành phố", "thị xã", "xã", "phường", "thị trấn", "tp", "tp."))
MEMBER_QUALIFIERS = ("của cả", "cho cả", "của từng", "cho từng", "cả", "từng")
MEASURE_WORDS = frozenset(
    ("diện tích", "giá trị", "tổng", "sản lượng", "năng suất", "doanh thu", "tổng giá trị", "số lượng")
)
# words that complete the name before them and never start what follows ("[dịch vụ khác]", "[doanh thu dịch vụ tiêu
# dùng]", "[ngân sách cấp tỉnh]", "[trạm y tế]", "[hoàn thành tốt nhiệm vụ trở lên]"): no annotation ends a name
# right before one
NAME_COMPLETIONS = ("khác", "y tế", "tiêu dùng", "cấp tỉnh", "cấp huyện", "cấp xã", "trở lên", "hiện có")
# standard terms of a work's cost, always the indicator of the amount right after them (the guide's notes: "[tổng
# mức đầu tư] is an INDICATOR, a standard term, unlike bare tổng kinh phí"); each precedes its amount in every
# annotation of the development data
STANDARD_COST_TERMS = ("tổng mức đầu tư", "tổng vốn đầu tư", "tổng vốn đăng ký", "chi phí xây lắp")
APPROXIMATIONS = frozenset(
    ("là", "khoảng", "gần", "hơn", "trên", "lên tới", "xấp xỉ", "chừng", "dự kiến", "ước", "ước tính", "vào khoảng", "tới")
)
# a part of the money that spending is said of ("phần vốn ...", "vốn kế hoạch", "ngân sách địa phương"), the verbs
# of spending, the words between such a subject and its verb, and the period words it may end on
MONEY_COMPONENTS = ("vốn", "phần vốn", "nguồn vốn", "ngân sách", "phần ngân sách", "nguồn ngân sách")
SPENDING_VERBS = ("giải ngân",)
SUBJECT_TO_VERB = frozenset(("đã", "được", "mới", "ước", "cũng", "còn", "đều", "đang", "vừa", "chỉ"))
PERIOD_WORDS_AFTER = frozenset(("năm", "sang", "tháng", "quý", "trong"))
# verbs of setting money aside, the words that qualify an amount after them, and the words of purpose or source
# after the amount ("dành [hơn] 39,7 tỷ đồng để ...", "trích 360 triệu đồng từ ...")
SET_ASIDE_VERBS = frozenset(("dành", "dành ra", "trích", "trích ra", "bỏ ra", "dùng", "bố trí"))
AMOUNT_QUALIFIERS = frozenset(("khoảng", "gần", "hơn", "trên", "tổng cộng", "tới", "thêm", "được"))
PURPOSE_WORDS = frozenset(("để", "cho", "nhằm", "từ"))
SCALE_WORDS = frozenset(("ngàn", "nghìn", "triệu", "tỷ", "tỉ", "trăm", "chục"))
# the units a share counts ("100% [số] [xã] ...", "95% [người] dân"), and the verbs of ratio before a share of a whole
UNIT_QUANTIFIERS = ("số", "các", "những", "tổng số")
COUNTED_UNITS = (
    "xã", "hộ", "người", "thôn", "trường", "học sinh", "gia đình", "dòng họ", "khu dân cư", "cơ quan", "đơn vị", "km",
    "tuyến", "công dân", "trẻ", "sản phẩm", "doanh nghiệp", "nhà", "cơ sở", "huyện", "phòng", "lao động",
)
SHARE_QUALIFIERS = frozenset(("tối thiểu", "ít nhất", "có", "còn", "là"))
RATIO_VERBS = frozenset(("đạt", "bằng", "chiếm", "tỷ lệ", "tỉ lệ", "lên", "xuống", "tương đương", "tương ứng"))
# the words of money's source after an amount ("... tỷ đồng [ngân sách] trung ương") and what opens a list of parts
SOURCE_NOUNS = ("vốn", "ngân sách", "nguồn", "quỹ", "tiền", "thu")
GIVER_WORDS = frozenset(("do",))  # "gồm 1,3 tỷ đồng [do] tỉnh hỗ trợ"
PART_OPENERS = frozenset(("gồm", "bao gồm", "là", "có", "và", "còn", "cùng", "với", "trong đó", "này", "đó"))
# conjunctions that may open a clause before its subject ("còn chỉ số này ...", "riêng khoản thu này ...")
CLAUSE_OPENING_CONJUNCTIONS = frozenset(("còn", "và", "riêng", "nhưng", "tuy nhiên", "trong khi đó", "đồng thời"))
# a comparison written between a counted object and its rate ("... ha [lúa Xuân], giảm 1% so với vụ Xuân năm 2022",
# "... lượt [khách du lịch], so với cùng kỳ năm 2021 tăng 50,4%"), the units of a count, and how long an object is
COMPARISON_BETWEEN = frozenset(
    (
        ",", "so", "với", "so với", "so sánh", "cùng kỳ", "cùng", "kỳ", "vụ", "cùng vụ", "năm", "năm trước", "trước",
        "ngoái", "năm ngoái", "tăng", "giảm", "cao", "thấp", "ít", "nhiều", "hơn", "cao hơn", "thấp hơn", "ít hơn",
        "nhiều hơn", "bằng", "đạt", "chiếm", "vượt", "lên", "xuống", "khoảng", "gần", "trên", "là", "ước", "thêm",
        "tương đương", "tương ứng", "mùa", "xuân", "đông", "hè thu", "hè", "thu", "tháng", "quý", "kế hoạch", "chỉ tiêu",
    )
)
YEAR = re.compile(r"(?:19|20)\d\d")
COUNT_UNITS = frozenset(("ha", "tấn", "con", "lượt", "người", "km", "hộ", "căn", "chiếc", "cái", "m2", "m²", "m3", "tạ", "héc ta"))
OBJECT_LENGTH = 10  # tokens
# two words the segmenter may split that make one name ("cây hàng | năm", "nông thôn | mới", "giải phóng mặt |
# bằng"): the second is a period or degree word alone, never an end after the first (no annotation cuts them)
SPLIT_COMPOUNDS = frozenset(
    (
        ("hàng", "năm"), ("hằng", "năm"), ("lâu", "năm"), ("ngắn", "ngày"), ("dài", "ngày"), ("ngắn", "hạn"),
        ("dài", "hạn"), ("nông thôn", "mới"), ("nâng", "cao"), ("mặt", "bằng"), ("năng suất", "cao"),
        ("chất lượng", "cao"),
    )
)
# a number with a decimal or thousands mark is a quantity, which ends no name ("Bố Trạch [4.714,7] ha (tăng 5,2%)");
# a name may end on a plain number ("mũi 02", "QĐ 1800")
QUANTITY = re.compile(r"\d[.,]\d")
# barrier phrases the word segmenter may split across tokens ("Lũy" + "kế tiêm"): found in the text, every token
# of a phrase that is split is a barrier (a phrase inside one token is judged by INSIDE_BARRIERS as before)
SPLIT_BARRIERS = re.compile(
    r"(?<!\w)(?:lũy kế|luỹ kế|ước thực hiện|ước tính|dự kiến|kế hoạch|dự toán|chỉ tiêu|cùng kỳ|đến hết)(?!\w)",
    re.IGNORECASE,
)
# markup in the text ("ngân sách <script>…</script> đạt"): a tag, a comment, or a script / style element with its
# content; no indicator holds or crosses it (an indicator holds words, not "<", ">" or code)
MARKUP = re.compile(
    r"<(script|style)\b[^>]*>.*?</\1\s*>|<!--.*?-->|</?[A-Za-z][^<>]{0,200}>", re.IGNORECASE | re.DOTALL
)


def _prefix_counts(flags: Iterable[bool]) -> list[int]:
    """counts[i]: how many of the first i flags are true."""
    return list(accumulate(map(int, flags), initial=0))


# the words between the bracket and a change stated for a place's quantity: "Bố Trạch 4.714,7 ha ([tăng] 5,2%)"
CHANGE_IN_BRACKET = {"tăng", "giảm", "bằng", "đạt"}


class _DocArrays:
    """What the indicator features read from a Doc, as plain lists and prefix counts (fast to query)."""

    def __init__(self, doc: Doc, hints: list[str], blocked: list[bool], figure: list[bool]):
        tokens = token_offsets_and_texts(doc)
        texts = [text for _, text in tokens]
        self.length = len(doc)
        self.texts = texts
        self.words = [text.lower() for text in texts]
        # each token's first syllable ("người" of "người dân"), for quick first-word checks
        self.first_syllables = [word.split(maxsplit=1)[0] if word.strip() else word for word in self.words]
        # a token the segmenter glued to a barrier word ("Tổng kế hoạch") is a barrier too
        self.barrier = [w in INSIDE_BARRIERS or w.endswith(GLUED_BARRIERS) for w in self.words]
        full_text = doc_text(doc)
        starts = [idx for idx, _ in tokens]
        for match in SPLIT_BARRIERS.finditer(full_text):
            first, after = max(0, bisect_right(starts, match.start()) - 1), bisect_left(starts, match.end())
            if after - first > 1:
                for i in range(first, after):
                    self.barrier[i] = True
        blocked = list(blocked)
        for match in MARKUP.finditer(full_text):
            for i in range(max(0, bisect_right(starts, match.start()) - 1), bisect_left(starts, match.end())):
                blocked[i] = True
        # opening[i]: for a ")" that closes a bracket opened within a few tokens, where it opened
        # ("[Vốn ngân sách trung ương (NSTW)] là ...": the guide keeps such a bracket in the indicator)
        self.opening: dict[int, int] = {}
        for i, text in enumerate(texts):
            if text == ")":
                for j in range(i - 1, max(-1, i - 10), -1):
                    if texts[j] == "(":
                        self.opening[i] = j
                        break
                    if texts[j] in (")", ";", ".", ":") or "\n" in texts[j] or blocked[j] or self.barrier[j]:
                        break
        self.hints = hints
        self.blocked = blocked
        self.figure = figure
        # an indicator starts and ends on a word or a number, never on a lone symbol (">", "&", "=")
        self.can_edge = [text not in PUNCTUATION_EDGE and ALNUM.search(text) is not None for text in texts]
        self.stops = [text in (";", ".") or "\n" in text for text in texts]
        self.has_digit = [not text.isalpha() and any(c.isdigit() for c in text) for text in texts]
        self.is_title = [text[:1].isupper() for text in texts]
        # where a name may end on a word that ends none elsewhere: "thực hiện" after a value noun (VALUE_NOUNS)
        words = self.words
        self.may_end = [
            w not in CANNOT_END or (
                w == VALUE_DONE and (
                    i >= 1 and words[i - 1] in VALUE_NOUNS or i >= 2 and words[i - 1] == "đã" and words[i - 2] in VALUE_NOUNS
                )
            )
            for i, w in enumerate(words)
        ]
        # nearest_name[b]: the last token before b that can carry a name, with no entity or stop after it
        self.nearest_name: list[int | None] = [None]
        last = None
        for i, text in enumerate(texts):
            if blocked[i] or self.stops[i] or self.barrier[i]:
                last = None
            elif self.can_edge[i] and not self.has_digit[i] and self.words[i] not in NON_NAME_WORDS:
                last = i
            self.nearest_name.append(last)
        self.token_start_char = [idx for idx, _ in tokens]
        self.token_end_char = [idx + len(text) for idx, text in tokens]
        self.digits = _prefix_counts(self.has_digit)
        self.commas = _prefix_counts(text == "," for text in texts)
        self.brackets = _prefix_counts(text in "()" for text in texts)
        self.verbs = _prefix_counts(h in ("FIGURE_VERB", "COMPARE_WORD") for h in hints)
        self.numbers = _prefix_counts(h == "NUMBER" for h in hints)
        # first token of the clause holding each token: after the last clause mark before it
        self.clause_first = []
        first = 0
        for i, text in enumerate(texts):
            self.clause_first.append(first)
            if text in CLAUSE_BOUNDARIES or "\n" in text:
                first = i + 1
        self.text = full_text
        self._char_positions: dict[str, list[int]] = {}
        self._places: dict[tuple[int, int], bool] = {}

    def place_tokens(self, a: int, b: int) -> bool:
        """Whether tokens [a, b) name only a place (a province, district or commune, or "toàn tỉnh")."""
        if a < 0 or b > self.length or a >= b:
            return False
        key = (a, b)
        if key not in self._places:
            # only a capitalised word or a whole-place phrase can name one: skip the lookup for the rest
            first = self.words[a]
            self._places[key] = (self.is_title[a] or first in PLACE_FIRST_WORDS) and is_place(
                self.text[self.token_start_char[a] : self.token_end_char[b - 1]]
            )
        return self._places[key]

    def place_then_nothing(self, a: int, b: int) -> bool:
        """Whether the span [a, b) is a place followed only by words that name nothing ("Thạch Long được
        120 triệu": an item of a breakdown by place, which keeps its parent's indicator)."""
        return any(
            self.place_tokens(a, a + k) and all(self.words[i] in NON_NAME_WORDS for i in range(a + k, b))
            for k in (1, 2, 3) if a + k < b
        )

    def opens_with_basis(self, i: int) -> bool:
        """Whether the clause holding token ``i`` opens with the basis a figure is reckoned on (BASIS_OPENERS)."""
        first = self.clause_first[i]
        return self.first_syllables[first] in NEVER_FIRST_WORDS and self.phrase_at(first, BASIS_OPENERS) > 0

    def says_place(self, b: int) -> bool:
        """Whether the tokens before b end on a verb of saying and then a place, which the reporting unit is cut
        from ("Báo cáo tiến độ cho thấy [toàn tỉnh]": the span would end right before "cho thấy")."""
        for i in range(max(0, b - 5), b - 1):
            if self.first_syllables[i] not in SAYING_FIRST_WORDS:
                continue
            n = self.phrase_at(i, SAYING)
            if n and i + n < b and self.place_tokens(i + n, b):
                return True
        return False

    def name_only(self, a: int, b: int) -> bool:
        """Whether the span [a, b) is a proper name of two syllables or more, every one capitalised, inside a
        sentence, and then only words that name nothing: a place the gazetteer does not know ("Đức Yên được 120
        triệu": a commune merged before its date), a fund or a firm ("Quỹ Dariu Foundation"); no indicator of the
        development annotations is one."""
        if a == 0 or self.stops[a - 1] or self.texts[a - 1] in NAME_MAY_OPEN_AFTER:
            return False
        end = a  # the name: the capitalised words from a, then words that name nothing ("Đức Yên được")
        while end < b and all(w[:1].isupper() and ALNUM.search(w) and not w.isupper() for w in self.texts[end].split()):
            end += 1
        syllables = sum(len(text.split()) for text in self.texts[a:end])
        return syllables >= 2 and all(self.words[i] in NON_NAME_WORDS for i in range(end, b))

    def place_after(self, a: int, b: int) -> bool:
        """Whether the span [a, b) opens with a place name and goes on ("Gia Lai giải ngân")."""
        return any(self.place_tokens(a, a + k) for k in (1, 2, 3) if a + k < b)

    def without_reporting_unit(self, a: int, b: int) -> int:
        """The end of the span [a, b) without the unit that reports its figure, or the work that spends it, after
        "của" / "ở" ("[GRDP] của tỉnh Đồng Tháp", "[Tổng mức đầu tư] của dự án", "[giá tôm] ở Bạc Liêu"), and
        without a whole place ("[tỷ lệ hộ nghèo] toàn tỉnh"): the guide leaves them out ("của" + a part that tells
        series apart stays in: "doanh thu của cơ sở lưu trú")."""
        cut = b
        if b - a >= 2 and self.words[b - 1] in WHOLE_PLACES:
            cut = b - 1
        elif b - a >= 3 and (self.words[b - 2], self.words[b - 1]) in WHOLE_PLACE_PAIRS:
            cut = b - 2
        else:
            for k in range(b - 2, max(a, b - 7), -1):
                if self.words[k] in ("của", "ở"):
                    head = self.words[k + 1]
                    named = all(self.is_title[i] for i in range(k + 2, b))
                    if (head in REPORTING_UNITS and named) or self.place_tokens(k + 1, b):
                        cut = k
                    break
        if cut == b:
            return b
        cut = self.name_end(a, cut, also=("trên",))  # "[số tiêu chí đạt được] trên toàn tỉnh"
        return cut if cut > a else b

    def name_end(self, a: int, b: int, also: tuple[str, ...] = ()) -> int:
        """The end of the span [a, b) once the words no name ends with (CANNOT_END, ``also``, punctuation) are
        dropped from its end; a bracket opened inside the span stays closed ("[lực lượng lao động (từ 15 tuổi
        trở lên)] trong tỉnh")."""
        while b > a and (not self.may_end[b - 1] or self.words[b - 1] in also or not self.can_edge[b - 1]):
            if self.texts[b - 1] == ")" and self.opening.get(b - 1, -1) >= a:
                break
            b -= 1
        return b

    def phrase_at(self, i: int, phrases: tuple[str, ...]) -> int:
        """How many tokens from i spell one of ``phrases`` (lower case, words joined by spaces); 0 if none."""
        for n in (1, 2, 3, 4):
            if i + n > self.length:
                break
            if " ".join(self.words[i : i + n]) in phrases:
                return n
        return 0

    def qualifies_after(self, start: int, i: int, end: int) -> bool:
        """Whether a qualifier of the figure opens at token i of the span [start, end): a place it is counted in
        (PLACE_QUALIFIERS + a unit word), the members it is counted over (MEMBER_QUALIFIERS) or an item's
        measure ("có" + MEASURE_WORDS)."""
        n = self.phrase_at(i, PLACE_QUALIFIERS)
        if n and i + n < end and self.words[i + n] in PLACE_QUALIFIED_UNITS:
            # the place ends the span (a giver "Hội đồng hương Sóc Trăng tại TP.HCM hỗ trợ" goes on); "tổng sản
            # phẩm trên địa bàn (tỉnh)" is the name of GRDP
            trailing = all(self.is_title[k] or not self.can_edge[k] for k in range(i + n + 1, end))
            return trailing and "sản phẩm" not in self.words[i - 1]
        n = self.phrase_at(i, MEMBER_QUALIFIERS)
        if n and i + n < end and self.words[i - 1] not in ("kể", "tính"):
            return True
        return self.words[i] == "có" and i + 1 < end and self.words[i + 1] in MEASURE_WORDS

    def opens_with_demonstrative(self, figure_start: int) -> bool:
        """Whether the clause of a figure starting at ``figure_start`` opens with a subject of one or two words
        and "này" ("Chỉ số này tăng 5%", "Khu vực này ước tăng trưởng 2,22%", "..., giá trị này ước đạt ..."):
        a name given before, not a new one (not a period: "tháng này", nor a part: "trong số này")."""
        if figure_start == 0:
            return False
        i = self.clause_first[figure_start - 1]
        while i < figure_start and self.words[i] in CLAUSE_OPENING_CONJUNCTIONS:
            i += 1
        if i >= figure_start or self.words[i] in NON_NAME_WORDS:
            return False
        for n in (1, 2):
            if i + n < figure_start and self.words[i + n] == "này" and all(
                self.can_edge[k] and not self.blocked[k] and not self.has_digit[k] for k in range(i, i + n)
            ):
                return True
        return False

    def clause_is_place(self, figure_start: int) -> bool:
        """Whether the clause of a figure starting at ``figure_start`` holds only a place before it ("Kỳ Sơn 5,8
        tỷ đồng", "xã Tân Thịnh 2,5 tỷ đồng")."""
        first = self.clause_first[figure_start - 1] if figure_start else 0
        return first < figure_start and self.place_tokens(first, figure_start)

    def stop_between(self, a: int, b: int) -> bool:
        """Whether a sentence or clause stop (";", ".", a line break) lies among tokens [a, b)."""
        return any(self.stops[a:b])

    def change_after_place(self, figure_start: int) -> bool:
        """Whether a figure starting at ``figure_start`` is the change in brackets after a place's own quantity,
        an item of a breakdown by place ("diện tích gieo trồng từng địa phương như sau: ..., Bố Trạch 4.714,7 ha
        ([tăng] 5,2%), Quảng Ninh 4.180,6 ha (bằng 96,3%)"): only a verb of change between the bracket and it, and
        before the bracket a place then a number and its unit."""
        first = self.clause_first[figure_start - 1] if figure_start else 0
        if first < 2 or self.texts[first - 1] != "(" or any(
            self.words[i] not in CHANGE_IN_BRACKET for i in range(first, figure_start)
        ):
            return False
        start = self.clause_first[first - 2]
        number = next((i for i in range(start, first - 1) if self.has_digit[i]), None)
        return number is not None and number - start <= 4 and self.place_tokens(start, number)

    def standard_term_before(self, figure_start: int) -> tuple[int, int] | None:
        """The span of a STANDARD_COST_TERMS right before a figure starting at ``figure_start`` (an estimate or
        approximation between: "tổng mức đầu tư là hơn ..."), or None."""
        e = figure_start
        while e > 0 and self.words[e - 1] in APPROXIMATIONS:
            e -= 1
        for n in (1, 2, 3, 4):
            if e - n >= 0 and not any(self.blocked[e - n : e]) and self.phrase_at(e - n, STANDARD_COST_TERMS) == n:
                return e - n, e
        return None

    def object_counted_before(self, figure_start: int) -> tuple[int, int, int] | None:
        """(start, end, count) of the object of a count ("30,3 nghìn ha [lúa vụ mùa]") that a figure starting at
        ``figure_start`` is compared after, when only a comparison lies between them (COMPARISON_BETWEEN, a
        comma, a year): count is the token of the count's number. None when there is no such object."""
        e = figure_start
        while e > 0 and (self.words[e - 1] in COMPARISON_BETWEEN or YEAR.fullmatch(self.words[e - 1])):
            e -= 1
        if e == figure_start or e == 0:
            return None
        # the object ends at the comma that opens the comparison ("ha [lúa vụ mùa], so với cùng vụ ...")
        e = next((k for k in range(e, figure_start) if self.words[k] == ","), e)
        a = e
        while a > 0 and e - a < OBJECT_LENGTH:
            i = a - 1
            if self.blocked[i] or self.stops[i] or self.has_digit[i] or not (self.can_edge[i] or self.words[i] == ","):
                break
            if self.words[i] in COUNT_UNITS and i > 0 and (self.has_digit[i - 1] or self.words[i - 1] in ("nghìn", "ngàn", "triệu")):
                count = i - 1 if self.has_digit[i - 1] else i - 2
                if a < e and count >= 0 and self.has_digit[count] and not self.figure[count]:
                    end = self.name_end(a, e)
                    names = any(self.words[k] not in NON_NAME_WORDS for k in range(a, end))
                    if not names or end <= a:
                        return None
                    # an object already named before the count is counted in that name's unit ("[lượt khách tới
                    # các cơ sở ...] đạt 123.000 lượt khách, bằng 13,57%"): the name before it stays
                    sentence = count
                    while sentence > 0 and not self.stops[sentence - 1]:
                        sentence -= 1
                    earlier = self.text[self.token_start_char[sentence] : self.token_start_char[count]].lower()
                    named = self.text[self.token_start_char[a] : self.token_end_char[end - 1]].lower()
                    return None if named in earlier else (a, end, count)
                return None
            if self.words[i] == ",":
                break
            a = i
        return None

    def named_after(self, figure: Span) -> bool:
        """Whether one of the guide's readings takes the name written after ``figure`` over any before it: an
        amount set aside for a purpose, a share of counted units, a part of money named by its source or giver."""
        return self.set_aside_for(figure) or self.share_of_units(figure) or self.source_after(figure)

    def set_aside_for(self, figure: Span) -> bool:
        """Whether an amount is set aside for a purpose written after it ("dành 39,7 tỷ đồng để [hỗ trợ những xã
        ...]", "trích 360 triệu đồng từ [Quỹ cứu trợ tỉnh]"): a verb of setting aside before it (its qualifiers
        between) and a word of purpose or source right after it; the purpose names the amount (each of the 9 such
        amounts of the development annotations is named after it)."""
        i = figure.start - 1
        while i >= 0 and self.words[i] in AMOUNT_QUALIFIERS:
            i -= 1
        verb = any(i - n + 1 >= 0 and " ".join(self.words[i - n + 1 : i + 1]) in SET_ASIDE_VERBS for n in (2, 1))
        return verb and figure.end < self.length and self.words[figure.end] in PURPOSE_WORDS

    def unit_after_number(self, a: int, b: int) -> bool:
        """Whether the span [a, b) is one syllable right after a number or a scale word, the unit of a quantity
        ("may mặc 67,5 ngàn [cái] (tăng 3,8%)"); an acronym is a name ("01 [HTX]"). Of the development annotations'
        indicators right after a number, only "HTX" is one syllable."""
        return (
            b - a == 1 and a > 0 and " " not in self.words[a].strip() and not self.texts[a].isupper()
            and (self.has_digit[a - 1] or self.words[a - 1] in SCALE_WORDS)
        )

    def share_of_units(self, figure: Span) -> bool:
        """Whether a percentage is the share of counted units that the words after it say something of ("100% số
        xã [đạt chuẩn nông thôn mới]", "hơn 95% người dân [đã tham gia BHYT]"): units right after it, and no verb of
        ratio before it ("đạt 54,6% tổng số xã" is the ratio of what came before). In the development annotations 28
        of 33 such percentages are named after them, and 8 of 9 after a verb of ratio before them."""
        if figure.label_ != "PERCENT" or figure.end >= self.length:
            return False
        after = figure.end
        if not self.units_at(after) and not (self.phrase_at(after, UNIT_QUANTIFIERS) and self.units_at(after + 1)):
            return False
        i = figure.start - 1
        while i >= 0 and (self.words[i] in AMOUNT_QUALIFIERS or self.words[i] in SHARE_QUALIFIERS):
            i -= 1
        return i < 0 or self.words[i] not in RATIO_VERBS

    def units_at(self, k: int) -> bool:
        """Whether counted units (COUNTED_UNITS) start at token ``k``: "xã", "học sinh", "người dân" (one token)."""
        return k < self.length and (self.phrase_at(k, COUNTED_UNITS) > 0 or self.first_syllables[k] in COUNTED_UNITS)

    def source_after(self, figure: Span) -> bool:
        """Whether an amount is a part of money named right after it, by its source or its giver ("gồm 144,953 tỷ
        đồng [ngân sách trung ương] và ...", "có hơn 13.000 tỷ đồng [thu nội địa]", "gồm 1,3 tỷ đồng do [tỉnh hỗ
        trợ]"): a word of money's source or "do" right after it, and no verb before it but a list's or a part's
        opener. In the development annotations 41 of 46 amounts with a word of source after them are named after
        them, the others following a verb ("giải ngân 47 tỷ đồng vốn ..."), and 19 of 25 with "do" after them."""
        if figure.label_ != "MONEY" or figure.end >= self.length:
            return False
        if (
            not self.phrase_at(figure.end, SOURCE_NOUNS) and self.first_syllables[figure.end] not in SOURCE_NOUNS
            and self.words[figure.end] not in GIVER_WORDS
        ):
            return False
        i = figure.start - 1
        while i >= 0 and self.words[i] in AMOUNT_QUALIFIERS:
            i -= 1
        return i < 0 or self.words[i] in AFTER_CLAUSE_MARKS or self.words[i] in PART_OPENERS

    def component_spent(self, a: int, b: int) -> tuple[int, int] | None:
        """For a span [a, b) that is only a verb of spending ("giải ngân", "đã giải ngân được"), the part of the
        money its clause opens with as the verb's subject ("Cụ thể, [phần vốn thuộc kế hoạch] năm 2025 giải ngân",
        "còn [vốn kế hoạch] năm 2025 đã giải ngân"), without the period after it; None when the clause opens
        otherwise (who spends: "tỉnh mới giải ngân", "số vốn huyện đã giải ngân"; a part referred back to: "phần
        vốn này"; a programme: "vốn [Chương trình 30a] đã giải ngân")."""
        verb = next((i for i in range(a, b) if self.phrase_at(i, SPENDING_VERBS)), None)
        if verb is None or verb + self.phrase_at(verb, SPENDING_VERBS) < b - 1:
            return None
        if any(self.words[i] not in SUBJECT_TO_VERB for i in range(a, verb)):
            return None
        start = self.clause_first[verb] if verb else 0
        start += self.phrase_at(start, tuple(CLAUSE_OPENING_CONJUNCTIONS))
        if not self.phrase_at(start, MONEY_COMPONENTS):
            return None
        end = start
        while end < a and self.words[end] not in SUBJECT_TO_VERB:
            if self.blocked[end] or self.stops[end] or self.words[end] in ("này", "đó", "đây"):
                return None
            end += 1
        while end > start + 1 and (self.has_digit[end - 1] or self.words[end - 1] in PERIOD_WORDS_AFTER):
            end -= 1  # "phần vốn thuộc kế hoạch [năm 2025]", "... kéo dài [sang năm 2025]"
        return (start, end) if end > start else None

    def names_actor(self, a: int, b: int) -> bool:
        """Whether tokens [a, b) name who acts rather than what is measured: a place, a unit word ("tỉnh",
        "địa phương") or a proper name of two words or more, every one capitalised ("Chủ tịch UBND TP Cần Thơ";
        not a capitalised first word alone: "Diện tích đã gieo cấy")."""
        return (
            self.words[a] in REPORTING_UNITS or self.place_tokens(a, b) or self.place_after(a, b + 1)
            or (b - a >= 2 and all(self.is_title[i] for i in range(a, b)))
        )

    def without_qualifiers(self, a: int, b: int, after: bool = False) -> tuple[int, int]:
        """The span [a, b) without what qualifies its figure rather than naming it: before the name, a source
        and its verb of saying (REPORTED_SPEECH) and a subject that acts with its adverb (PREVERBAL_ADVERBS,
        :meth:`names_actor`); after it, a relative clause or a price basis (QUALIFIER_OPENERS) and the place,
        members or measure it is counted by (:meth:`qualifies_after`), none of them in a span written after the
        figure, which describes what the figure counts ("9 trường hợp mà [nhà ở bị ...]"). The span then takes
        the second word of a split compound (SPLIT_COMPOUNDS) and a word that completes its name
        (NAME_COMPLETIONS). Unchanged but for those two when nothing that names would be left."""
        start, end = a, b
        for i in range(b - 2, a - 1, -1):  # the last verb of saying inside the span
            n = self.phrase_at(i, REPORTED_SPEECH)
            if n and i + n < b:
                start = i + n
                while start < b and (self.words[start] in CANNOT_START or not self.can_edge[start]):
                    start += 1
                break
        for i in range(start + 1, end - 1):  # a subject and its adverb before the verb phrase
            n = self.phrase_at(i, PREVERBAL_ADVERBS)
            if n and i + n < end and (self.words[i - 1], self.words[i]) not in SPLIT_COMPOUNDS and self.names_actor(start, i):
                start = i + n
                break
        for i in range(start + 1, end if not after else start):
            if (
                (self.phrase_at(i, QUALIFIER_OPENERS) and (self.words[i] != "mà" or i - start >= 2))
                or self.qualifies_after(start, i, end)
                or self.phrase_at(i, ARISES_IN)
            ):
                end = i
                end = self.name_end(start, end)
                break
        if end - start >= 2 and self.phrase_at(end - 1, ARISES_IN):
            end -= 1  # the span ends on "phát sinh", the place after it
        if end <= start or not any(self.words[i] not in NON_NAME_WORDS for i in range(start, end)):
            start, end = a, b
        while end < self.length and not self.blocked[end] and (self.words[end - 1], self.words[end]) in SPLIT_COMPOUNDS:
            end += 1
        n = self.phrase_at(end, NAME_COMPLETIONS) if end < self.length else 0
        if n and not any(self.blocked[end : end + n]):
            end += n
        return start, end

    def word(self, i: int) -> str:
        if i < 0:
            return "<start>"
        return self.words[i] if i < self.length else "<end>"

    def chars_between(self, needle: str, start: int, end: int) -> int:
        """How many times ``needle`` starts in text[start:end] and ends by ``end``."""
        positions = self._char_positions.get(needle)
        if positions is None:
            text = self.text
            positions = []
            found = text.find(needle)
            while found >= 0:
                positions.append(found)
                found = text.find(needle, found + 1)
            self._char_positions[needle] = positions
        if end <= start:
            return 0
        last = max(start, end - len(needle) + 1)
        return bisect_left(positions, last) - bisect_left(positions, start)


class IndicatorFinder(LinearModelFiles):
    """spaCy component: INDICATOR spans and indicator relations, anchored on figures."""

    def __init__(self, nlp: Language, name: str, max_gap: int, max_length: int):
        self.name = name
        self.cfg = {"max_gap": max_gap, "max_length": max_length}
        self.end_model: LinearModel | None = None
        self.start_model: LinearModel | None = None

    # ------------------------------------------------------------ features

    def _context(self, doc: Doc) -> "_DocArrays":
        """Per-token data the features read: words, hint classes, which tokens are inside an entity."""
        hints = doc_hints(doc)
        blocked = [False] * len(doc)
        figure = [False] * len(doc)
        for ent in doc.ents:
            if ent.label_ != "INDICATOR":
                for i in range(ent.start, ent.end):
                    blocked[i] = True
                    figure[i] = ent.label_ in FIGURE_LABELS
        return _DocArrays(doc, hints, blocked, figure)

    def _pattern_edges(self, view: "_DocArrays", doc: Doc, figure: Span) -> tuple[int | None, int | None]:
        """Token start and end of the rule baseline's indicator for ``figure`` (a feature, not an answer)."""
        guess = indicator_before(view.text, figure.start_char)
        if guess is None:
            return None, None
        # the tokens holding the first and the last character (doc.char_span would rebuild doc.text)
        first = bisect_right(view.token_start_char, guess[0]) - 1
        last = bisect_right(view.token_start_char, guess[1] - 1) - 1
        return max(first, 0), last + 1

    def end_candidates(self, view: "_DocArrays", figure_start: int, predicting: bool = True) -> list[int]:
        """Exclusive token ends b of a possible indicator [a, b) before the figure starting at ``figure_start``;
        ``predicting``: also not right before a verb of saying (SAYING) nor on a word no name ends with
        (NEVER_LAST), limits of the prediction only (the ranker learns from those ends as wrong ones)."""
        max_length = self.cfg["max_length"]
        result = []
        for b in range(figure_start, max(0, figure_start - self.cfg["max_gap"]) - 1, -1):
            if b < 1 or view.blocked[b - 1] or not view.may_end[b - 1]:
                continue
            if predicting and (
                view.phrase_at(b, SAYING) or view.words[b - 1] in NEVER_LAST or view.says_place(b)
                # a clause that opens with the basis of the figure (", tính theo giá so sánh năm 2010, ước ...")
                or view.opens_with_basis(b - 1)
            ):
                continue
            if view.has_digit[b - 1] and QUANTITY.search(view.words[b - 1]):
                continue
            # a clause that is only a place ends no indicator ("cụ thể, Kỳ Sơn 5,8 tỷ đồng, Tương Dương 11 tỷ")
            if view.place_tokens(view.clause_first[b - 1], b):
                continue
            if view.can_edge[b - 1]:
                name = view.nearest_name[b]  # some start gives a span that names something
            elif b - 1 in view.opening:  # a bracket closed after a name
                name = view.nearest_name[view.opening[b - 1]]
            else:
                continue
            if name is not None and name >= b - max_length:
                result.append(b)
        return result

    def start_candidates(self, view: "_DocArrays", end: int, predicting: bool = True) -> list[int]:
        """Token starts a of a possible indicator [a, end): no entity, sentence end or semicolon inside;
        ``predicting``: also no proper name alone inside a sentence (``view.name_only``), a limit of the prediction
        only."""
        result = []
        name = view.nearest_name[end]
        if end - 1 in view.opening:  # the span holds the whole bracket: it starts before "("
            name = view.nearest_name[view.opening[end - 1]]
        if name is None:
            return result
        depth = 0  # brackets closed inside the span, read backwards: an unclosed "(" ends the search
        for a in range(end - 1, max(0, end - self.cfg["max_length"]) - 1, -1):
            if view.blocked[a] or view.stops[a] or view.barrier[a]:
                break
            depth += (view.words[a] == ")") - (view.words[a] == "(")
            if depth < 0:
                break
            # a place alone (the province or commune that reports, "toàn tỉnh") names no indicator: the gazetteer
            # tells ("Ba Đồn 2.555,3 ha (tăng 10,2%)" takes the name of the list, not the town)
            # the denominator of a rate is no name ("6,5 triệu đồng/[người]/tháng")
            rate = a > 0 and view.words[a - 1] == "/"
            # no span starts inside a bracket it closes ("(Quảng Trạch[)] mỗi xã": none is annotated so)
            if (
                depth == 0 and view.can_edge[a] and a <= name and view.words[a] not in CANNOT_START and not rate
                and not view.phrase_at(a, LEADING_PHRASES)
                and not view.place_tokens(a, end) and not view.place_then_nothing(a, end)
                and not (predicting and (
                    view.unit_after_number(a, end) or view.name_only(a, end)
                    or (view.first_syllables[a] in NEVER_FIRST_WORDS and view.phrase_at(a, NEVER_FIRST))
                ))
            ):
                result.append(a)
        return result

    def after_candidates(self, view: "_DocArrays", figure: Span) -> list[tuple[int, int]]:
        """Spans [a, b) after the figure that may name it: what the money is ("35 tỷ đồng [vốn Chương trình
        30a]"), who gives it ("1,3 tỷ đồng do [tỉnh hỗ trợ]"), what it is for ("39,7 tỷ đồng để [hỗ trợ những xã
        ...]"), the attribute of a share's base ("100% xã [đạt chuẩn nông thôn mới]"). A span starts within
        AFTER_REACH tokens of the figure (crossing other entities, not a clause mark or another figure), at one of
        the first AFTER_STARTS places a name can start, and stays inside its clause (no comma)."""
        result = []
        starts = 0
        for a in range(figure.end, min(figure.end + AFTER_REACH, view.length)):
            if view.stops[a] or view.figure[a]:
                break
            if view.blocked[a]:
                continue  # another entity between ("100% [cơ quan, đơn vị] được công nhận ..."), commas and all
            if view.words[a] in AFTER_CLAUSE_MARKS:
                break
            if view.barrier[a] or not view.can_edge[a] or view.has_digit[a]:
                continue
            if view.words[a] in CANNOT_START or view.words[a] in STOPWORDS or view.words[a] in AFTER_CANNOT_START:
                continue
            starts += 1
            names = False  # whether the span holds a word that names something (not "tỉnh" alone)
            for b in range(a + 1, min(a + AFTER_MAX_LENGTH, view.length) + 1):
                last = b - 1
                word = view.words[last]
                if view.blocked[last] or view.stops[last] or view.barrier[last] or word in AFTER_CLAUSE_MARKS:
                    break
                names = names or word not in NON_NAME_WORDS
                if names and view.can_edge[last] and view.may_end[last] and not view.place_tokens(a, b):
                    result.append((a, b))
            if starts == AFTER_STARTS:
                break
        return result

    def after_features(self, view: "_DocArrays", figure: Span, a: int, b: int) -> dict[str, float]:
        """Features of an indicator span after the figure (prefixed "after", a feature space of its own in the
        same ranker as the ends before the figure)."""
        words, hints = view.words, view.hints
        gap = bucket(a - figure.end, (0, 1, 2, 3))
        length = bucket(b - a, (1, 2, 3, 4, 6, 9))
        following = view.word(b)
        first_after = view.word(figure.end)
        features = {
            "after": 1.0,
            f"after|figure={figure.label_}": 1.0,
            f"after|gap={gap}": 1.0,
            f"after|gap={gap}|figure={figure.label_}": 1.0,
            f"after|length={length}": 1.0,
            f"after|first={words[a]}": 1.0,
            f"after|before_first={view.word(a - 1)}": 1.0,
            f"after|first_after_figure={first_after}|figure={figure.label_}": 1.0,
            f"after|last={words[b - 1]}": 1.0,
            f"after|next={following}": 1.0,
            f"after|next_hint={hints[b] if b < view.length else '<end>'}": 1.0,
            f"after|entity_between={any(view.blocked[figure.end:a])}": 1.0,
            f"after|comma_inside={view.commas[b] - view.commas[a] > 0}": 1.0,
            f"after|clause_ends={following in AFTER_CLAUSE_MARKS or following in ('.', '<end>')}": 1.0,
            f"after|first_hint={hints[a]}": 1.0,
        }
        for hint in set(hints[a:b]):
            features[f"after|inside_hint={hint}"] = 1.0
        return features

    def end_features(
        self,
        view: "_DocArrays",
        figure: Span,
        b: int,
        figure_starts: list[int],
        previous_end: int | None = None,
        pattern_end: int | None = None,
    ) -> dict[str, float]:
        words, hints = view.words, view.hints
        f_start = figure.start
        char_from, char_to = view.token_end_char[b - 1], figure.start_char
        figures_between = bisect_left(figure_starts, f_start) - bisect_left(figure_starts, b)  # starts are sorted
        gap = bucket(f_start - b, (0, 1, 2, 3, 5, 8, 13, 21, 34))
        fb = bucket(figures_between, (0, 1, 2, 3))
        next_word = view.word(b)
        next_hint = hints[b] if b < view.length else "<end>"
        features = {
            "bias": 1.0,
            f"gap={gap}": 1.0,
            f"figures_between={fb}": 1.0,
            f"gap={gap}|figures_between={fb}": 1.0,
            f"last={words[b - 1]}": 1.0,
            f"next={next_word}": 1.0,
            f"next2={view.word(b + 1)}": 1.0,
            f"last_hint={hints[b - 1]}": 1.0,
            f"next_hint={next_hint}": 1.0,
            f"next={next_word}|figures_between={fb}": 1.0,
            f"semicolons={bucket(view.chars_between(';', char_from, char_to), (0, 1))}": 1.0,
            f"sentence_end={view.chars_between('. ', char_from, char_to) > 0}": 1.0,
            f"commas={bucket(view.chars_between(',', char_from, char_to), (0, 1, 2))}": 1.0,
            f"colon={view.chars_between(':', char_from, char_to) > 0}": 1.0,
            f"figure={figure.label_}": 1.0,
            f"last_is_digit={view.has_digit[b - 1]}": 1.0,
            f"last_is_title={view.is_title[b - 1]}": 1.0,
            # figures of a clause chain share the indicator of the figure before them
            f"previous_figure_end={b == previous_end}|figures_between={fb}": 1.0,
            f"pattern_end={b == pattern_end}": 1.0,
        }
        # a unit after a number ("716 [ha] đạt 119,3%") or a word before a date ("[đến hết] năm 2024") is no indicator
        features[f"before_last_hint={hints[b - 2] if b >= 2 else '<start>'}"] = 1.0
        features[f"last={words[b - 1]}|next_hint={next_hint}"] = 1.0
        # what opens the clause that would hold the indicator: "ước ...", "lũy kế ...", "tỷ lệ ..." rarely name one
        clause_first = view.clause_first[b - 1]
        features[f"clause_first={words[clause_first]}"] = 1.0
        features[f"clause_first_hint={hints[clause_first]}"] = 1.0
        features[f"clause_length={bucket(b - clause_first, (1, 2, 3, 5, 8, 13))}"] = 1.0
        # the figure's own clause: when it opens with "ước ..." / "lũy kế ...", the indicator is often further back
        figure_clause = view.clause_first[f_start - 1] if f_start else 0
        opener = words[figure_clause] if figure_clause < f_start else "<none>"
        features[f"figure_clause_first={opener}|same_clause={b > figure_clause}"] = 1.0
        features[f"figure_clause_first={opener}|previous_figure_end={b == previous_end}"] = 1.0
        for i in range(b, min(b + 3, f_start)):
            features[f"between_head={words[i]}"] = 1.0
        for i in range(max(b, f_start - 3), f_start):
            features[f"between_tail={words[i]}"] = 1.0
        for hint in set(hints[b:f_start]):
            features[f"between_hint={hint}"] = 1.0
        verbs = view.verbs[f_start] - view.verbs[b]
        numbers = view.numbers[f_start] - view.numbers[b]
        features[f"verbs_between={bucket(verbs, (0, 1, 2, 3))}"] = 1.0
        features[f"next_hint={next_hint}|gap={gap}"] = 1.0
        features[f"last_hint={hints[b - 1]}|next_hint={next_hint}"] = 1.0
        features[f"numbers_between={bucket(numbers, (0, 1, 3))}"] = 1.0
        return features

    def start_features(self, view: "_DocArrays", a: int, b: int, pattern_start: int | None = None) -> dict[str, float]:
        words, hints = view.words, view.hints
        length = bucket(b - a, (1, 2, 3, 4, 6, 9, 13))
        previous_hint = hints[a - 1] if a > 0 else "<start>"
        features = {
            "bias": 1.0,
            f"length={length}": 1.0,
            f"first={words[a]}": 1.0,
            f"before={view.word(a - 1)}": 1.0,
            f"before2={view.word(a - 2)}": 1.0,
            f"first_hint={hints[a]}": 1.0,
            f"before_hint={previous_hint}": 1.0,
            f"before_hint={previous_hint}|length={length}": 1.0,
            f"first_is_title={view.is_title[a]}": 1.0,
            f"comma_inside={view.commas[b] - view.commas[a] > 0}": 1.0,
            f"bracket_inside={view.brackets[b] - view.brackets[a] > 0}": 1.0,
            f"digit_inside={view.digits[b] - view.digits[a] > 0}": 1.0,
            f"last={words[b - 1]}": 1.0,
            f"pattern_start={a == pattern_start}": 1.0,
            f"starts_with_place={view.place_after(a, b)}": 1.0,
        }
        for hint in set(hints[a:b]):
            features[f"inside_hint={hint}"] = 1.0
        return features

    # ------------------------------------------------------------ predict

    def __call__(self, doc: Doc) -> Doc:
        if self.end_model is None or self.start_model is None:
            raise ValueError(f"[{self.name}] the indicator model is not trained: train it or load a trained pipeline")
        if any(e.label_ == "INDICATOR" for e in doc.ents):  # this component owns INDICATOR
            doc.ents = [e for e in doc.ents if e.label_ != "INDICATOR"]
        figures = [e for e in doc.ents if e.label_ in FIGURE_LABELS]
        if not figures:  # most paragraphs of a report state no figure: nothing to read
            if any(r.type == "indicator" for r in get_relations(doc)):
                set_relations(doc, [r for r in get_relations(doc) if r.type != "indicator"])
            return doc
        view = self._context(doc)
        figure_starts = [f.start for f in figures]
        chosen: dict[tuple[int, int], Span] = {}
        links: list[tuple[Span, tuple[int, int]]] = []
        previous_end = None
        for figure in figures:
            # "[chỉ số sản xuất công nghiệp] tăng 5%. Chỉ số này ..." : a clause that opens with a demonstrative
            # subject measures what the figure before it measured
            # ... and so does a clause that is only a place: an item of a breakdown by place ("được phân bổ 32,360 tỷ
            # đồng ...; cụ thể, Kỳ Sơn 5,8 tỷ đồng, Tương Dương 11 tỷ, ...")
            if links and (
                view.opens_with_demonstrative(figure.start) or view.clause_is_place(figure.start)
                # ... as does the change in brackets after a place's quantity, in the sentence of the figure before
                or view.change_after_place(figure.start) and not view.stop_between(links[-1][0].end, figure.start)
            ):
                links.append((figure, links[-1][1]))
                continue
            ends = self.end_candidates(view, figure.start)
            after = self.after_candidates(view, figure)
            if not ends and not after:
                continue
            pattern_start, pattern_end = self._pattern_edges(view, doc, figure)
            # the best end that some start makes a name of (an end whose only span is a place has none)
            ranked = sorted(
                ends,
                key=lambda b: -self.end_model.score(
                    self.end_features(view, figure, b, figure_starts, previous_end, pattern_end)
                ),
            )
            best_end, starts = next(((b, s) for b in ranked if (s := self.start_candidates(view, b))), (None, []))
            # ... or a span after the figure, when it scores above that end
            best_after = max(after, key=lambda span: self.end_model.score(self.after_features(view, figure, *span)), default=None)
            if best_after is not None and (
                best_end is None
                or view.named_after(figure)
                or self.end_model.score(self.after_features(view, figure, *best_after))
                > self.end_model.score(self.end_features(view, figure, best_end, figure_starts, previous_end, pattern_end))
            ):
                best_start, best_end = best_after
                written_after = True
            else:
                written_after = False
                best_start = max(
                    starts,
                    key=lambda a: self.start_model.score(self.start_features(view, a, best_end, pattern_start)),
                    default=None,
                )
            previous_end = best_end
            if best_start is None:
                continue
            best_end = view.without_reporting_unit(best_start, best_end)
            best_start, best_end = view.without_qualifiers(best_start, best_end, after=written_after)
            # a rate compared after a count of an object ("gieo cấy được 30,3 nghìn ha [lúa vụ mùa], so với cùng vụ
            # năm trước tăng 0,6%") measures the object, not the verb or subject before the count
            counted = view.object_counted_before(figure.start) if figure.label_ == "PERCENT" and not written_after else None
            if counted is not None and best_end <= counted[2]:
                best_start, best_end = counted[0], counted[1]
            # a part of the money that is the subject of its spending ("[phần vốn thuộc kế hoạch] năm 2025 giải ngân
            # đạt 9.276 tỷ đồng"): a breakdown by component, each component its own name (the guide)
            if not written_after:
                component = view.component_spent(best_start, best_end)
                if component is not None:
                    best_start, best_end = component
            # a standard cost term right before an amount names it ("có [tổng mức đầu tư] 50 tỷ đồng"), unlike a
            # generic "tổng kinh phí" after a named series (annotation notes)
            term = view.standard_term_before(figure.start) if figure.label_ == "MONEY" else None
            if term is not None:
                best_start, best_end = term
            with_abbreviation = past_abbreviation(view.texts, best_end)  # "[chỉ số sản xuất công nghiệp (IIP)]"
            if not any(view.blocked[best_end:with_abbreviation]):  # (not over another entity)
                best_end = with_abbreviation
            key = (best_start, best_end)
            # one span per end: figures of a chain share the indicator found first
            existing = next((k for k in chosen if k[1] == best_end or (k[0] < best_end and best_start < k[1])), None)
            if existing is not None:
                key = existing
            else:
                chosen[key] = Span(doc, best_start, best_end, label="INDICATOR")
            links.append((figure, key))
        links = _respectively(view, figures, links)
        linked = {key for _, key in links}
        chosen = {key: span for key, span in chosen.items() if key in linked}  # a span "lần lượt" took over names none
        if chosen:
            doc.ents = sorted(list(doc.ents) + list(chosen.values()), key=lambda s: s.start)
        relations = [r for r in get_relations(doc) if r.type != "indicator"]
        for figure, key in links:
            span = chosen[key]
            relations.append(FigureRelation("indicator", figure.start_char, figure.end_char, span.start_char, span.end_char))
        set_relations(doc, sorted(relations, key=lambda r: (r.head_start, r.type, r.tail_start)))
        return doc

    # ------------------------------------------------------------ training

    def fit(self, examples: Iterable[Example], seed: int = 0) -> dict[str, int]:
        """Train the end and start classifiers on the gold spans of ``examples``."""
        end_groups, start_groups = [], []
        counts = {"figures": 0, "with_indicator": 0, "unreachable": 0}
        for example in examples:
            doc = example.reference
            view = self._context(doc)
            gold = {(r.head_start, r.head_end): (r.tail_start, r.tail_end) for r in get_relations(doc) if r.type == "indicator"}
            figures = [e for e in doc.ents if e.label_ in FIGURE_LABELS]
            figure_starts = [f.start for f in figures]
            previous_end = None
            for figure in figures:
                counts["figures"] += 1
                target = gold.get((figure.start_char, figure.end_char))
                span = doc.char_span(*target) if target else None
                gold_previous, previous_end = previous_end, (span.end if span is not None else None)
                if target:
                    counts["with_indicator"] += 1
                candidates = self.end_candidates(view, figure.start, predicting=False)
                after = self.after_candidates(view, figure)
                is_after = span is not None and span.start >= figure.end
                reachable = span is not None and ((span.start, span.end) in after if is_after else span.end in candidates)
                if span is not None and not reachable:
                    counts["unreachable"] += 1  # too far, or off token boundaries
                if not reachable:
                    continue
                pattern_start, pattern_end = self._pattern_edges(view, doc, figure)
                features = {
                    b: self.end_features(view, figure, b, figure_starts, gold_previous, pattern_end) for b in candidates
                }
                after_features = {pair: self.after_features(view, figure, *pair) for pair in after}
                gold_features = after_features.pop((span.start, span.end)) if is_after else features.pop(span.end)
                end_groups.append((gold_features, list(features.values()) + list(after_features.values())))
                if is_after:
                    continue
                starts = self.start_candidates(view, span.end, predicting=False)
                if span.start in starts:
                    features = {a: self.start_features(view, a, span.end, pattern_start) for a in starts}
                    start_groups.append((features.pop(span.start), list(features.values())))
        self.end_model = fit_ranker(end_groups, seed, c=RANKER_C)
        self.start_model = fit_ranker(start_groups, seed, c=RANKER_C)
        if self.end_model is None or self.start_model is None:
            raise ValueError(f"[{self.name}] cannot train: the examples hold no figure with an indicator")
        return counts

    # ------------------------------------------------------------ serialisation

    def models_to_data(self) -> dict:
        return {"end": self.end_model.to_dict() if self.end_model else None,
                "start": self.start_model.to_dict() if self.start_model else None}

    def models_from_data(self, data: dict) -> None:
        self.end_model = model_or_none(data.get("end"))
        self.start_model = model_or_none(data.get("start"))


def _respectively(view: "_DocArrays", figures: list[Span], links: list[tuple[Span, tuple[int, int]]]):
    """Figures that restate as many earlier ones in order ("A chiếm 27,31%, B 38,6%, C 29,03%; năm 2023 các tỷ
    trọng này lần lượt là 28,34%; 35,92%; 30,31%"): a clause that refers back ("này") and reads its figures
    "lần lượt" (respectively) gives the k-th of them the indicator of the k-th of the figures right before it."""
    words = view.words
    marks = [i for i, w in enumerate(words) if w == "lần lượt" or (w == "lần" and view.word(i + 1) == "lượt")]
    if not marks:
        return links
    key_of = {figure.start: key for figure, key in links}
    starts = [f.start for f in figures]
    for mark in marks:
        clause_start = view.clause_first[mark]
        if "này" not in words[clause_start:mark]:
            continue
        # the run of figures after the mark: the first in its clause, the next ones with only separators between
        end = next((i for i in range(mark, view.length) if view.stops[i]), view.length)
        after = []
        for figure in figures:
            if figure.start <= mark:
                continue
            if not after:
                if figure.start >= end:
                    break
            elif not all(w in (",", ";", "và") for w in words[previous_end : figure.start]):
                break
            after.append(figure.start)
            previous_end = figure.end
        before = [f for f in starts if f < clause_start][-len(after):] if after else []
        if len(after) < 2 or len(before) != len(after) or not all(f in key_of for f in before):
            continue
        if len({key_of[f] for f in before}) != len(before):
            continue  # the earlier figures share one indicator: nothing to read in order
        for earlier, later in zip(before, after):
            key_of[later] = key_of[earlier]
    linked = {figure.start for figure, _ in links}
    return [(figure, key_of.get(figure.start, key)) for figure, key in links] + [
        (figure, key_of[figure.start]) for figure in figures if figure.start in key_of and figure.start not in linked
    ]


@Language.factory(
    NAME,
    requires=["doc.ents"],
    assigns=["doc.ents", "doc._.relations"],
    default_config={"max_gap": 50, "max_length": 20},
)
def make_indicator_finder(nlp: Language, name: str, max_gap: int, max_length: int) -> IndicatorFinder:
    """Factory of the indicator component (``nlp.add_pipe("vnreport_indicators")``)."""
    return IndicatorFinder(nlp, name, max_gap, max_length)
