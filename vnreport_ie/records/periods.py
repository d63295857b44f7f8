"""The period a figure covers, read from the words around it ("tháng 02/2023", "quý I/2024", "lũy kế 9 tháng").

A year the sentence does not write comes from the report's own date: :func:`report_date` reads it
from the place-and-date line ("Cao Lộc, ngày 17 tháng 02 năm 2023") or the title ("... tháng 02 năm
2023", "(Từ ngày 24/6/2024 đến ngày 08/7/2024)") of a whole report, as ``report_location`` reads the
district; the caller gives it to ``extract_many`` (``report_date=``).
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

HEADER_LINES = 12  # the date line and the title are in the first lines of a report

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
MONTH_WORDS = {"giêng": 1, "một": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10, "mười một": 11, "mười hai": 12, "chạp": 12}
NUMBER_WORDS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10}


@dataclass(frozen=True)
class ReportDate:
    """The date a report is issued or the period it reports on (``month``/``day`` None when not written)."""

    year: int
    month: int | None = None
    day: int | None = None
    evidence: str = ""


@dataclass(frozen=True)
class Period:
    """The period a figure covers and the words it was read from."""

    start: date
    end: date
    text: str


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _valid_year(text: str | None) -> int | None:
    if not text:
        return None
    year = int(text)
    if year < 100:
        year += 2000
    return year if 1990 <= year <= 2100 else None


# the place-and-date line: "Cao Lộc, ngày 17 tháng 02 năm 2023", "Chi Lăng, ngày    tháng 7 năm 2024"
DATE_LINE = re.compile(r"ngày\s*(?P<day>\d{1,2})?\s*tháng\s*(?P<month>\d{1,2})\s*năm\s*(?P<year>\d{4})", re.IGNORECASE)
# a numeric date: "08/7/2024", "31/12/2023", "12-3-2024"
NUMERIC_DATE = re.compile(r"(?<![\d/])(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4})(?!\d)")
# a year written in a title: "năm 2023", "quý I năm 2024"
TITLE_YEAR = re.compile(r"năm\s+(?P<year>\d{4})", re.IGNORECASE)


def report_date(text: str) -> ReportDate | None:
    """The date of a whole report: its place-and-date line, else the last date or year of its first lines."""
    lines = [line.strip() for line in text.splitlines() if line.strip()][:HEADER_LINES]
    for line in lines:
        found = DATE_LINE.search(line)
        if found and 1 <= int(found["month"]) <= 12:
            day = int(found["day"]) if found["day"] else None
            return ReportDate(int(found["year"]), int(found["month"]), day, found.group(0))
    for line in lines:
        dates = [d for d in NUMERIC_DATE.finditer(line) if 1 <= int(d["month"]) <= 12]
        if dates:
            last = dates[-1]  # "(Từ ngày 24/6/2024 đến ngày 08/7/2024)": the period ends on the last
            return ReportDate(int(last["year"]), int(last["month"]), int(last["day"]), last.group(0))
    for line in lines:
        found = MONTH_OR_QUARTER_OF_YEAR.search(line)  # an article: "tháng 7/2023 ...", "Báo cáo quý 1/2023"
        if found and _valid_year(found["year"]):
            month = int(found["month"]) if found["month"] else 3 * int(ROMAN.get(found["quarter"].lower()) or found["quarter"])
            if 1 <= month <= 12:
                return ReportDate(int(found["year"]), month, None, found.group(0))
    for line in lines:
        for found in TITLE_YEAR.finditer(line):
            if not _valid_year(found["year"]):
                continue
            if COMPARISON_YEAR_BEFORE.search(line[: found.start()]):
                # "so với cùng kỳ năm 2022" in an article's first lines: the article is about the year after
                return ReportDate(int(found["year"]) + 1, None, None, line[max(0, found.start() - 20) : found.end()])
            return ReportDate(int(found["year"]), None, None, found.group(0))
    return None


# "tháng 7/2023", "quý 1/2023", "quý I năm 2024" in an article's first lines
MONTH_OR_QUARTER_OF_YEAR = re.compile(
    r"(?:tháng\s+(?P<month>\d{1,2})|quý\s+(?P<quarter>IV|III|II|I|[1-4]))\s*(?:/|năm)\s*(?P<year>\d{4})", re.IGNORECASE
)
# "so với cùng kỳ năm 2022": a comparison year, not the report's
COMPARISON_YEAR_BEFORE = re.compile(r"cùng\s+kỳ\s*$", re.IGNORECASE)


# ---------------------------------------------------------------- period expressions

_YEAR = r"(?:\s*(?:/|-|năm)\s*(?P<year>\d{4}))?"  # "/2023", " năm 2023"
# "02", "2", "Chín", "tư", "Mười hai" (lower-case "năm" and "một" are left out: "tháng năm 2024" is no May)
_MONTH = (
    r"(?P<month>\d{1,2}(?!\d|/\d{1,2}/)|(?:[Mm]ười\s+(?:một|hai)|[Gg]iêng|[Cc]hạp|Một|[Hh]ai|[Bb]a|[Tt]ư|Năm|[Ss]áu|[Bb]ảy|[Tt]ám|"
    r"[Cc]hín|[Mm]ười)(?!\w))"
)
_ROMAN = r"(?P<quarter>IV|III|II|I|[1-4])"
_COUNT = r"(?P<count>\d{1,2}|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)"

# (name, pattern); the first that matches at a place wins, so longer shapes come first
PERIOD_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        # "từ ngày 24/6/2024 đến ngày 08/7/2024", "từ 01/01 đến 30/6/2024"
        (
            "range",
            r"từ\s+(?:ngày\s+)?(?P<d1>\d{1,2})/(?P<m1>\d{1,2})(?:/(?P<y1>\d{4}))?\s*(?:đến|-|–)\s*(?:ngày\s+)?"
            r"(?P<d2>\d{1,2})/(?P<m2>\d{1,2})(?:/(?P<y2>\d{4}))?",
        ),
        # "từ tháng 1 đến tháng 8 năm 2024", "từ tháng 01 - tháng 6/2024"
        (
            "month_range",
            r"từ\s+tháng\s+(?P<m1>\d{1,2})(?:\s*(?:/|năm)\s*(?P<y1>\d{4}))?\s*(?:đến|-|–)\s*(?:hết\s+)?tháng\s+(?P<m2>\d{1,2})"
            r"(?:\s*(?:/|-|năm)\s*(?P<y2>\d{4}))?",
        ),
        # "đến thời điểm báo cáo", "từ đầu năm đến thời điểm báo cáo": from 1 January to the report's date
        ("to_report_date", r"(?:tính\s+)?đến\s+(?:thời\s+điểm|ngày)\s+báo\s+cáo"),
        # "lũy kế đến hết tháng 02", "lũy kế đến ngày 15/3/2024", "lũy kế từ đầu năm", "lũy kế 9 tháng năm 2024"
        (
            "cumulative_to_month",
            r"(?:lũy|luỹ)\s+kế(?:\s+từ\s+đầu\s+năm)?\s+(?:đến|tới)\s+(?:hết\s+|cuối\s+)?tháng\s+" + _MONTH + _YEAR,
        ),
        (
            "cumulative_to_date",
            r"(?:(?:lũy|luỹ)\s+kế|từ\s+đầu\s+năm)(?:\s+từ\s+đầu\s+năm)?\s+(?:đến|tới)\s+(?:hết\s+)?(?:ngày\s+)?"
            r"(?P<day>\d{1,2})/(?P<month>\d{1,2})(?:/(?P<year>\d{4}))?",
        ),
        ("months", rf"(?:(?:lũy|luỹ)\s+kế\s+)?{_COUNT}\s+tháng\s+(?P<which>đầu|cuối)\s+năm(?:\s*[/-]?\s*(?P<year>\d{{4}}))?"),
        ("months", rf"(?:(?:lũy|luỹ)\s+kế\s+)?{_COUNT}\s+tháng(?P<which>)\s*(?:năm\s+)?(?P<year>\d{{4}})"),
        ("months", rf"(?:lũy|luỹ)\s+kế\s+{_COUNT}\s+tháng(?P<which>){_YEAR}"),
        # "nửa đầu năm 2022", "6 tháng đầu năm" (the year from the report), "trong 9 tháng", "cộng 2 tháng"
        ("half", r"nửa\s+(?P<which>đầu|cuối)\s+năm(?:\s*(?P<year>\d{4}))?"),
        ("months", rf"(?:trong|cộng|cả|gộp|cộng\s+dồn)\s+{_COUNT}\s+tháng(?P<which>)(?!\s+(?:tới|qua|trước|sau|cuối))"),
        (
            "year_to_date",
            r"(?:(?:lũy|luỹ)\s+kế\s+)?từ\s+đầu\s+năm(?:\s+(?P<year>\d{4}))?(?:\s+(?:đến|tới)\s+(?:nay|thời\s+điểm\s+báo\s+cáo))?",
        ),
        # a bare "lũy kế" counts from a start the sentence does not give (a campaign, an inspection): no period
        ("cumulative", r"(?:lũy|luỹ)\s+kế(?!\s+(?:đến|tới|từ|\d))"),
        # "quý I/2024", "quý I năm 2024", "Quý 1"
        ("quarter", rf"quý\s+{_ROMAN}(?![\w]){_YEAR}"),
        # "đến cuối tháng Chín", "cuối tháng 6/2024": a stock at the month's last day
        ("month_end", rf"cuối\s+tháng\s+{_MONTH}{_YEAR}"),
        # "tháng 02/2023", "tháng 2 năm 2023", "tháng 02"; "các tháng" is no month
        ("month", rf"(?<!các\s)tháng\s+{_MONTH}{_YEAR}"),
        # "tại thời điểm 31/12/2023": a stock at a date
        (
            "at_date",
            r"(?:tại\s+)?thời\s+điểm\s+(?:ngày\s+)?(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})",
        ),
        # "đến ngày 30/6/2024", "tính đến hết ngày 07/7/2024": from 1 January of that year to the date
        (
            "to_date",
            r"(?:đến|tới)\s+(?:hết\s+)?(?:ngày\s+)?(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})",
        ),
        # a document's date ("Quyết định số 15/QĐ-UBND ngày 12/3/2024", "ngày 17 tháng 02 năm 2023"): no period
        ("document_date", r"ngày\s+\d{1,2}(?:/\d{1,2}/\d{4}|\s+tháng\s+\d{1,2}\s+năm\s+\d{4})"),
        # capital carried over ("năm 2023 sang 2024", "năm 2022 chuyển sang"): the years name the transfer
        ("carried_over", r"năm\s+\d{4}\s+(?:chuyển\s+)?sang(?:\s+(?:năm\s+)?\d{4})?"),
        ("year_end", r"cuối\s+năm\s+(?P<year>\d{4})"),
        ("span", r"giai\s+đoạn\s+(?P<y1>\d{4})\s*[-–]\s*(?P<y2>\d{4})"),
        ("year", r"(?<!/)năm\s+(?P<year>\d{4})(?![/\d])"),
        ("this_year", r"năm\s+nay"),
        # "trong tháng", "tháng này": the report's month
        ("this_month", r"(?:trong\s+tháng|tháng\s+này)(?!\s*\d)"),
    )
)

# a period that is the comparison, not the figure's own: "so với cùng kỳ năm 2023", "so với tháng trước"
COMPARISON_BEFORE = re.compile(
    r"(?:so\s+với|cùng\s+kỳ|bằng\s+kỳ|vs|(?:cao|thấp|nhiều|ít|lớn)\s+hơn)\s+(?:\w+\s+){0,3}$", re.IGNORECASE
)
# a plan's own year that is not a period read: "kế hoạch năm 2024 là": kept (the plan covers the year)

CLAUSE_BREAK = re.compile(r"[;\n]")


def _month_number(text: str) -> int:
    """The month of "02", "2", "Chín", "Mười hai" (0 when it is none)."""
    text = " ".join(text.lower().split())
    return int(text) if text.isdigit() else MONTH_WORDS.get(text, 0)


def _count(text: str) -> int:
    return int(text) if text.isdigit() else NUMBER_WORDS[text.lower()]


def _year_for_month(month: int, written: str | None, context: ReportDate | None) -> int | None:
    year = _valid_year(written)
    if year is not None:
        return year
    if context is None:
        return None
    if context.month is not None and month > context.month + 6:
        return context.year - 1  # "tháng 12" in a report of February 2023 is December 2022
    return context.year


def _read(name: str, found: re.Match[str], context: ReportDate | None) -> tuple[date, date] | None:
    groups = found.groupdict()
    context_year = context.year if context else None
    if name == "range":
        y2 = _valid_year(groups["y2"]) or context_year
        y1 = _valid_year(groups["y1"]) or y2
        if y1 is None or y2 is None:
            return None
        return date(y1, int(groups["m1"]), int(groups["d1"])), date(y2, int(groups["m2"]), int(groups["d2"]))
    if name == "cumulative_to_month":
        month = int(groups["month"])
        year = _year_for_month(month, groups["year"], context)
        return (date(year, 1, 1), _month_end(year, month)) if year else None
    if name == "cumulative_to_date":
        month = int(groups["month"])
        year = _year_for_month(month, groups["year"], context)
        return (date(year, 1, 1), date(year, month, int(groups["day"]))) if year else None
    if name == "months":
        count = _count(groups["count"])
        year = _valid_year(groups.get("year")) or context_year
        if year is None or not 1 <= count <= 12:
            return None
        if groups.get("which", "").lower() == "cuối":
            return date(year, 13 - count, 1), date(year, 12, 31)
        return date(year, 1, 1), _month_end(year, count)
    if name == "month_range":
        y2 = _valid_year(groups["y2"]) or context_year
        y1 = _valid_year(groups["y1"]) or y2
        m1, m2 = int(groups["m1"]), int(groups["m2"])
        if y1 is None or y2 is None or not (1 <= m1 <= 12 and 1 <= m2 <= 12):
            return None
        return date(y1, m1, 1), _month_end(y2, m2)
    if name == "to_report_date":
        if context is None or context.month is None or context.day is None:
            return None
        return date(context.year, 1, 1), date(context.year, context.month, context.day)
    if name == "cumulative":
        return None
    if name == "this_month":
        if context is None or context.month is None:
            return None
        return date(context.year, context.month, 1), _month_end(context.year, context.month)
    if name == "year_to_date":
        year = _valid_year(groups.get("year")) or context_year
        if year is None or context is None or context.month is None or year != context.year:
            return None
        end = date(year, context.month, context.day) if context.day else _month_end(year, context.month)
        return date(year, 1, 1), end
    if name == "half":
        year = _valid_year(groups.get("year")) or context_year
        if year is None:
            return None
        if groups["which"].lower() == "cuối":
            return date(year, 7, 1), date(year, 12, 31)
        return date(year, 1, 1), date(year, 6, 30)
    if name == "quarter":
        text = groups["quarter"].lower()
        quarter = ROMAN.get(text) or int(text)
        year = _valid_year(groups["year"]) or context_year
        if year is None:
            return None
        return date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter)
    if name == "month":
        month = _month_number(groups["month"])
        if not 1 <= month <= 12:
            return None
        year = _year_for_month(month, groups["year"], context)
        return (date(year, month, 1), _month_end(year, month)) if year else None
    if name == "at_date":
        day, month, year = int(groups["day"]), int(groups["month"]), int(groups["year"])
        return date(year, month, day), date(year, month, day)
    if name == "to_date":
        day, month, year = int(groups["day"]), int(groups["month"]), int(groups["year"])
        return date(year, 1, 1), date(year, month, day)
    if name == "month_end":
        month = _month_number(groups["month"])
        year = _year_for_month(month, groups["year"], context) if month else None
        return (_month_end(year, month), _month_end(year, month)) if year else None
    if name == "year_end":
        year = int(groups["year"])
        return date(year, 12, 31), date(year, 12, 31)
    if name == "span":
        return date(int(groups["y1"]), 1, 1), date(int(groups["y2"]), 12, 31)
    if name == "year":
        year = _valid_year(groups["year"])
        return (date(year, 1, 1), date(year, 12, 31)) if year else None
    if name == "this_year":
        return (date(context_year, 1, 1), date(context_year, 12, 31)) if context_year else None
    return None


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    period: Period | None  # None: a period word that gives no dates ("lũy kế" alone): the figure has no period
    of_plan: bool = False  # "kế hoạch năm 2024": the plan's period, not a done figure's


# a plan word just before a period: "đạt 27% kế hoạch năm 2024" (the plan's year, not the figure's)
PLAN_PERIOD_NAMES = frozenset({"year", "this_year", "span", "quarter", "months"})
PLAN_BEFORE_PERIOD = re.compile(r"(?:kế\s+hoạch|KH|dự\s+toán|chỉ\s+tiêu)(?:\s+(?:vốn|thu|chi|giao))?\s*$", re.IGNORECASE)


def period_mentions(text: str, context: ReportDate | None = None) -> list[_Found]:
    """Every period expression of ``text`` that is not a comparison ("so với cùng kỳ năm 2023"), in order."""
    found: list[_Found] = []
    taken = bytearray(len(text))  # characters inside a period already read (the patterns go longest first)
    for name, pattern in PERIOD_PATTERNS:
        for match in pattern.finditer(text):
            if any(taken[match.start() : match.end()]):
                continue
            taken[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
            if COMPARISON_BEFORE.search(text[max(0, match.start() - 40) : match.start()]):
                continue
            try:
                span = _read(name, match, context)
            except ValueError:  # "30/02": no such day
                span = None
            period = Period(span[0], span[1], match.group(0)) if span is not None and span[0] <= span[1] else None
            if period is None and name != "cumulative":
                continue  # a document's date, or unreadable here (no year known): as if not written
            of_plan = name in PLAN_PERIOD_NAMES and bool(
                PLAN_BEFORE_PERIOD.search(text[max(0, match.start() - 30) : match.start()])
            )
            found.append(_Found(match.start(), match.end(), period, of_plan))
    return sorted(found, key=lambda f: f.start)


FOLLOWING_WINDOW = 40  # a period written just after the figure: "đạt 58.829 triệu đồng trong tháng 02"
PARAGRAPH_LEAD_CHARS = 12  # "Năm 2024, ...", "- Trong năm 2024, ...": a period that opens the paragraph
LEAD_MARKS = re.compile(r"^[\s\-+*•–]*(?:(?:trong|tính\s+đến|đến)\s+)?", re.IGNORECASE)


def figure_period(
    text: str,
    start: int,
    end: int,
    context: ReportDate | None = None,
    sentence_start: int = 0,
    plan: bool = False,
) -> Period | None:
    """The period of the figure at [start, end) of ``text``, in this order: a time limit right after its
    plan reference ("100% kế hoạch vốn đến hết ngày 30/6/2024"); the last period before it in its clause
    (after the last ";"); a period right after it in its clause; the last period before it in its
    sentence (from ``sentence_start``); the period that opens the paragraph ("Năm 2024, ..."). None when
    none of these is written. A period after a plan word ("đạt 27% kế hoạch năm 2024") is the plan's:
    it is the figure's only for a plan figure (``plan``)."""
    found, starts = _paragraph_mentions(text, context)
    # the mentions of the figure's sentence up to just after the figure (read once per paragraph)
    window = found[bisect_left(starts, sentence_start) : bisect_right(starts, end + FOLLOWING_WINDOW)]
    mentions = [m for m in window if plan or not m.of_plan]
    clause_start = max((b.end() + sentence_start for b in CLAUSE_BREAK.finditer(text[sentence_start:start])), default=sentence_start)
    following = [
        m
        for m in mentions
        if m.start >= end
        and len(text[end : m.start]) <= FOLLOWING_WINDOW
        and not CLAUSE_BREAK.search(text[end : m.start])
        and not re.search(r"\d", text[end : m.start])
    ]
    if following and PLAN_THEN_LIMIT.match(text[end : following[0].start]) and following[0].period is not None:
        return following[0].period
    in_clause = [m for m in mentions if clause_start <= m.start and m.end <= start]
    if in_clause:
        return in_clause[-1].period
    if following:
        return following[0].period
    before = [m for m in mentions if m.end <= start]
    if before:
        return before[-1].period
    if sentence_start > 0 and found and found[0].end <= sentence_start:
        lead = LEAD_MARKS.match(text).end()
        if found[0].start <= max(lead, PARAGRAPH_LEAD_CHARS) and not found[0].of_plan:
            return found[0].period
    return None


@lru_cache(maxsize=16)
def _paragraph_mentions(text: str, context: ReportDate | None) -> tuple[list[_Found], list[int]]:
    """The period mentions of a paragraph and their starts, read once for all of its figures."""
    found = period_mentions(text, context)
    return found, [m.start for m in found]


# "100% kế hoạch vốn đến hết ngày ...": the words between a figure and its time limit
PLAN_THEN_LIMIT = re.compile(r"^\s*(?:kế\s+hoạch|KH|dự\s+toán)[^\d;,]{0,20}$", re.IGNORECASE)
