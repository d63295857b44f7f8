"""What a figure states about its indicator (its kind) and whether it is an estimate, from the words around it.

Kinds: ``level`` (the indicator's value, a rate such as "tỷ lệ hộ nghèo 7,45%" included), ``plan`` (a
plan or budget value: "Kế hoạch thu ngân sách năm 2024 là ..."), ``attainment`` (the value as a share
of its plan: "đạt 26,15% dự toán", "bằng 28,4% KH"), ``index`` (the value as a percentage of a
reference period's: "bằng 96,27% so với cùng kỳ"), ``increase`` / ``decrease`` ("tăng 6,1% so với cùng
kỳ", "giảm 2,3%") and ``share`` ("chiếm 18,5% tổng ...").
"""

from __future__ import annotations

import re

KINDS = ("level", "plan", "attainment", "index", "increase", "decrease", "share")

# the words that make a figure an estimate: "ước", "ước thực hiện", "ước tính", "dự kiến", "ước đạt"
ESTIMATE = re.compile(r"(?<!\w)(?:ước|dự\s+kiến|dự\s+tính)(?!\w)", re.IGNORECASE)
# a plan word as the reference of a percentage: "dự toán", "kế hoạch", "KH", "chỉ tiêu", "NQ", "mục tiêu"
PLAN_REFERENCE = (
    r"(?:dự\s+toán|kế\s+hoạch|KH|chỉ\s+tiêu|mục\s+tiêu(?!\s+quốc\s+gia)|nghị\s+quyết|NQ|DT|số\s+giao|vốn\s+giao|"
    r"số\s+(?:nhập\s+)?TABMIS|tổng\s+vốn|tổng\s+(?:số\s+)?kế\s+hoạch|tiến\s+độ|khối\s+lượng)"
)
# a reference period after a percentage: "so với cùng kỳ", "so với tháng trước", "so với năm 2023"
PERIOD_REFERENCE = r"(?:cùng\s+kỳ|CK|cùng\s+tháng|tháng\s+trước|kỳ\s+trước|quý\s+trước|năm\s+trước|tháng\s+liền\s+trước|(?:tháng|quý|năm)\s+\S+)"

_WORD = r"(?:\S+\s+)"
# the words just before a figure (the text is cut at the figure's start)
INCREASE_BEFORE = re.compile(
    rf"(?:tăng|tăng\s+thêm|tăng\s+trưởng|tăng\s+lên|cao\s+hơn|vượt|vượt\s+mức|nhiều\s+hơn|\+)\s*(?:{_WORD}{{0,2}}(?:là|được|đạt|khoảng|gần|hơn|trên|tới|ở\s+mức|mức)\s+)?(?:khoảng\s+|gần\s+|hơn\s+|trên\s+|tới\s+)?\(?\+?$",
    re.IGNORECASE,
)
DECREASE_BEFORE = re.compile(
    rf"(?:giảm|giảm\s+đi|thấp\s+hơn|ít\s+hơn|hụt|sụt\s+giảm|-)\s*(?:{_WORD}{{0,2}}(?:là|được|khoảng|gần|hơn|trên|ở\s+mức|mức)\s+)?(?:khoảng\s+|gần\s+|hơn\s+|trên\s+)?\(?-?$",
    re.IGNORECASE,
)
# a reference period a growth is measured against: "cùng kỳ", "tháng trước", "4 tháng đầu năm 2023"
GROWTH_REFERENCE = (
    r"(?:bình\s+quân\s+)?(?:cùng\s+kỳ|CK|cùng\s+tháng|tháng\s+trước|kỳ\s+trước|quý\s+trước|năm\s+trước|"
    r"tháng\s+liền\s+trước|\d{1,2}\s+tháng\s+đầu\s+năm)(?:\s+năm\s+(?:\d{4}|trước))?"
)
# "cao hơn cùng kỳ 6,3%", "nhiều hơn cùng kỳ 9,03%", "cao hơn 4 tháng đầu năm 2023 là 12,25%"
INCREASE_REFERENCE_BEFORE = re.compile(
    rf"(?:cao\s+hơn|nhiều\s+hơn|lớn\s+hơn|tăng)\s+(?:so\s+(?:với\s+)?)?{GROWTH_REFERENCE}\s+(?:là\s+|tới\s+|khoảng\s+|gần\s+|hơn\s+)?$",
    re.IGNORECASE,
)
DECREASE_REFERENCE_BEFORE = re.compile(
    rf"(?:thấp\s+hơn|ít\s+hơn|giảm)\s+(?:so\s+(?:với\s+)?)?{GROWTH_REFERENCE}\s+(?:là\s+|khoảng\s+|gần\s+|hơn\s+)?$",
    re.IGNORECASE,
)
# a list of rises or falls: "7 nhóm hàng tăng giá, gồm: hàng hóa và dịch vụ khác (4,54%), giao thông (1,47%)"
LIST_INCREASE_BEFORE = re.compile(r"(?:tăng|cao\s+hơn)(?:\s+giá)?[^.;:]{0,60}(?:gồm|như|là)\s*:[^.;]*\(\s*\+?$", re.IGNORECASE)
LIST_DECREASE_BEFORE = re.compile(r"(?:giảm|thấp\s+hơn)(?:\s+giá)?[^.;:]{0,60}(?:gồm|như|là)\s*:[^.;]*\(\s*-?$", re.IGNORECASE)
# "cao hơn so với tỉnh giao 46,6%", "tăng so với cùng kỳ 5,2%"
INCREASE_COMPARED_BEFORE = re.compile(r"(?:tăng|cao\s+hơn|vượt)\s+so\s+với(?:\s+\S+){1,5}?\s+(?:là\s+)?$", re.IGNORECASE)
DECREASE_COMPARED_BEFORE = re.compile(r"(?:giảm|thấp\s+hơn)\s+so\s+với(?:\s+\S+){1,5}?\s+(?:là\s+)?$", re.IGNORECASE)
# a percentage of a base written right after it: "10% chi thường xuyên", "02% tổng chi", "35% giá đất ở"
SHARE_AFTER = re.compile(
    r"^\s*(?:tổng\s+(?!số(?!\s+vốn))|chi\s|thu\s|kinh\s+phí|giá\s|nguồn\s|vốn\s|về\s+quỹ|quỹ\s)", re.IGNORECASE
)
# a percentage set aside: "tiết kiệm 10%", "trích nộp 10%", "bố trí 10%"
SHARE_VERB_BEFORE = re.compile(r"(?:tiết\s+kiệm|trích(?:\s+nộp)?|bố\s+trí|dành)\s+$", re.IGNORECASE)
# a target: "phấn đấu hoàn thành 100%", "phấn đấu hết năm 2024 thực hiện đạt từ 50%"
TARGET_BEFORE = re.compile(r"(?<!\w)(?:phấn\s+đấu|chỉ\s+tiêu|mục\s+tiêu(?!\s+quốc\s+gia))(?!\w)[^;.]{0,60}$", re.IGNORECASE)
SHARE_BEFORE = re.compile(r"(?:chiếm|chiếm\s+tỷ\s+(?:lệ|trọng)|tỷ\s+trọng|chiếm\s+khoảng)\s*(?:khoảng\s+|gần\s+|hơn\s+|trên\s+)?$", re.IGNORECASE)
# a percentage followed by its plan reference: "26,15% dự toán", "28,4% KH", "57,7% so với kế hoạch"
ATTAINMENT_AFTER = re.compile(rf"^\s*\)?\s*(?:{_WORD}{{0,2}}?)?(?:so\s+với\s+|trên\s+|của\s+)?{PLAN_REFERENCE}(?!\w)", re.IGNORECASE)
ATTAINMENT_BEFORE = re.compile(
    rf"(?:so\s+với|trên|đạt|bằng)\s+(?:{_WORD}{{0,3}}?){PLAN_REFERENCE}(?:\s+\S+){{0,4}}?\s*(?:,\s*)?(?:đạt|bằng|là)?\s*(?:tỷ\s+lệ\s+)?(?:khoảng\s+|gần\s+|hơn\s+|trên\s+)?\(?$",
    re.IGNORECASE,
)
# a percentage followed by a reference period: "96,27% so với cùng kỳ", "103,2% so với tháng trước"
INDEX_AFTER = re.compile(
    rf"^\s*\)?\s*(?:(?:so\s+với|với|của|so)\s+{PERIOD_REFERENCE}|(?:cùng\s+kỳ|CK)(?!\w))", re.IGNORECASE
)
INDEX_BEFORE = re.compile(rf"(?:so\s+với)\s+{PERIOD_REFERENCE}(?:\s+\S+){{0,3}}?\s*(?:,\s*)?(?:đạt|bằng|là)\s*\(?$", re.IGNORECASE)
# a plan amount: "Kế hoạch thu ngân sách năm 2024 là X", "được giao X", "dự toán giao X", "KH vốn: X"
PLAN_BEFORE = re.compile(
    r"(?:(?<!\w)(?:kế\s+hoạch|KH|dự\s+toán|DT|chỉ\s+tiêu|(?<!có\s)mục\s+tiêu(?!\s+quốc\s+gia))(?!\w)[^;.]{0,80}?(?:là|:|giao|được\s+giao|)\s*(?:khoảng\s+|gần\s+|hơn\s+|trên\s+)?"
    r"|(?:được\s+giao|giao|phân\s+bổ|được\s+phân\s+bổ|bố\s+trí|phấn\s+đấu|phấn\s+đấu\s+đạt)\s*(?:(?:là|:)\s*)?(?:khoảng\s+|gần\s+|hơn\s+|trên\s+)?)$",
    re.IGNORECASE,
)
# a done figure between a plan word and the figure cancels it: "kế hoạch vốn giao X, đã giải ngân Y"
DONE_BETWEEN = re.compile(r"(?<!\w)(?:đã|thực\s+hiện|giải\s+ngân|thu\s+được|đạt|ước)(?!\w)", re.IGNORECASE)
# "so với cùng kỳ tăng X%" / "so cùng kỳ giảm"
PLAN_WORD = re.compile(rf"(?<!\w){PLAN_REFERENCE}(?!\w)", re.IGNORECASE)
CLAUSE_START = re.compile(r"[;:]|(?<!\d)[.,](?!\d)|\s-\s|\(|\)")


def clause_before(text: str, start: int, sentence_start: int = 0, limit: int = 160) -> str:
    """The words of ``text`` before ``start`` back to the sentence start, at most ``limit`` characters."""
    return text[max(sentence_start, start - limit) : start]


def figure_kind(text: str, start: int, end: int, label: str, sentence_start: int = 0) -> str:
    """The kind of the figure at [start, end) of ``text`` (one of KINDS), from the words around it."""
    before = clause_before(text, start, sentence_start)
    after = text[end : end + 80]
    if (
        INCREASE_BEFORE.search(before)
        or INCREASE_COMPARED_BEFORE.search(before[-60:])
        or INCREASE_REFERENCE_BEFORE.search(before[-60:])
        or (label == "PERCENT" and LIST_INCREASE_BEFORE.search(before))
    ):
        return "increase"
    if (
        DECREASE_BEFORE.search(before)
        or DECREASE_COMPARED_BEFORE.search(before[-60:])
        or DECREASE_REFERENCE_BEFORE.search(before[-60:])
        or (label == "PERCENT" and LIST_DECREASE_BEFORE.search(before))
    ):
        return "decrease"
    if label == "PERCENT":
        if SHARE_BEFORE.search(before):
            return "share"
        if INDEX_AFTER.search(after) or INDEX_BEFORE.search(before):
            return "index"
        if ATTAINMENT_AFTER.search(after) or ATTAINMENT_BEFORE.search(before[-80:]) or MONEY_PAIR_BEFORE.search(before[-80:]):
            return "attainment"
        if SHARE_AFTER.search(after) or SHARE_VERB_BEFORE.search(before):
            return "share"
        window = before[-60:]
        if PLAN_BEFORE.search(window) and not DONE_BETWEEN.search(_after_last_plan_word(window)):
            return "plan"
        if TARGET_BEFORE.search(before):
            return "plan"
        return "level"
    if MONEY_PAIR_BEFORE.search(before[-3:] + "0") or SLASH_BEFORE.search(before):
        return "plan"  # the reference of "X/Y": "đã giải ngân 7.326 triệu đồng/9.480 triệu đồng"
    window = before[-100:]
    if PLAN_BEFORE.search(window) and not DONE_BETWEEN.search(_after_last_plan_word(window)):
        return "plan"
    if PARTS_OF_PLAN.search(before):
        return "plan"
    return "level"


# the second amount of "X triệu đồng/Y triệu đồng", "60.746/135.188 triệu đồng"
SLASH_BEFORE = re.compile(r"\d(?:\s*(?:triệu|tỷ|nghìn|ngàn))?(?:\s*(?:đồng|đ|trđ))?\s*/\s*$", re.IGNORECASE)
# "X/Y (đạt tỷ lệ Z%)": a ratio after an amount pair
MONEY_PAIR_BEFORE = re.compile(
    r"\d\s*(?:triệu|tỷ|nghìn|ngàn)?\s*(?:đồng|đ|trđ)?\s*/\s*[\d.,]+\s*(?:triệu|tỷ|nghìn|ngàn)?\s*(?:đồng|đ|trđ)\s*[,(]?\s*(?:đạt|bằng|tương\s+đương)(?:\s+(?:với\s+)?tỷ\s+lệ)?\s*$",
    re.IGNORECASE,
)
# the parts of a plan amount: "Tổng kế hoạch vốn ... X, trong đó: A, B" (the plan word before "trong đó")
PARTS_OF_PLAN = re.compile(
    r"(?<!\w)(?:kế\s+hoạch|KH|dự\s+toán)(?!\w)[^.;]{0,80}?\d(?:[^.]|\.(?=\d))*?(?<!\w)(?:trong\s+đó|bao\s+gồm|gồm)(?!\w)(?:[^.]|\.(?=\d))*$",
    re.IGNORECASE,
)


def _after_last_plan_word(text: str) -> str:
    last = None
    for last in re.finditer(
        r"(?<!\w)(?:kế\s+hoạch|KH|dự\s+toán|DT|chỉ\s+tiêu|mục\s+tiêu(?!\s+quốc\s+gia)|giao|phân\s+bổ|bố\s+trí|phấn\s+đấu)(?!\w)",
        text,
        re.IGNORECASE,
    ):
        pass
    return text[last.end() :] if last else text


# a clause that states its own done figure: "...; đã giải ngân 7.326 triệu đồng", "...; thực hiện được ..."
DONE_CLAUSE = re.compile(r"(?<!\w)(?:đã|thực\s+hiện|lũy\s+kế|luỹ\s+kế|tính\s+đến|đến\s+ngày|đến\s+hết)(?!\w)", re.IGNORECASE)
PARTS_SENTENCE = re.compile(r"^\s*(?:trong\s+đó|bao\s+gồm|gồm|cụ\s+thể)(?!\w)", re.IGNORECASE)


def figure_estimate(text: str, start: int, end: int, sentence_start: int = 0) -> bool:
    """True when the figure at [start, end) is stated as an estimate ("ước", "ước tính", "dự kiến", ...)
    in the words of its clause before it (or right after it: "X (ước)"); the parts listed in a sentence
    that opens with "Trong đó:" are estimates when the sentence before them states one."""
    before = text[sentence_start:start]
    cut = max((m.end() for m in re.finditer(r"[;]", before)), default=0)
    clause = before[cut:]
    if ESTIMATE.search(clause):
        return True
    if cut and ESTIMATE.search(before[:cut]) and not DONE_CLAUSE.search(clause):
        # "Ước tính đến cuối tháng Chín, đàn trâu giảm 0,6%; đàn bò tăng 0,4%": the list goes on
        return True
    if re.match(r"^\s*\(\s*(?:ước|dự\s+kiến)", text[end : end + 20], re.IGNORECASE):
        return True
    if cut and PARTS_SENTENCE.match(clause):  # "...ước 152.500 tấn; gồm cá tra 132.600 tấn (tăng 9,61%)"
        previous_clause = before[: cut - 1]
        previous_clause = previous_clause[max((m.end() for m in re.finditer(r"[;]", previous_clause)), default=0) :]
        return bool(ESTIMATE.search(previous_clause))
    if sentence_start > 0 and PARTS_SENTENCE.match(before):
        previous = text[:sentence_start]
        ends = [m.end() for m in re.finditer(r"[.!?](?=\s)", previous[:-1])]
        return bool(ESTIMATE.search(previous[ends[-1] if ends else 0 :]))
    return False
