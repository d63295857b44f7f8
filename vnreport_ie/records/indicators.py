"""Canonical indicators: one id per series, whatever the report calls it ("Tổng thu NSNN" = "thu ngân sách nhà nước").

The curated list is the package data file ``records/data/indicators.csv`` (id, name, unit, aliases,
and for names that only mean the indicator in a context, such as "dịch vụ" in a GRDP sentence, a
context pattern and the context aliases). Matching compares normalised words as a multiset: lower
case, one tone-mark placement ("hoá" = "hóa"), "tỉ" = "tỷ", abbreviations written out ("NSNN",
"NSĐP", "KH", "NTM", ...), filler words ("tổng", "số", "các", "và", ...) and qualifiers ("trên địa bàn
...", "toàn tỉnh", a period, "theo giá so sánh ...") left out. A name that matches no alias exactly
is None: an unknown indicator is never guessed.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from vnreport_ie.text.communes import tone_key


@dataclass(frozen=True)
class Indicator:
    """A canonical indicator: its id, its national statistical name and the unit of its level."""

    id: str
    name: str
    unit: str


# abbreviations of the reports, written out before matching (whole words, any case)
ABBREVIATIONS = {
    "nsnn": "ngân sách nhà nước",
    "nsđp": "ngân sách địa phương",
    "nstw": "ngân sách trung ương",
    "ns": "ngân sách",
    "kh": "kế hoạch",
    "ntm": "nông thôn mới",
    "ctmtqg": "chương trình mục tiêu quốc gia",
    "mtqg": "mục tiêu quốc gia",
    "ct": "chương trình",
    "xdcb": "xây dựng cơ bản",
    "gtsx": "giá trị sản xuất",
    "sx": "sản xuất",
    "ttcn": "tiểu thủ công nghiệp",
    "cn": "công nghiệp",
    "bhxh": "bảo hiểm xã hội",
    "bhyt": "bảo hiểm y tế",
    "vphc": "vi phạm hành chính",
    "gpmb": "giải phóng mặt bằng",
    "đtc": "đầu tư công",
    "vlxd": "vật liệu xây dựng",
    "tmbl": "tổng mức bán lẻ",
    "bt": "bồi thường",
    "ht": "hỗ trợ",
    "tđc": "tái định cư",
    "xnk": "xuất nhập khẩu",
    "tthc": "thủ tục hành chính",
    "ck": "cùng kỳ",
}
ABBREVIATION = re.compile(r"(?<!\w)(" + "|".join(sorted(map(re.escape, ABBREVIATIONS), key=len, reverse=True)) + r")(?!\w)", re.IGNORECASE)

# qualifiers that do not change the series
QUALIFIERS = re.compile(
    r"(?i:trên\s+địa\s+bàn|tại\s+địa\s+bàn)(?:\s+(?i:toàn\s+)?(?i:tỉnh|huyện|thành\s+phố|thị\s+xã|xã|phường|thị\s+trấn|quận))?(?:\s+[A-ZĐ]\w*)*"
    r"|(?i:toàn|cả)\s+(?i:tỉnh|huyện|thành\s+phố|thị\s+xã|quận|ngành)(?:\s+[A-ZĐ]\w*)*"
    r"|(?i:của\s+(?:tỉnh|huyện|thành\s+phố|thị\s+xã|quận))(?:\s+[A-ZĐ]\w*)*"
    r"|(?i:(?:theo\s+)?giá\s+(?:so\s+sánh|hiện\s+hành)(?:\s+năm)?(?:\s+\d{4})?)"
    r"|(?i:(?:lũy|luỹ)\s+kế|ước(?:\s+(?:thực\s+hiện|tính|đạt))?|(?:đã\s+)?thực\s+hiện|phát\s+sinh)(?!\w)"
    r"|(?i:(?:\d+\s+)?tháng(?:\s+(?:đầu|cuối)\s+năm)?(?:\s*\d{1,2})?(?:\s*[/-]\s*\d{4})?)"
    r"|(?i:quý\s+(?:IV|III|II|I|[1-4])(?:\s*[/-]\s*\d{4})?)"
    r"|(?i:năm\s+(?:\d{4}|nay|trước))|\b\d{4}\b"
)
# words that do not tell series apart (after tone_key)
FILLER = frozenset(tone_key(w) for w in ("tổng", "số", "các", "những", "và", "cùng", "với", "của", "toàn", "bộ", "mức", "chung"))
# "tỉ" (an old spelling of "tỷ") and "hằng" of "hằng năm"
SPELLINGS = {tone_key("tỉ"): tone_key("tỷ"), tone_key("hằng"): tone_key("hàng"), tone_key("heo"): tone_key("lợn")}


def normalised_words(text: str) -> tuple[str, ...]:
    """The words an indicator name is matched on, in order (see the module docstring)."""
    text = text.replace("-", " ").replace("–", " ")
    text = ABBREVIATION.sub(lambda m: ABBREVIATIONS[m.group(1).lower()], text)
    text = QUALIFIERS.sub(" ", text)
    words = tone_key(text).split()
    words = [SPELLINGS.get(w, w) for w in words]
    return tuple(w for w in words if w not in FILLER)


def _key(text: str) -> tuple[str, ...]:
    return tuple(sorted(Counter(normalised_words(text)).elements()))


@dataclass(frozen=True)
class _Entry:
    indicator: Indicator
    context: re.Pattern[str] | None


class IndicatorList:
    """The curated list: alias keys -> indicator, and context aliases with their context patterns."""

    def __init__(self, rows: list[dict[str, str]], source: str = "indicators.csv") -> None:
        self.indicators: dict[str, Indicator] = {}
        self.aliases: dict[tuple[str, ...], Indicator] = {}
        self.context_aliases: dict[tuple[str, ...], list[_Entry]] = {}
        for line, row in enumerate(rows, start=2):
            if not row.get("id") or not row.get("name"):
                raise ValueError(f"{source}:{line}: an indicator needs an id and a name")
            if row["id"] in self.indicators:
                raise ValueError(f"{source}:{line}: indicator id {row['id']!r} is listed twice")
            indicator = Indicator(row["id"], row["name"], row.get("unit") or "")
            self.indicators[indicator.id] = indicator
            for alias in [row["name"], *filter(None, (row.get("aliases") or "").split("|"))]:
                key = _key(alias)
                known = self.aliases.get(key)
                if known is not None and known.id != indicator.id:
                    raise ValueError(f"{source}:{line}: alias {alias!r} of {indicator.id} is already {known.id}'s")
                self.aliases[key] = indicator
            context = row.get("context") or ""
            if context:
                pattern = re.compile(r"(?<!\w)(?:" + context + r")(?!\w)", re.IGNORECASE)
                for alias in filter(None, (row.get("context_aliases") or "").split("|")):
                    self.context_aliases.setdefault(_key(alias), []).append(_Entry(indicator, pattern))

    def match(self, text: str, context: str | None = None) -> Indicator | None:
        """The indicator ``text`` names (``context``: the sentence, for names like "dịch vụ"); None if unknown."""
        for candidate in _candidates(text):
            key = _key(candidate)
            if not key:
                continue
            found = self.aliases.get(key)
            if found is not None:
                return found
            if context:
                hits = {e.indicator for e in self.context_aliases.get(key, []) if e.context.search(context)}
                if len(hits) == 1:
                    return hits.pop()
        return None


BRACKETS = re.compile(r"\s*\(([^()]*)\)\s*")


def _candidates(text: str) -> list[str]:
    """The name as written, without its bracketed part, and the bracketed part: "tổng sản phẩm (GRDP)"."""
    outside = BRACKETS.sub(" ", text).strip()
    inside = [m.group(1) for m in BRACKETS.finditer(text)]
    return [c for c in dict.fromkeys([outside, *inside, BRACKETS.sub(r" \1 ", text)]) if c.strip()]


@lru_cache(maxsize=1)
def shipped_indicators() -> IndicatorList:
    """The curated indicator list shipped in the package."""
    data = resources.files("vnreport_ie.records").joinpath("data/indicators.csv")
    with data.open(encoding="utf-8", newline="") as handle:
        return IndicatorList(list(csv.DictReader(handle)), source=str(data))


def canonical_indicator(text: str | None, context: str | None = None) -> Indicator | None:
    """The canonical indicator an indicator name stands for ("Tổng thu NSNN" -> thu_nsnn), or None if unknown."""
    if not text:
        return None
    return shipped_indicators().match(text, context)
