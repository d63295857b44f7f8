"""Commune linking: a commune name as a report writes it -> the official unit.

The reports name communes the way people write them ("xã Hợp Thành",
"Thuỵ Hùng", "thị trấn Đồng Mỏ"). :class:`CommuneLinker` finds the official
pre-2025 unit (province, district, commune) and the unit it merged into on
1 July 2025, from the mapping data underthesea ships
(``underthesea/address/data/mapping.json``, source vietnamadminunits).

Names are compared by a key that ignores case, Unicode form (NFC/NFD), the
placement of the tone mark ("Hoà" = "Hòa", "Thuỵ" = "Thụy") and the unit
words ("xã", "phường", "thị trấn"). When no unit of the given district matches
that key, a second key without any diacritics is tried inside that district
only, with the written unit word agreeing (e.g. "Long Đông" in Bắc Sơn ->
"Xã Long Đống"), and the link says so (``match="unaccented"``); a name written
with no diacritics at all is matched that way anywhere.

Order of narrowing: the given district, then the given province, then the
whole country; inside a level a written unit word ("xã" vs "thị trấn" Chi
Lăng) chooses when it can. So a name unique in the country links even when it
lies outside the report's district, and a name several units share stays
``"ambiguous"`` with its candidates rather than being guessed. Rows of the
mapping without an old commune name (49 of 10 602, e.g. Huyện Hoàng Sa) are
not indexed.
"""

from __future__ import annotations

import json
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from underthesea.address.normalizer import remove_diacritics
from underthesea.pipeline.text_normalize.character_normalize import normalize_characters_in_text

LinkStatus = Literal["linked", "ambiguous", "not_found"]
MatchKind = Literal["exact", "unaccented", ""]

# Unit words before a commune name, as written -> the official unit prefix.
# Longer forms first so "thị trấn" wins over a bare "t".
COMMUNE_UNIT_WORDS: dict[str, str] = {
    "thị trấn": "Thị trấn",
    "tt.": "Thị trấn",
    "tt": "Thị trấn",
    "phường": "Phường",
    "p.": "Phường",
    "xã": "Xã",
    "x.": "Xã",
}
# Unit words before a district name -> the official unit prefix.
DISTRICT_UNIT_WORDS: dict[str, str] = {
    "thành phố": "Thành phố",
    "tp.": "Thành phố",
    "tp": "Thành phố",
    "thị xã": "Thị xã",
    "tx.": "Thị xã",
    "tx": "Thị xã",
    "huyện": "Huyện",
    "quận": "Quận",
    "q.": "Quận",
}
PROVINCE_UNIT_WORDS: dict[str, str] = {
    "tỉnh": "Tỉnh",
    "thành phố": "Thành phố",
    "tp.": "Thành phố",
    "tp": "Thành phố",
}
# a unit word before a place's name, any level ("tỉnh Bắc Kạn", "TP. Huế", "thị xã Ba Đồn")
PLACE_UNIT = re.compile(r"^(?:tỉnh|thành phố|tp\.?|huyện|quận|thị xã|xã|phường|thị trấn)\s+", re.IGNORECASE)
# Official prefixes as the mapping writes them, for splitting "Xã Hợp Thành".
OFFICIAL_COMMUNE_PREFIXES = ("Thị trấn", "Phường", "Xã", "Đặc khu")
OFFICIAL_DISTRICT_PREFIXES = ("Thành phố", "Thị xã", "Huyện", "Quận")
OFFICIAL_PROVINCE_PREFIXES = ("Thành phố", "Tỉnh")

# Combining tone marks (grave, acute, tilde, hook above, dot below); the vowel
# marks (circumflex, breve, horn) are part of the letter and stay.
TONE_MARKS: dict[str, str] = {"\u0300": "2", "\u0301": "1", "\u0303": "4", "\u0309": "3", "\u0323": "5"}
# A word of a name: letters and digits, e.g. "Lạng" or "1"
NAME_WORD = re.compile(r"[^\W_]+")
# Where a name can follow: up to five words after a unit word, e.g. "Cao Lộc Về việc"
FOLLOWING_WORDS = re.compile(r"[^\W_]+(?:[ \t]+[^\W_]+){0,4}")
# A header line naming the issuer, e.g. "UBND HUYỆN CHI LĂNG" or "ỦY BAN NHÂN DÂN THÀNH PHỐ LẠNG SƠN"
ISSUER_LINE = re.compile(
    r"^\W*(?:UBND|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN)\s+"
    r"(?P<unit>huyện|thành phố|tp\.?|thị xã|quận|tỉnh)\s+(?P<rest>.+)$",
    re.IGNORECASE,
)
# The place-and-date line of a header, e.g. "Cao Lộc, ngày 17 tháng 02 năm 2023" or "TP. Lạng Sơn, ngày ..."
PLACE_DATE_LINE = re.compile(r"^\W*(?P<place>[^\W\d][^,\d\n]{1,40}?)\s*,\s*ngày\b", re.IGNORECASE)
# A district named in the body, e.g. "huyện Bình Gia", "thành phố Lạng Sơn", "TP. Lạng Sơn"
DISTRICT_MENTION = re.compile(r"\b(?P<unit>huyện|thành phố|tp\.?|thị xã|quận)\s+(?=[^\W\d_])", re.IGNORECASE)
# A province named in the body, e.g. "tỉnh Lạng Sơn"
PROVINCE_MENTION = re.compile(r"\b(?P<unit>tỉnh)\s+(?=[^\W\d_])", re.IGNORECASE)
HEADER_LINES = 15  # non-empty lines that make up a report's header
HEADER_LINE_MAX_CHARS = 120  # an issuer line is short; body paragraphs are not


@dataclass(frozen=True)
class CommuneLink:
    """One commune name resolved against the official units (pre-2025 names and the 2025 merger)."""

    name: str
    status: LinkStatus
    province: str = ""
    district: str = ""
    commune: str = ""
    new_province: str = ""
    new_commune: str = ""
    mapping_type: str = ""  # merged | renamed | unchanged | divided, as the mapping says
    new_communes: tuple[str, ...] = ()  # every unit it went to (several when divided; default first)
    candidates: tuple[tuple[str, str, str], ...] = ()  # (province, district, commune) when ambiguous
    match: MatchKind = ""  # "exact" (up to case, form, tone placement) or "unaccented"
    reason: str = ""

    @property
    def linked(self) -> bool:
        return self.status == "linked"


@dataclass(frozen=True)
class ReportLocation:
    """The district (and its province) a report is issued by or about, official names."""

    district: str
    province: str
    source: Literal["header", "place_date", "body"]
    evidence: str  # the words in the report that named it, e.g. "UBND HUYỆN CHI LĂNG"


@dataclass(frozen=True)
class _Unit:
    province: str
    district: str
    commune: str
    commune_type: str  # "Xã", "Phường", "Thị trấn", "Đặc khu"
    district_key: str
    district_type: str
    province_key: str
    new_province: str
    mapping_type: str
    new_communes: tuple[str, ...]

    @property
    def triple(self) -> tuple[str, str, str]:
        return (self.province, self.district, self.commune)


@dataclass(frozen=True)
class _District:
    province: str
    district: str
    district_type: str
    province_key: str


@dataclass
class _Scope:
    """What the caller knows of where the commune is: keys and unit types, all optional."""

    district_key: str = ""
    district_type: str = ""
    province_key: str = ""
    province_type: str = ""
    words: list[str] = field(default_factory=list)

    def keeps(self, unit: _Unit, with_district: bool) -> bool:
        if self.province_key and unit.province_key != self.province_key:
            return False
        if with_district and self.district_key:
            if unit.district_key != self.district_key:
                return False
            if self.district_type and unit.district_type != self.district_type:
                return False
        return True


NO_APOSTROPHES = str.maketrans("", "", "’'ʼ‘")


@lru_cache(maxsize=65536)
def tone_key(text: str) -> str:
    """A comparison key: lower case, NFC, tone mark moved to the end of each syllable ("Hoà" = "Hòa"), no
    apostrophe inside a syllable ("Cư K’nia" = "Cư Knia", as the mapping writes it)."""
    text = normalize_characters_in_text(text).lower().translate(NO_APOSTROPHES)
    syllables = []
    for word in NAME_WORD.findall(text):
        decomposed = unicodedata.normalize("NFD", word)
        tones = "".join(TONE_MARKS[c] for c in decomposed if c in TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
        if base.isdigit():
            base = base.lstrip("0") or "0"  # "Phường 01" = "Phường 1"
        syllables.append(base + tones)
    return " ".join(syllables)


def unaccented_key(text: str) -> str:
    """A looser key: no diacritics at all, via underthesea's address normalizer ("Long Đông" = "Long Đống")."""
    words = NAME_WORD.findall(remove_diacritics(normalize_characters_in_text(text)).lower())
    return " ".join(w.lstrip("0") or "0" if w.isdigit() else w for w in words)


def split_unit(text: str, unit_words: dict[str, str]) -> tuple[str, str]:
    """Split a leading unit word off a name: "xã Hợp Thành" -> ("Xã", "Hợp Thành"); none -> ("", name)."""
    cleaned = normalize_characters_in_text(text).strip().strip("*_ \t")
    lowered = cleaned.lower()
    for word in sorted(unit_words, key=len, reverse=True):
        if lowered.startswith(word):
            rest = cleaned[len(word) :]
            if word.endswith(".") or not rest or not rest[0].isalnum():
                return unit_words[word], rest.strip(" .\t")
    return "", cleaned


def _split_official(name: str, prefixes: tuple[str, ...]) -> tuple[str, str]:
    for prefix in prefixes:
        if name.startswith(prefix + " "):
            return prefix, name[len(prefix) + 1 :]
    return "", name


def default_mapping_path() -> Path:
    """Where underthesea keeps the 2025 administrative-unit mapping."""
    return Path(str(resources.files("underthesea.address") / "data" / "mapping.json"))


class CommuneLinker:
    """Links commune names to official units; loads the mapping once, on first use."""

    def __init__(self, mapping_path: Path | str | None = None) -> None:
        self.mapping_path = Path(mapping_path) if mapping_path is not None else default_mapping_path()
        self._lock = threading.Lock()
        self._loaded = False
        self._by_key: dict[str, list[_Unit]] = {}
        self._by_unaccented: dict[str, list[_Unit]] = {}
        self._districts: dict[str, list[_District]] = {}
        self._provinces: dict[str, str] = {}  # key of the bare name -> official name
        self._place_keys: frozenset[str] = frozenset()
        # the units the 2025 merger made, by the key of their bare name: (new province, new unit) pairs
        self._new_units: dict[str, list[tuple[str, str]]] = {}

    # -- loading -------------------------------------------------------------------------
    def _ensure_loaded(self) -> None:
        if self._loaded:
            return
        with self._lock:
            if self._loaded:
                return
            try:
                data = json.loads(self.mapping_path.read_text(encoding="utf-8"))
                rows = data["ward_mapping"]
            except (OSError, ValueError, KeyError) as err:
                raise RuntimeError(
                    f"cannot read the administrative-unit mapping {self.mapping_path}: {err}; "
                    "it ships with underthesea>=9.5 (underthesea/address/data/mapping.json)"
                ) from err
            self._index(rows)
            # every unit's bare name, rows without a ward included (island districts: "Lý Sơn", "Côn Đảo")
            self._place_keys = frozenset(
                tone_key(PLACE_UNIT.sub("", row.get(level, ""))) for row in rows
                for level in ("old_ward", "old_district", "old_province")
            )
            self._loaded = True

    def _index(self, rows: list[dict]) -> None:
        grouped: dict[tuple[str, str, str], list[dict]] = {}
        for row in rows:
            if not row.get("old_ward", "").strip() or not row.get("old_district", "").strip():
                continue
            grouped.setdefault((row["old_province"], row["old_district"], row["old_ward"]), []).append(row)
        districts: dict[tuple[str, str], _District] = {}
        for (province, district, commune), group in grouped.items():
            group.sort(key=lambda r: not r.get("is_default", False))  # the default target first
            district_type, district_name = _split_official(district, OFFICIAL_DISTRICT_PREFIXES)
            commune_type, commune_name = _split_official(commune, OFFICIAL_COMMUNE_PREFIXES)
            _, province_name = _split_official(province, OFFICIAL_PROVINCE_PREFIXES)
            unit = _Unit(
                province=province,
                district=district,
                commune=commune,
                commune_type=commune_type,
                district_key=tone_key(district_name),
                district_type=district_type,
                province_key=tone_key(province_name),
                new_province=group[0]["new_province"],
                mapping_type=group[0]["mapping_type"],
                new_communes=tuple(dict.fromkeys(r["new_ward"] for r in group if r["new_ward"])),
            )
            self._by_key.setdefault(tone_key(commune_name), []).append(unit)
            self._by_unaccented.setdefault(unaccented_key(commune_name), []).append(unit)
            districts[(province, district)] = _District(province, district, district_type, unit.province_key)
            self._provinces[unit.province_key] = province
        for (_, district), entry in districts.items():
            bare = _split_official(district, OFFICIAL_DISTRICT_PREFIXES)[1]
            self._districts.setdefault(tone_key(bare), []).append(entry)
        for row in rows:
            if row.get("new_ward", "").strip():
                pair = (row["new_province"], row["new_ward"])
                units = self._new_units.setdefault(tone_key(_split_official(row["new_ward"], OFFICIAL_COMMUNE_PREFIXES)[1]), [])
                if pair not in units:
                    units.append(pair)

    # -- scope (district / province as the caller writes them) -----------------------------
    def _scope(self, district: str | None, province: str | None) -> _Scope:
        scope = _Scope()
        if district:
            scope.district_type, bare = split_unit(district, DISTRICT_UNIT_WORDS)
            scope.district_key = tone_key(bare)
            scope.words.append(district.strip())
        if province:
            scope.province_type, bare = split_unit(province, PROVINCE_UNIT_WORDS)
            scope.province_key = tone_key(bare)
            scope.words.append(province.strip())
        return scope

    def resolve_district(self, name: str, province: str | None = None) -> tuple[str, str] | None:
        """The official (province, district) a district name denotes, or None if none or several."""
        self._ensure_loaded()
        unit_type, bare = split_unit(name, DISTRICT_UNIT_WORDS)
        hits = self._district_hits(tone_key(bare), unit_type, [province] if province else [])
        return (hits[0].province, hits[0].district) if len(hits) == 1 else None

    def _district_hits(self, key: str, unit_type: str, provinces: list[str]) -> list[_District]:
        hits = [d for d in self._districts.get(key, []) if not unit_type or d.district_type == unit_type]
        if len(hits) > 1 and provinces:
            province_keys = {tone_key(split_unit(p, PROVINCE_UNIT_WORDS)[1]) for p in provinces}
            hits = [d for d in hits if d.province_key in province_keys] or hits
        return hits

    def is_district_name(self, name: str) -> bool:
        """Whether ``name`` (without its unit word) names a district-level unit anywhere."""
        self._ensure_loaded()
        return tone_key(split_unit(name, DISTRICT_UNIT_WORDS)[1]) in self._districts

    def communes_of_district(self, names: Iterable[str], district: str) -> list[bool]:
        """For each name, whether a commune of that name lies in a district called ``district``."""
        self._ensure_loaded()
        district_key = tone_key(split_unit(district, DISTRICT_UNIT_WORDS)[1])
        return [
            any(u.district_key == district_key for u in self._by_key.get(tone_key(split_unit(n, COMMUNE_UNIT_WORDS)[1]), ()))
            for n in names
        ]

    def is_place_name(self, name: str) -> bool:
        """Whether ``name`` (a bare name, no unit word) names a commune, a district or a province anywhere."""
        self._ensure_loaded()
        return tone_key(name) in self._place_keys

    def province_name(self, name: str) -> str | None:
        """The official province a name denotes ("tỉnh Lạng Sơn" -> "Tỉnh Lạng Sơn"), or None."""
        self._ensure_loaded()
        return self._provinces.get(tone_key(split_unit(name, PROVINCE_UNIT_WORDS)[1]))

    # -- linking ---------------------------------------------------------------------------
    def link(self, name: str, district: str | None = None, province: str | None = None) -> CommuneLink:
        """Resolve one commune name, narrowed by the district and/or province when given."""
        self._ensure_loaded()
        unit_type, bare = split_unit(name, COMMUNE_UNIT_WORDS)
        if not NAME_WORD.search(bare):
            return CommuneLink(name=name, status="not_found", reason="no name left after the unit word")
        exact = self._by_key.get(tone_key(bare), [])
        # Other diacritics ("Long Đông" for "Long Đống") are trusted inside the given district only,
        # with the written unit word agreeing; a name written without any diacritics matches anywhere.
        written_unaccented = unaccented_key(bare) == tone_key(bare)
        loose = [
            u
            for u in self._by_unaccented.get(unaccented_key(bare), [])
            if u not in exact and (not unit_type or u.commune_type == unit_type)
        ]
        scope = self._scope(district, province)
        levels: list[tuple[str, bool]] = []
        if scope.district_key:
            levels.append((f"in {' / '.join(scope.words)}", True))
        if scope.province_key:
            levels.append((f"in {scope.words[-1]}", False))
        for where, with_district in levels:
            pools: list[tuple[MatchKind, list[_Unit]]] = [("exact", exact)]
            if with_district or written_unaccented:
                pools.append(("unaccented", loose))
            for match, pool in pools:
                hits = [u for u in pool if scope.keeps(u, with_district)]
                if hits:
                    return self._decide(name, hits, unit_type, match, where)
        outside = f" (none in {' / '.join(scope.words)})" if levels else ""
        if exact:
            return self._decide(name, exact, unit_type, "exact", f"in the country{outside}")
        if loose and written_unaccented:
            return self._decide(name, loose, unit_type, "unaccented", f"in the country{outside}")
        made = self._made_by_merger(bare, unit_type, scope)
        if made is not None:
            return made
        alike = "; ".join(f"{u.commune}, {u.district}" for u in loose[:3])
        return CommuneLink(
            name=name,
            status="not_found",
            reason=f"no commune, ward or township named {bare!r} in the mapping, before or after the 2025 merger{outside}"
            + (f"; spelled alike with other diacritics: {alike}" if alike else ""),
        )

    def merger_made_names(self) -> list[str]:
        """The bare names (no unit word) of the units the 2025 merger made, official spelling."""
        self._ensure_loaded()
        return [_split_official(units[0][1], OFFICIAL_COMMUNE_PREFIXES)[1] for units in self._new_units.values()]

    def _made_by_merger(self, name: str, unit_type: str, scope: "_Scope") -> CommuneLink | None:
        """The unit the 2025 merger made that ``name`` (no pre-2025 unit's) names ("Quế Sơn Trung"), within the
        given province when there is one, or None: new_province / new_commune filled, the pre-2025 fields empty
        (the unit had no district). Several of that name are ambiguous."""
        hits = self._new_units.get(tone_key(name), [])
        if unit_type:  # "phường Hòa Xuân" vs "xã Hòa Xuân"
            hits = [h for h in hits if _split_official(h[1], OFFICIAL_COMMUNE_PREFIXES)[0].lower() == unit_type.lower()] or hits
        if scope.province_key:
            hits = [h for h in hits if tone_key(_split_official(h[0], OFFICIAL_PROVINCE_PREFIXES)[1]) == scope.province_key]
        if not hits:
            return None
        reason = "a unit the 2025 merger made; no pre-2025 unit has that name"
        if len(hits) > 1:
            return CommuneLink(
                name=name, status="ambiguous", candidates=tuple(sorted((province, "", unit) for province, unit in hits)),
                match="exact", reason=f"{len(hits)} units the 2025 merger made have that name; the province would choose",
            )
        province, unit = hits[0]
        return CommuneLink(name=name, status="linked", new_province=province, new_commune=unit, new_communes=(unit,),
                           match="exact", reason=reason)

    @staticmethod
    def _decide(name: str, hits: list[_Unit], unit_type: str, match: MatchKind, where: str) -> CommuneLink:
        if unit_type:  # "thị trấn Chi Lăng" vs "xã Chi Lăng": the written unit word picks, if it can
            hits = [u for u in hits if u.commune_type == unit_type] or hits
        if len(hits) == 1:
            unit = hits[0]
            return CommuneLink(
                name=name,
                status="linked",
                province=unit.province,
                district=unit.district,
                commune=unit.commune,
                new_province=unit.new_province,
                new_commune=unit.new_communes[0] if unit.new_communes else "",
                mapping_type=unit.mapping_type,
                new_communes=unit.new_communes,
                match=match,
            )
        return CommuneLink(
            name=name,
            status="ambiguous",
            candidates=tuple(sorted(u.triple for u in hits)),
            match=match,
            reason=f"{len(hits)} units of that name {where}"
            + ("; the district (or the unit word: xã, phường, thị trấn) would choose" if "country" in where else ""),
        )

    # -- report location -------------------------------------------------------------------
    def report_location(self, text: str) -> ReportLocation | None:
        """The district a report is issued by or about: header issuer, then place-date line, then body."""
        self._ensure_loaded()
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        header = lines[:HEADER_LINES]
        provinces = self._provinces_named(text)
        header_province = ""
        for line in header:
            found = ISSUER_LINE.match(line)
            if not found or len(line) > HEADER_LINE_MAX_CHARS:
                continue
            unit_type = DISTRICT_UNIT_WORDS.get(found["unit"].lower(), "")
            if found["unit"].lower() == "tỉnh":
                header_province = self._longest_province(found["rest"]) or header_province
                continue
            hit = self._longest_district(found["rest"], unit_type, provinces)
            if hit:
                district, words = hit
                evidence = line[: found.start("rest")] + words
                return ReportLocation(district.district, district.province, "header", evidence)
        if header_province:
            provinces = [header_province]
        for line in header:
            found = PLACE_DATE_LINE.match(line)
            if not found:
                continue
            unit_type, bare = split_unit(found["place"], DISTRICT_UNIT_WORDS)
            if not unit_type and tone_key(bare) in self._provinces:
                break  # "Lạng Sơn, ngày ...": a province-level issuer; the body decides
            hits = self._district_hits(tone_key(bare), unit_type, provinces)
            if len(hits) == 1:
                return ReportLocation(hits[0].district, hits[0].province, "place_date", found["place"].strip())
            break
        return self._body_district(text, provinces)

    def _provinces_named(self, text: str) -> list[str]:
        counts: Counter[str] = Counter()
        for found in PROVINCE_MENTION.finditer(text):
            province = self._longest_province(text[found.end() : found.end() + 60])
            if province:
                counts[province] += 1
        return [p for p, _ in counts.most_common()]

    def _longest_province(self, following: str) -> str:
        words = FOLLOWING_WORDS.match(following.strip())
        if not words:
            return ""
        parts = words.group().split()
        for size in range(len(parts), 0, -1):
            official = self._provinces.get(tone_key(" ".join(parts[:size])))
            if official:
                return official
        return ""

    def _longest_district(
        self, following: str, unit_type: str, provinces: list[str]
    ) -> tuple[_District, str] | None:
        words = FOLLOWING_WORDS.match(following.strip())
        if not words:
            return None
        parts = words.group().split()
        for size in range(len(parts), 0, -1):
            written = " ".join(parts[:size])
            hits = self._district_hits(tone_key(written), unit_type, provinces)
            if len(hits) == 1:
                return hits[0], written
            if hits:
                return None  # a real name, but in several provinces the report does not tell apart
        return None

    def _body_district(self, text: str, provinces: list[str]) -> ReportLocation | None:
        counts: Counter[tuple[str, str]] = Counter()
        first_words: dict[tuple[str, str], str] = {}
        for found in DISTRICT_MENTION.finditer(text):
            unit_type = DISTRICT_UNIT_WORDS.get(found["unit"].lower(), "")
            hit = self._longest_district(text[found.end() : found.end() + 60], unit_type, provinces)
            if hit:
                key = (hit[0].district, hit[0].province)
                counts[key] += 1
                first_words.setdefault(key, f"{found['unit']} {hit[1]}")
        if not counts:
            return None
        (district, province), _ = counts.most_common(1)[0]  # ties: the first named wins
        return ReportLocation(district, province, "body", first_words[(district, province)])

    def link_all(self, names: Iterable[str], report_text: str | None = None) -> list[CommuneLink]:
        """Resolve every name, narrowed by the district the report states (if it states one)."""
        location = self.report_location(report_text) if report_text else None
        district = location.district if location else None
        province = location.province if location else None
        return [self.link(name, district=district, province=province) for name in names]


_shared_linker = CommuneLinker()


def shared_linker() -> CommuneLinker:
    """The module's linker (the mapping is loaded once per process, on first use)."""
    return _shared_linker


def link_commune(name: str, district: str | None = None, province: str | None = None) -> CommuneLink:
    """Resolve one commune name with the shared linker."""
    return _shared_linker.link(name, district=district, province=province)


def report_location(text: str) -> ReportLocation | None:
    """The district and province a report states (header issuer first), checked against the mapping."""
    return _shared_linker.report_location(text)


def link_communes(names: Iterable[str], report_text: str | None = None) -> list[CommuneLink]:
    """Resolve every name with the report's own district (when the report states one)."""
    return _shared_linker.link_all(names, report_text=report_text)
