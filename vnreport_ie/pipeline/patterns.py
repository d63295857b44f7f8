"""What generalises without data: figure shapes, commune names, trigger words.

These patterns serve twice: as *lexical hints* the statistical NER reads as
a token feature (component ``vnreport_lexical_hints``: each token's
``tag_`` is its hint class), and on their own as the "patterns alone"
baseline of the evaluation (:func:`pattern_entities`).
"""

from __future__ import annotations

import json
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import numpy
from spacy.attrs import IDX, LENGTH, TAG
from spacy.language import Language
from spacy.tokens import Doc, Span

from vnreport_ie.schema import FIGURE_LABELS
from vnreport_ie.text.communes import PLACE_UNIT, shared_linker
from vnreport_ie.text.numbers import CURRENCY_WORDS, FOOTNOTE_MARKERS, NOT_FOUND_BY, SCALE_WORDS
from vnreport_ie.text.tokenizer import doc_text


def _alternation(words) -> str:
    """A regex alternation of the unit words of a table (longest first; a space matches any blank run)."""
    forms = sorted((w for w in words if w not in NOT_FOUND_BY), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in forms)


SUPERSCRIPTS = FOOTNOTE_MARKERS
UPPER = "".join(c for c in map(chr, range(0x41, 0x1F00)) if c.isupper() and c.isalpha())
# an abbreviation in brackets right after a name, which the guide keeps in the name ("chỉ số sản xuất công nghiệp
# (IIP)", "Chương trình xây dựng nông thôn mới (NTM)")
ABBREVIATION = re.compile(r"[A-ZĐ][A-ZĐ0-9&-]{1,9}")


def past_abbreviation(texts: list[str], end: int) -> int:
    """``end``, or past an abbreviation in brackets right after it (tokens ``texts``): the guide keeps it in the name
    that ends there ("[chỉ số sản xuất công nghiệp (IIP)]", "[Chương trình xây dựng nông thôn mới (NTM)]")."""
    if 0 < end and end + 2 < len(texts) and texts[end] == "(" and texts[end + 2] == ")" and ABBREVIATION.fullmatch(texts[end + 1]):
        return end + 3
    return end
LETTER = rf"[^\W\d_{SUPERSCRIPTS}]"
NUMBER = r"\d+(?:[.,]\d+)*"  # e.g. 58.829 / 26,15 / 1.829.669.600
SCALE = rf"(?:{_alternation(SCALE_WORDS)})"  # the scale words of text.numbers: nghìn tỷ, triệu, tỷ, ...
# "đồng" that starts a word of its own is no currency: "1/10.000 đồng thời", "1.200 đồng bào"
NOT_CURRENCY_DONG = r"(?!\s+(?:thời|bào|bộ|chí|ý|loạt|nghiệp|tình|đều|hồ|phục|hương|ruộng|cỏ|khởi)(?![^\W\d_]))"
# the currency words of text.numbers (đồng, đ, trđ, VNĐ, USD, ^d, ...), any case but "đồng"
CURRENCY = rf"(?:đồng{NOT_CURRENCY_DONG}|(?i:{_alternation(set(CURRENCY_WORDS) - {'đồng'})}))"
# a scale word that is really a word of its own: "tỷ lệ", "tỷ trọng", "triệu chứng"
NOT_A_SCALE = r"(?!\s*(?:lệ|trọng|chứng)\b)"
# what a scaled number counts when it is not money: "1,5 triệu lượt khách"
COUNTED_NOUN = r"(?!\s*(?:người|lượt|con|cây|tấn|ha|hộ|khách|lao\s+động|m|km|kg|lít|kWh|sản\s+phẩm|USD))"
# (a scale word ends a word, or a currency is glued to it: "24 ngàn" is no amount in "24 ngành"; "5 tỷđồng" is)
SCALE_END = rf"(?:(?={CURRENCY})|(?!{LETTER}))"
AMOUNT = rf"{NUMBER}\s*{SCALE}{SCALE_END}{NOT_A_SCALE}(?:\s+{NUMBER}\s*{SCALE}{SCALE_END}{NOT_A_SCALE})*"
# A money amount, e.g. "58.829 triệu đồng", "3 tỷ 200 triệu đồng", "7.000.000đ", "2-3 tỷ đồng", "45 tỷ", "470 triệu USD"
MONEY = re.compile(
    rf"""
    (?<![\w.,])[-+]?
    (?:
        (?:{NUMBER}\s*[-–]\s*)?{AMOUNT}\s*{CURRENCY}(?!{LETTER})      # 2-3 tỷ đồng / 3 tỷ 200 triệu đồng
      | (?:{NUMBER}\s*[-–]\s*)?{NUMBER}\s*{CURRENCY}(?!{LETTER})      # 215.697.119 đồng / 4.910 trđ
      | (?:{NUMBER}\s*[-–]\s*)?{AMOUNT}{COUNTED_NOUN}(?!\s*{LETTER}*\s*/)  # 45 tỷ / 220 triệu
    )
    """,
    re.VERBOSE,
)
# a number right before "/" and a money amount shares its unit: "[60.746]/[135.188 triệu đồng]"
# (or its scale: "[220 triệu]/[254 triệu đồng]")
SHARES_THE_UNIT = re.compile(rf"(?<![\w.,/])(?P<number>[-+]?(?:{AMOUNT}|{NUMBER}))[ \t]*/[ \t]*$")
# ... and so does the first number of a range "từ X đến Y <money>": "từ [5] đến [9 triệu đồng]", "từ [400] đến hơn
# [500 triệu đồng]" (a number with its own scale, "từ 5 tỷ đến 9 tỷ đồng", is an amount already)
RANGE_SHARES_THE_UNIT = re.compile(
    rf"(?<![\w.,])[Tt]ừ[ \t]+(?P<number>{NUMBER})[ \t]+đến[ \t]+(?:(?:hơn|trên|gần|khoảng)[ \t]+)?$"
)
SHARED_UNIT_LOOKBACK = 40  # characters
# A percentage, e.g. "26,15%", "32,8 %", "-0,3%", "44-45%", "22%-48%" (a band is one), "50 phần trăm", "10,6,0%"
PERCENT = re.compile(
    rf"(?<![\w.,])[-+]?(?:{NUMBER}\s*%?\s*[-–]\s*)?{NUMBER}\s*(?:%|phần\s+trăm)",
)
UNIT_WORD = r"(?:xã|phường|thị\s+trấn|Xã|Phường|Thị\s+trấn)"
# A proper name: capitalised syllables, e.g. "Hợp Thành", "Yên Trạch", or a number "Phường 3"
# (an apostrophe inside a syllable of a Central Highlands name: "Cư K’nia", "Đắk R’lấp")
NAME_WORD = rf"[{UPPER}]{LETTER}*(?:[’'ʼ]{LETTER}+)?"
NAME = rf"(?:{NAME_WORD}(?:\s+{NAME_WORD})*|\d+\b)"
APOSTROPHES = str.maketrans("", "", "’'ʼ‘")
# "xã Hợp Thành", "thị trấn Cao Lộc", but not "thị xã" (a district-level town) nor "hợp tác xã" (a cooperative)
COMMUNE_UNIT = rf"(?<!thị\s)(?<!Thị\s)(?<!tác\s){UNIT_WORD}\s+"
COMMUNE = re.compile(rf"{COMMUNE_UNIT}(?P<name>{NAME})")
# "các" / "những" right before the unit word: the list that follows names communes only
PLURAL_BEFORE = re.compile(rf"(?:\b[Cc]ác|\b[Nn]hững)\s+(?:{UNIT_WORD}\s*,\s*)?$")  # "các xã, phường A, B"
# further names of a list: ", Xuất Lễ", " và Yên Trạch"
LIST_CONTINUATION = re.compile(rf"\s*(?:,|và|;)\s*(?:{UNIT_WORD}\s+)?(?P<name>{NAME})")
PROJECT_WORD = re.compile(r"(?i)\b(?:dự\s+án|công\s+trình|chương\s+trình|gói\s+thầu)\b")
COMPARE_WORD = re.compile(r"(?i)\b(?:so\s+với|so\s+cùng|bằng|chiếm|vượt|tăng|giảm)\b")
# verbs and phrases that end an indicator and introduce its figure: "... ước thực hiện tháng 02 là 28.000 triệu đồng"
FIGURE_VERB = re.compile(r"(?i)\b(?:đạt|là|được|ước|thực\s+hiện|lũy\s+kế|luỹ\s+kế|trên\s+địa\s+bàn|với\s+tổng)\b")
# where a clause (and so an indicator) can start: after a list mark or clause punctuation
CLAUSE_MARK = re.compile(r"(?:^|(?<=\s))(?:[-+•]|\*+|[a-zđ]\)|\d+(?:\.\d+)*[.)])(?=\s)|[;:]")
TARGET_WORD = re.compile(
    r"\b(?:[Kk]ế\s+hoạch|KH|[Dd]ự\s+toán|[Cc]ùng\s+kỳ|CK|[Cc]hỉ\s+tiêu|[Nn]ăm\s+trước|[Tt]háng\s+trước|tổng\s+số)\b"
)
LIST_MARK = re.compile(r"^\s*(?:[-+*•]+|\w\)|\d+(?:\.\d+)*[.)])\s*")

HINT_CLASSES = (
    "O",
    "B-MONEY",
    "I-MONEY",
    "B-PERCENT",
    "I-PERCENT",
    "B-COMMUNE",
    "I-COMMUNE",
    "GAZETTEER",
    "UNIT_WORD",
    "PROJECT_WORD",
    "COMPARE_WORD",
    "FIGURE_VERB",
    "CLAUSE_MARK",
    "TARGET_WORD",
    "NUMBER",
)


# The rule finders are cached by text: the hints, the merge after the NER and the baselines ask
# for the same paragraphs in turn (nlp.pipe runs each component over a batch of Docs).
RULE_CACHE_TEXTS = 512


@lru_cache(maxsize=RULE_CACHE_TEXTS)
def find_figures(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, MONEY|PERCENT) of every figure the patterns see in ``text``."""
    spans = [(m.start(), m.end(), "PERCENT") for m in PERCENT.finditer(text)]
    for money in MONEY.finditer(text):
        spans.append((money.start(), money.end(), "MONEY"))
        shared = number_sharing_unit(text, money.start())
        if shared is not None:
            spans.append((*shared, "MONEY"))
    return tuple(_without_overlaps(spans))


def number_sharing_unit(text: str, money_start: int) -> tuple[int, int] | None:
    """(start, end) of the number that shares the unit of the amount starting at ``money_start``, the unit written
    once: "[60.746]/135.188 triệu đồng", "từ [5] đến 9 triệu đồng"; None where there is none."""
    for pattern in (SHARES_THE_UNIT, RANGE_SHARES_THE_UNIT):
        shared = pattern.search(text, max(0, money_start - SHARED_UNIT_LOOKBACK), money_start)
        if shared is not None and shared.end() == money_start:
            return shared.start("number"), shared.end("number")
    return None


@lru_cache(maxsize=RULE_CACHE_TEXTS)
def find_communes(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of commune names after xã / phường / thị trấn, lists included."""
    spans: list[tuple[int, int]] = []
    names = commune_gazetteer()
    for match in COMMUNE.finditer(text):
        name = _commune_name(match.group("name"), names, after_unit_word=True)
        if name is None:
            continue
        position = _with_number(text, match.start("name"), match.start("name") + len(name), names, after_unit_word=True)
        spans.append((match.start("name"), position))
        # a list goes on with names of known communes only: "xã A, B và C"; after a plural "các xã" every name of
        # the list is a commune's, known or not (communes merged before the gazetteer's date: "các xã Phúc Đồng,
        # Phương Điền, Phương Mỹ, Hà Linh")
        plural = PLURAL_BEFORE.search(text, 0, match.start())
        while (more := LIST_CONTINUATION.match(text, position)) is not None:
            if more.group().lstrip().startswith(";"):
                plural = None  # the next group of a list across ";" is read as before
            name = _commune_name(more.group("name"), names, after_unit_word=plural is not None, whole=plural is not None)
            if name is None:
                break
            unit_word = re.search(UNIT_WORD, text[more.start() : more.start("name")]) is not None
            position = _with_number(text, more.start("name"), more.start("name") + len(name), names, after_unit_word=unit_word)
            spans.append((more.start("name"), position))
    spans.extend(_miscased_communes(text, names, spans))
    spans.extend(commune_name_lists(text))
    spans.extend(communes_by_context(text))
    spans.extend(counted_commune_lists(text))
    return tuple(sorted(set(spans)))


# two or three words after a unit word, one capitalised at least: "thị trấn Hưng hà", "phường cao Lãnh"
MISCASED_COMMUNE = re.compile(rf"{COMMUNE_UNIT}(?P<name>{LETTER}+(?:[ \t]+{LETTER}+){{1,2}})")


def _miscased_communes(text: str, names: frozenset[str], found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(start, end) of commune names written with a syllable in the wrong case right after their unit word ("thị
    trấn Hưng hà", "xã Long thành"), where the gazetteer knows the name; a name written all in lower case is not
    taken ("các xã biên giới": a commune is named so, the phrase is not one)."""
    result = []
    taken = {start for start, _ in found}
    for match in MISCASED_COMMUNE.finditer(text):
        if match.start("name") in taken:
            continue
        words = match.group("name").split()
        for length in range(len(words), 1, -1):
            name = words[:length]
            if any(w[:1].isupper() for w in name) and gazetteer_key(" ".join(name)) in names:
                result.append((match.start("name"), match.start("name") + _offset_after_words(match.group("name"), length)))
                break
    return result


# "43 xã, phường hưởng mức hỗ trợ 4 tỷ đồng gồm có A, B, ... và C", "các xã được công nhận là: A, B", "mỗi xã đạt
# chuẩn trước hạn nhận 1 tỷ đồng, gồm A, B": communes counted, made plural or taken each, then a list the same
# sentence introduces
# a count written in words: "Bốn xã ... là A, B, C và D" ("năm" is left out: "cuối năm xã ..." is "the year")
COUNT_WORD = r"(?:[Hh]ai|[Bb]a|[Bb]ốn|[Ss]áu|[Bb]ảy|[Tt]ám|[Cc]hín|[Mm]ười(?:\s+(?:một|hai|ba|bốn|lăm|sáu|bảy|tám|chín))?)"
COUNTED_COMMUNES = re.compile(
    rf"(?:\b\d+|\b[Cc]ác|\b[Nn]hững|\b[Mm]ỗi|\b{COUNT_WORD})\s+{UNIT_WORD}(?:\s*,\s*{UNIT_WORD})?\b"
)
LIST_INTRODUCER = re.compile(r"\b(?:gồm(?:\s+có)?|bao\s+gồm|là|như)\s*:?\s*|:\s*")
# an item: a name of one to four words, its unit word written or not, its district in brackets or after "thuộc"
# or not, its own figure after it or not ("xã Hưng Thông (Hưng Nguyên), Hưng Nam và Xuân Hoà (Nam Đàn)"; "Tùng Ảnh
# thuộc huyện Đức Thọ, Thạch Châu thuộc huyện Lộc Hà"; "là Hiệp Thạnh với 83% và Tân Thành với 92%")
ITEM_DISTRICT = rf"(?:\s*\([^()]{{1,40}}\)|\s+thuộc\s+(?:huyện|thị\s+xã|thành\s+phố|TX\.|TP\.)\s*{NAME})"
ITEM_FIGURE = rf"(?:\s+(?:với|được|nhận)\s+{NUMBER}\s*(?:%|{SCALE}(?:\s*{CURRENCY})?|{CURRENCY}))"
LIST_ITEM = re.compile(
    rf"(?:{UNIT_WORD}\s+)?(?P<name>{NAME_WORD}(?:\s+{NAME_WORD}){{0,3}}){ITEM_DISTRICT}?{ITEM_FIGURE}?"
    rf"(?=\s*(?:,|;|\bvà\b|\bcùng\b|\.|$))"
)
# inside a list, a name whose first syllable lost its capital ("..., La Dêê, [nam Giang], Bến Giằng")
MISCASED_ITEM = re.compile(
    rf"(?P<name>(?![{UPPER}]){LETTER}+(?:\s+{NAME_WORD}){{1,3}})(?=\s*(?:,|;|\bvà\b|\bcùng\b|\.|$))"
)
COUNTED_LIST_REACH = 120  # characters between the counted communes and the list


def counted_commune_lists(text: str) -> list[tuple[int, int]]:
    """(start, end) of the names of a list that a count or a plural of communes introduces in its sentence,
    known to the gazetteer or not (names after 2025, or merged before its date); the list ends at the first
    item that is no capitalised name of one to four words, and has two names at least."""
    result: list[tuple[int, int]] = []
    for count in COUNTED_COMMUNES.finditer(text):
        window_end = min(len(text), count.end() + COUNTED_LIST_REACH)
        stop = re.search(r"[.;](?:\s|$)", text[count.end() : window_end])
        introducer = LIST_INTRODUCER.search(text, count.end(), count.end() + stop.start() if stop else window_end)
        if introducer is None:
            continue
        position = introducer.end()
        items = []
        while (item := LIST_ITEM.match(text, position) or (MISCASED_ITEM.match(text, position) if items else None)):
            if item.group("name").isupper():
                break  # an acronym ends the list
            items.append((item.start("name"), item.end("name")))
            separator = re.match(r"\s*(?:,|\bvà\b|\bcùng\b)\s*", text[item.end() :])
            if separator is None:
                break
            position = item.end() + separator.end()
        if len(items) >= 2:  # a list, not one name ("gồm Ngân hàng ...")
            result.extend(items)
    return result


# a bracket after names that names their district: "Kim Nọi, Mồ Dề (Mù Cang Chải)", "Sơn Thủy (Văn Bàn, Lào Cai)"
DISTRICT_BRACKET = re.compile(rf"\s*\((?:huyện\s+|Huyện\s+)?(?P<district>{NAME})(?:\s*[,-]\s*(?:tỉnh\s+)?{NAME})?\)")
# a name as the subject of what only a commune is or does: "Bảo Hiệu là xã ...", "Tân Lập đạt 19/19 tiêu chí",
# "Phong Đông về đích nông thôn mới"
COMMUNE_PREDICATE = re.compile(
    r"\s+(?:là\s+(?:một\s+)?(?:xã|phường|thị\s+trấn)\b"
    r"|(?:đã\s+|được\s+|cũng\s+)?(?:đạt|về\s+đích|được\s+công\s+nhận|hoàn\s+thành)\s+(?:chuẩn\s+)?"
    r"(?:\d+(?:/\d+)?\s+tiêu\s+chí|(?:xã\s+)?(?:nông\s+thôn\s+mới|NTM)))"
)


# "A thuộc D" / "A, B thuộc huyện D": names followed by their own district
BELONGS_TO_DISTRICT = re.compile(rf"\s+thuộc\s+(?:huyện\s+|thị\s+xã\s+|thành\s+phố\s+)?(?P<district>{NAME})")


def _is_province(name: str) -> bool:
    return shared_linker().province_name(name) is not None


def communes_by_context(text: str) -> list[tuple[int, int]]:
    """(start, end) of known commune names written without a unit word where the text says they are communes:
    names before a bracket naming their own district or before "thuộc" and it, and names as the subject of a commune's predicate
    (not when the name is also a district's)."""
    linker = shared_linker()
    names = find_gazetteer_names(text)
    result: list[tuple[int, int]] = []
    for index, (start, end) in enumerate(names):
        bracket = DISTRICT_BRACKET.match(text, end) or BELONGS_TO_DISTRICT.match(text, end)
        if bracket is not None:
            group = [(start, end)]  # the names of the list this bracket closes: "A, B và C (D)"
            while index > 0 and NAME_LIST_SEPARATOR.fullmatch(text, names[index - 1][1], group[0][0]):
                index -= 1
                group.insert(0, names[index])
            inside = linker.communes_of_district([text[a:b] for a, b in group], bracket.group("district"))
            result.extend(span for span, known in zip(group, inside) if known)
        elif COMMUNE_PREDICATE.match(text, end) and not linker.is_district_name(text[start:end]):
            result.append((start, end))
    return result


# what may stand between two names of a list of communes: ", " / " và " / ": 44 nhà, "
# (a count after each name: "xã Khao Mang 7 nhà, Kim Nọi 6 nhà, Mồ Dề 2 nhà")
# (a count in brackets: "Hồ Bốn (27 nhà), Lao Chải (18 nhà)"; an amount each: "Khánh Lộc được 120 triệu, Tiến Lộc
# được 120 triệu")
NAME_LIST_SEPARATOR = re.compile(
    r"\s*(?:,|;|và|(?::|\s(?:được|với|nhận))?\s*\(?\d[\d.,]*\s*[^\W\d_]*(?:\s+[^\W\d_]+)?\)?\s*(?:,|;|và))\s*"
)
# a list right after "huyện" / "khu vực" names districts ("khu vực Chi Lăng, Bình Gia, Bắc Sơn")
DISTRICT_CONTEXT = re.compile(r"(?i)(?:huyện|khu\s+vực|tỉnh|thành\s+phố|quận)\s*$")
MIN_NAME_LIST = 3  # names of a list without unit word: "(*Chiêu Vũ, Tân Tri, Vạn Thủy, ...)"


def commune_name_lists(text: str) -> list[tuple[int, int]]:
    """(start, end) of the names in lists of at least MIN_NAME_LIST known commune names (no unit word needed)."""
    names = find_gazetteer_names(text)
    result: list[tuple[int, int]] = []
    run: list[tuple[int, int]] = []
    for span in [*names, None]:
        if span is not None and run and NAME_LIST_SEPARATOR.fullmatch(text, run[-1][1], span[0]):
            run.append(span)
            continue
        if len(run) >= MIN_NAME_LIST and not DISTRICT_CONTEXT.search(text, 0, run[0][0]) and not _all_districts(text, run):
            result.extend(
                span for span in run
                if not _is_province(text[span[0] : span[1]]) and is_commune_context(text, span[0], text[span[0] : span[1]])
                and not _heads_its_communes(text, span)
            )
        run = [span] if span is not None else []
    return result


def _heads_its_communes(text: str, name: tuple[int, int]) -> bool:
    """Whether a district's name opens a bracket of its communes: "Can Lộc (xã Khánh Lộc được 120 triệu, ...);
    Thạch Hà (xã Tượng Sơn ...)"."""
    opens = re.match(r"\s*\(", text[name[1] : name[1] + 3]) is not None
    return opens and shared_linker().is_district_name(text[name[0] : name[1]])


def _all_districts(text: str, names: list[tuple[int, int]]) -> bool:
    """Whether every name of a list is a district's too: a list of districts ("Quỳ Hợp 11 tỷ, Nghĩa Đàn 7,6 tỷ,
    Quỳnh Lưu 1,003 tỷ đồng"), unless a unit word says otherwise."""
    linker = shared_linker()
    return all(linker.is_district_name(text[a:b]) for a, b in names)


def _commune_name(candidate: str, names: frozenset[str], after_unit_word: bool, whole: bool = False) -> str | None:
    """The commune name at the start of ``candidate``: its longest known prefix, else (after xã) two or more words;
    ``whole``: the whole name of two to four words, known or not (an item of a plural list, "các xã, phường A,
    Sơn Cẩm Hà, B": a name after 2025 may start with an older one)."""
    words = candidate.split()
    if whole and 2 <= len(words) <= 4 and not candidate.isupper():
        return candidate
    for length in range(min(len(words), 4), 0, -1):
        prefix = " ".join(words[:length])
        if gazetteer_key(prefix) in names:
            return candidate[: _offset_after_words(candidate, length)]
    if after_unit_word and 2 <= len(words) <= 3 and not candidate.isupper():
        return candidate
    return None


@lru_cache(maxsize=RULE_CACHE_TEXTS)
def find_gazetteer_names(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of capitalised names that are commune names in underthesea's mapping data."""
    names = commune_gazetteer()
    spans = []
    for match in re.finditer(rf"{NAME_WORD}(?:\s+{NAME_WORD})*", text):
        words = match.group().split()
        # the longest run of words (from the left) that is a commune name
        for length in range(min(len(words), 4), 0, -1):
            end = match.start() + _offset_after_words(match.group(), length)
            numbered = _with_number(text, match.start(), end, names)
            if numbered > end or gazetteer_key(" ".join(words[:length])) in names:
                if not _starts_a_district_name(words, length):
                    spans.append((match.start(), numbered))
                break
    return tuple(spans)


def _starts_a_district_name(words: list[str], length: int) -> bool:
    """Whether the commune name ``words[:length]`` is the start of a district's name the text writes in full
    ("Thanh" of "Thanh Chương", "Nam" of "Nam Đàn": the district, not a commune named "Thanh")."""
    linker = shared_linker()
    return any(linker.is_district_name(" ".join(words[:k])) for k in range(length + 1, min(len(words), 4) + 1))


# a number after a name: "xã Sơn Kim 1", "Thường Phước 1" (not "xã Tân Lập 2 thôn", "Hợp Thành 3,5 tỷ")
NAME_NUMBER = re.compile(
    r"[ \t]+\d{1,2}\b(?![.,/]\d)(?!\s*(?:thôn|bản|xóm|ấp|tổ|hộ|nhà|căn|người|khẩu|km|ha|m|tấn|con|chiếc|cái|lượt"
    r"|điểm|phòng|lớp|trường|cơ\s+sở|công\s+trình|dự\s+án|tiêu\s+chí|xã|năm|tháng|ngày)\b)"
)


# a one-digit number that ends a list item: "xã Phước Cát 1 (Cát Tiên)", "xã Phú Thuận 2, ..."
NUMBER_ENDS_ITEM = re.compile(r"[ \t]+\d\b(?![.,]\d)(?=\s*(?:[,;(]|\.(?:\s|$)|\s+và\b|$))")


def _with_number(text: str, start: int, end: int, names: frozenset[str], after_unit_word: bool = False) -> int:
    """The end of the commune name ``text[start:end]``, with the number written after it where the gazetteer
    knows the numbered name ("Sơn Kim 1", "Thường Phước 1": communes split in two and numbered) or, after a unit
    word, where a one-digit number ends the item ("xã Phước Cát 1 (Cát Tiên)"; not "xã Tân Lập 2 thôn")."""
    number = NAME_NUMBER.match(text, end)
    if number is not None and gazetteer_key(f"{text[start:end]} {number.group().strip()}") in names:
        return number.end()
    if after_unit_word and text[end - 1 : end].isalpha() and (number := NUMBER_ENDS_ITEM.match(text, end)) is not None:
        return number.end()  # (not after a name that is a number itself: "Phường 3")
    return end


def _offset_after_words(text: str, count: int) -> int:
    position = 0
    for _ in range(count):
        while position < len(text) and text[position].isspace():
            position += 1
        while position < len(text) and not text[position].isspace():
            position += 1
    return position


def gazetteer_key(name: str) -> str:
    """How a name is looked up in the gazetteer: NFC, lower case, no apostrophes ("Cư K’nia" = "Cư Knia")."""
    return unicodedata.normalize("NFC", name).lower().translate(APOSTROPHES)


@lru_cache(maxsize=1)
def commune_gazetteer() -> frozenset[str]:
    """Lower-cased names of every commune-level unit in underthesea's mapping data: those before the 2025 merger,
    and those it made ("Quế Sơn Trung", "Điện Bàn Tây") where the name is no district's or province's before it
    ("Liên Chiểu", "Thăng Bình", "Bạc Liêu" name the district or the province in text of any year)."""
    import underthesea.address

    path = Path(underthesea.address.__file__).parent / "data" / "mapping.json"
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle)
    names = {gazetteer_key(re.sub(r"^(?:Xã|Phường|Thị trấn)\s+", "", row["old_ward"])) for row in data["ward_mapping"]}
    linker = shared_linker()
    names.update(
        gazetteer_key(name) for name in linker.merger_made_names()
        if not linker.is_district_name(name) and linker.province_name(name) is None
    )
    return frozenset(names)


# a place as a whole: the province, district or commune that reports, or the whole of one ("toàn tỉnh", "cả nước")
WHOLE_PLACE = frozenset(
    w + " " + unit
    for w in ("toàn", "cả", "trên toàn", "trên địa bàn", "địa bàn")
    for unit in ("tỉnh", "huyện", "thành phố", "thị xã", "xã", "phường", "thị trấn", "nước", "quốc", "vùng", "khu vực")
) | {"toàn quốc", "cả nước", "địa bàn", "trên địa bàn"}


def is_place(text: str) -> bool:
    """Whether ``text`` names only a place: a known province, district or commune (with or without its unit
    word: "Bắc Kạn", "tỉnh Bắc Kạn", "thị xã Ba Đồn"; tone marks either way: "Minh Hoá" = "Minh Hóa") or a whole
    one ("toàn tỉnh", "cả nước")."""
    text = " ".join(text.split())
    if gazetteer_key(text) in WHOLE_PLACE:
        return True
    name = PLACE_UNIT.sub("", text)
    # a name is written capitalised ("Thanh" the commune, not "thanh toán"), a number only after its unit word
    # ("Quận 4", not "4")
    written_as_name = all(w[:1].isupper() for w in name.split()) or (name != text and name.isdigit())
    return bool(name) and written_as_name and shared_linker().is_place_name(name)


def token_offsets_and_texts(doc: Doc) -> list[tuple[int, str]]:
    """(character offset, text) of each token, read from the Doc's arrays (Token objects are slow to make)."""
    text = doc_text(doc)
    return [(start, text[start : start + length]) for start, length in doc.to_array([IDX, LENGTH]).tolist()]


def doc_hints(doc: Doc) -> list[str]:
    """The hint class of each token: the tags the lexical hints component set, else computed now."""
    # the component tags every token (doc.has_annotation("TAG") would scan the whole Doc)
    if len(doc) and doc[0].tag:
        strings = doc.vocab.strings
        return [strings[tag] if tag else "O" for tag in doc.to_array(TAG).tolist()]
    return token_hints(doc)


def token_hints(doc: Doc) -> list[str]:
    """The hint class of each token of ``doc`` (one of HINT_CLASSES)."""
    text = doc_text(doc)
    tokens = token_offsets_and_texts(doc)
    hints = [
        "NUMBER" if not token_text.isalpha() and any(c.isdigit() for c in token_text) else "O" for _, token_text in tokens
    ]
    # the token holding a character, or the next token for whitespace between tokens (len(doc) after the last)
    token_ends = [start + len(token_text) for start, token_text in tokens]

    def token_of(position: int) -> int:
        return bisect_right(token_ends, position)

    def mark(spans: Iterator[tuple[int, int]] | list[tuple[int, int]], name: str, begin_inside: bool) -> None:
        """Give the hint ``name`` to every token that overlaps one of the character spans."""
        for start, end in spans:
            first, last = token_of(start), token_of(end - 1)
            for i in range(first, min(last, len(doc) - 1) + 1):
                hints[i] = (("B-" if i == first else "I-") + name) if begin_inside else name

    mark(((m.start(), m.end()) for m in CLAUSE_MARK.finditer(text)), "CLAUSE_MARK", False)
    mark(((m.start(), m.end()) for m in FIGURE_VERB.finditer(text)), "FIGURE_VERB", False)
    mark(((m.start(), m.end()) for m in TARGET_WORD.finditer(text)), "TARGET_WORD", False)
    mark(((m.start(), m.end()) for m in COMPARE_WORD.finditer(text)), "COMPARE_WORD", False)
    mark(((m.start(), m.end()) for m in PROJECT_WORD.finditer(text)), "PROJECT_WORD", False)
    mark(((m.start(), m.end()) for m in re.finditer(UNIT_WORD, text)), "UNIT_WORD", False)
    mark(find_gazetteer_names(text), "GAZETTEER", False)
    mark(find_communes(text), "COMMUNE", True)
    for label in ("MONEY", "PERCENT"):
        mark([(s, e) for s, e, lab in find_figures(text) if lab == label], label, True)
    return hints


@Language.factory("vnreport_lexical_hints", assigns=["token.tag"])
def make_lexical_hints(nlp: Language, name: str) -> "LexicalHints":
    """Rule component: each token's ``tag_`` becomes its lexical hint class."""
    return LexicalHints()


class LexicalHints:
    """Sets ``token.tag_`` to the hint class of figure patterns, gazetteer and trigger words."""

    def __call__(self, doc: Doc) -> Doc:
        if len(doc):
            strings = doc.vocab.strings
            tags = numpy.array([[strings.add(hint)] for hint in token_hints(doc)], dtype=numpy.uint64)
            doc.from_array([TAG], tags)
        return doc


def pattern_entities(text: str) -> list[tuple[int, int, str]]:
    """The "patterns alone" baseline: entities of all six labels from rules only."""
    spans = [(s, e, label) for s, e, label in find_figures(text)]
    spans += [(s, e, "COMMUNE") for s, e in find_communes(text)]
    for match in re.finditer(r"(?i)\b(?:dự\s+án|công\s+trình:?)\s+(?P<name>[^,;.()\n]+)", text):
        spans.append((match.start("name"), match.start("name") + len(match.group("name").rstrip()), "PROJECT"))
    for match in re.finditer(r"\b(?:[Cc]hương\s+trình\s+[^,;.()\n:]+)", text):
        spans.append((match.start(), match.start() + len(match.group().rstrip()), "PROJECT"))
    for match in re.finditer(
        r"(?:so\s+với|so|đạt|bằng|chiếm)\s+(?P<target>(?:[Kk]ế\s+hoạch|KH|[Dd]ự\s+toán|[Cc]ùng\s+kỳ|CK|[Cc]hỉ\s+tiêu|[Nn]ăm|[Tt]ổng)[^,;.()\n%]*?)(?=\s*(?:[,;.()\n]|$|đạt|bằng|tăng|giảm))",
        text,
    ):
        spans.append((match.start("target"), match.end("target"), "TARGET"))
    for figure_start, _, _ in find_figures(text):
        indicator = indicator_before(text, figure_start)
        if indicator is not None:
            spans.append((*indicator, "INDICATOR"))
    return _without_overlaps(spans, priority=("MONEY", "PERCENT", "COMMUNE", "TARGET", "PROJECT", "INDICATOR"))


INDICATOR_WINDOW_CHARS = 400  # a clause longer than this is cut: the baseline looks this far back


def indicator_before(text: str, figure_start: int) -> tuple[int, int] | None:
    """Baseline indicator: the clause before a figure, without list marks and the verb before the figure."""
    window_start = max(0, figure_start - INDICATOR_WINDOW_CHARS)
    clause_start = max([text.rfind(c, window_start, figure_start) + 1 for c in ";:,("] + [window_start])
    clause = text[clause_start:figure_start]
    mark = LIST_MARK.match(clause)
    start = clause_start + (mark.end() if mark else 0)
    head = re.split(r"\s(?:ước\s+thực\s+hiện|ước\s+đạt|ước|đạt|là|được|bằng|tăng|giảm|lũy\s+kế|trên\s+địa\s+bàn)\b", text[start:figure_start])[0]
    head = head.strip(" -+*:")
    if len(head) < 4 or not any(c.isalpha() for c in head):
        return None
    begin = text.index(head, start)
    return begin, begin + len(head)


def _without_overlaps(
    spans: list[tuple[int, int, str]], priority: tuple[str, ...] = ()
) -> list[tuple[int, int, str]]:
    """Drop spans that overlap a kept one: labels earlier in ``priority`` first, then earliest and longest."""
    rank = {label: i for i, label in enumerate(priority)}
    taken = [False] * (max((end for _, end, _ in spans), default=0) + 1)
    kept: list[tuple[int, int, str]] = []
    for start, end, label in sorted(spans, key=lambda s: (rank.get(s[2], len(rank)), s[0], -(s[1] - s[0]))):
        if start >= end or any(taken[start:end]):
            continue
        taken[start:end] = [True] * (end - start)
        kept.append((start, end, label))
    return sorted(kept)


# a name listed after a district-level unit word is a district, not a commune: "những huyện như Tứ Kỳ, Kim
# Thành, ...", "huyện Thanh Miện", "thị xã An Nhơn"
DISTRICT_LIST_BEFORE = re.compile(
    rf"(?:huyện|Huyện|quận|Quận|thị\s+xã|Thị\s+xã|thành\s+phố|Thành\s+phố|tỉnh|Tỉnh|thuộc)(?:\s+như)?"
    rf"\s+(?:{NAME}\s*(?:,|và)\s*)*$"
)
UNIT_WORD_BEFORE = re.compile(rf"{UNIT_WORD}\s*$")
MANY_UNITS_BEFORE = re.compile(rf"(?:\b[Cc]ác|\b[Nn]hững|\b[Mm]ỗi|\b[Nn]hiều|\d)\s+{UNIT_WORD}\s*$")
# a name followed by the district-level unit it lies in ("... thuộc huyện Lộc Hà", "thuộc TX.Hồng Lĩnh"); a
# district lies in a province ("thuộc tỉnh")
ITEM_OF_ITS_DISTRICT = re.compile(r"\s+thuộc\s+(?:huyện|thị\s+xã|quận|thành\s+phố|TX\.|TP\.)")
LIST_ITEM_BEFORE = re.compile(r"(?:,|;|\bvà)\s*$")
CONTEXT_CHARS = 160  # how far back the unit word of a list is looked for


def is_commune_context(text: str, start: int, name: str) -> bool:
    """Whether a commune entity at ``start`` may stand there: not in a list of districts, and a bare number or a
    province's name only right after its unit word."""
    before = text[max(0, start - CONTEXT_CHARS) : start]
    after_unit_word = UNIT_WORD_BEFORE.search(before) is not None
    if not any(c.isalpha() for c in name) and not (after_unit_word and name.strip().isdigit()):
        return False  # "Phường 3", not "16/24 ngành" nor "mỗi xã 10,19 tiêu chí"
    if name.strip().isdigit() and MANY_UNITS_BEFORE.search(before):
        return False  # a number after many communes counts something else: "tặng các xã 10 tủ sách"
    if not after_unit_word and name.isupper() and len(name) > 1 and not name.isdigit():
        return False  # an acronym ("GRDP") names no commune
    if not after_unit_word and not LIST_ITEM_BEFORE.search(before) and _is_province(name):
        return False  # "Long An", "Bắc Giang" alone are provinces (in "các xã Tân Lập, Hòa Bình" a commune)
    if ITEM_OF_ITS_DISTRICT.match(text, start + len(name)):
        return True  # a name placed in its own district is a commune, after another one's district too
        # ("Tùng Ảnh thuộc huyện Đức Thọ, [Thạch Châu] thuộc huyện Lộc Hà")
    return DISTRICT_LIST_BEFORE.search(before) is None


@Language.factory("vnreport_pattern_merge", requires=["doc.ents"], assigns=["doc.ents"])
def make_pattern_merge(nlp: Language, name: str) -> "PatternMerge":
    """Rule component after the NER: figure shapes and commune names the NER cut differently or missed."""
    return PatternMerge()


class PatternMerge:
    """Merge the rules' figures and communes into the NER's entities.

    Money and percent shapes are rules that hold in any report, so a pattern
    figure replaces the NER entities it overlaps (and is added where the NER
    found nothing); NER figures the patterns do not see stay, unless they hold
    no number ("77,6% [% so] với": a stray sign is no figure). A commune name after xã /
    phường / thị trấn is added where the NER found nothing and replaces NER
    communes inside it (the NER's "xã [Bằng] Hữu").
    """

    def __call__(self, doc: Doc) -> Doc:
        owner: list[Span | None] = [None] * len(doc)  # the entity of each token (entities do not overlap)
        for ent in doc.ents:
            owner[ent.start : ent.end] = [ent] * (ent.end - ent.start)
        text = doc_text(doc)
        rule_spans = [(s, e, label) for s, e, label in find_figures(text)]
        rule_spans += [(s, e, "COMMUNE") for s, e in find_communes(text)]
        for start, end, label in rule_spans:
            span = doc.char_span(start, end, label=label)
            if span is None:
                continue  # not on token edges: leave it to the NER
            overlapping = {id(e): e for e in owner[span.start : span.end] if e is not None}.values()
            if label == "COMMUNE" and any(
                e.label_ != "COMMUNE" or e.start < span.start or e.end > span.end for e in overlapping
            ):
                continue  # a known name replaces only the parts of itself the NER found ("xã [Bằng] Hữu")
            for ent in list(overlapping):
                owner[ent.start : ent.end] = [None] * (ent.end - ent.start)
            owner[span.start : span.end] = [span] * (span.end - span.start)
        found = {(s, e) for s, e, label in rule_spans if label == "COMMUNE"}
        _named_again(doc, text, owner)  # (a district's name stays out below, as for the NER's)
        ents = [e for i, e in enumerate(owner) if e is not None and (i == 0 or owner[i - 1] is not e)]
        doc.ents = [
            e for e in ents
            if (e.label_ not in FIGURE_LABELS or any(c.isdigit() for c in e.text))
            and (e.label_ != "COMMUNE" or is_commune_context(text, e.start_char, e.text))
            and (e.label_ != "COMMUNE" or (e.start_char, e.end_char) in found or not _names_a_district(text, e))
        ]
        return doc


# the words after which a commune named again without its unit word stands ("..., Hòa Hiếu trở thành ...",
# "Nhờ đó, [Vĩnh Công] trở thành xã thứ 10"); a lower-case word other than these makes it part of another name
# ("Trường tiểu học Tân Hạnh", "đình Tân Nhuận Đông")
WORD_BEFORE = re.compile(r"(\w+|[^\w\s])\s*$")  # the word or mark right before a position
BEFORE_NAMED_AGAIN = {"và", "là", "gồm", "có", "ở", "với", "của", "từ", "đến", "đi", "như", "nối", "tại", "cho"}


def _named_again(doc: Doc, text: str, owner: list[Span | None]) -> None:
    """Add to ``owner`` (the entity of each token) the mentions of a commune named again in the paragraph without
    its unit word ("Kỳ họp ... của HĐND phường Hòa Hiếu ... Hòa Hiếu đã ..."), where no entity is and a commune
    can stand."""
    names = {e.text for e in owner if e is not None and e.label_ == "COMMUNE" and e.text[:1].isupper()}
    if not names:
        return
    # one pass over the text for all the names, longest first
    pattern = re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, sorted(names, key=len, reverse=True)))})(?!\w)")
    for match in pattern.finditer(text):
        span = doc.char_span(match.start(), match.end(), label="COMMUNE")
        if span is None or any(owner[span.start : span.end]):
            continue
        before = WORD_BEFORE.search(text, max(0, match.start() - CONTEXT_CHARS), match.start())
        word = before.group(1) if before else ""
        if word[:1].isalpha() and word not in BEFORE_NAMED_AGAIN:
            continue
        if not is_commune_context(text, match.start(), match.group()):
            continue
        owner[span.start : span.end] = [span] * len(span)


def _names_a_district(text: str, ent: Span) -> bool:
    """Whether a name the NER alone took for a commune is a district's, with no unit word before it ("Kỳ Sơn 5,8
    tỷ đồng cho 20 xã, Tương Dương 11 tỷ, ...": districts; "thị trấn Bình Gia" is one, "Bình Gia" the district)."""
    before = text[max(0, ent.start_char - CONTEXT_CHARS) : ent.start_char]
    return UNIT_WORD_BEFORE.search(before) is None and shared_linker().is_district_name(ent.text)
