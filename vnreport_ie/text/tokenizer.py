"""Vietnamese tokenizer for spaCy backed by underthesea's word segmentation.

underthesea rewrites text while it segments (``hoá`` -> ``hóa``, ``qui`` ->
``quy``), so its output words are not always substrings of the input. This
tokenizer never aligns rewritten words back by guesswork: it runs
underthesea's own syllable regex on the *original* text (which yields exact
character offsets), gives the normalised syllables to underthesea's CRF word
segmenter, and builds each word from the original characters between its
first and last syllable. ``doc.text`` is therefore always the input.

Two refinements on top of underthesea, both needed for figures:

* a whitespace-free chunk that holds a digit (``đạt1,36%``, ``5.200``,
  ``2024⁹``, ``73HTX/942``) is cut with :data:`FIGURE_CHUNK_PIECE` instead of
  underthesea's regex, so that Vietnamese numbers stay whole (``58.829``,
  ``1.829.669.600``), ``%`` and footnote superscripts are tokens of their own;
* a word the CRF glues across such a piece (``4.696 m²``, ``KH ]``) is split
  back into its syllables.

The CRF is underthesea's own model, decoded by :mod:`vnreport_ie.text.word_segmenter`
(same tags as underthesea's tagger, from cached n-gram scores: faster).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import NamedTuple

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import get_words_and_spaces
from spacy.vocab import Vocab

from vnreport_ie.text.word_segmenter import CRFWordSegmenter

TOKENIZER_NAME = "vnreport.UndertheseaTokenizer.v1"

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻ⁿ"

# A whitespace-free chunk that holds a digit or a footnote superscript, e.g. "đạt1,36%" or "đồng⁶".
FIGURE_CHUNK = re.compile(rf"\S*[\d{SUPERSCRIPTS}]\S*")
# Pieces of such a chunk, in order of priority:
FIGURE_CHUNK_PIECE = re.compile(
    rf"""
    \d+(?:[.,]\d+)*         # a Vietnamese number: 58.829 / 26,15 / 1.829.669.600 / 10,6,0
    | [{SUPERSCRIPTS}]+     # a footnote marker or exponent: ⁶ / ¹⁰ / ²
    | [^\W\d_{SUPERSCRIPTS}]+  # a run of letters: đạt / HTX / m
    | \S                    # any other single character: % / ^ / ( / -
    """,
    re.VERBOSE,
)
WHITESPACE = re.compile(r"\s+")
# Punctuation underthesea's regex leaves glued to a syllable ("KH." read as an abbreviation, "Lăng*"):
# split off, so that "đạt 100% [KH]." and "xã [Vũ Lăng]*" have token edges where the figures' spans end.
EDGE_PUNCTUATION = re.compile(r"^(?P<lead>[*\"“”'(\[]*)(?P<core>.*?)(?P<trail>[.*,;:!?\"“”')\]]*)$", re.DOTALL)
# Words the CRF glues across the verb that introduces a figure ("hạt ước", "Ước tổng", "thu ước"):
# a word holding one of these syllables is split into syllables, unless it is a known compound.
# "bằng" introduces a comparison ("... 113 tỷ đồng bằng 28,1%"), where the CRF reads "đồng bằng" (delta).
# "tăng" / "giảm" / "chiếm" / "so" introduce a comparison ("cùng kỳ giảm", "IIP giảm", "so CK"), where the CRF
# glues them to the reference or the indicator before them.
FIGURE_VERB_SYLLABLES = {"ước", "đạt", "bằng", "tăng", "giảm", "chiếm", "so"}
FIGURE_VERB_COMPOUNDS = {
    "ước tính", "ước đạt", "đạt được", "ước thực hiện", "cân bằng", "công bằng", "bình đẳng",
    "tăng trưởng", "tăng cường", "gia tăng", "giảm nghèo", "suy giảm", "cắt giảm", "giảm thiểu", "so sánh",
    "chiếm dụng", "lấn chiếm", "bằng khen",
}
# a unit word right after a figure ends it: the CRF reads "[1.570 tỷ đồng] vốn" as "đồng vốn" (a word)
FIGURE_UNIT_WORDS = {"đồng", "đ", "tỷ", "tỉ", "triệu", "nghìn", "ngàn", "usd", "vnđ", "trđ", "%"}
# a hyphen glued between two words ("Kỳ Cùng-Giai đoạn") is cut; it is rarely part of a name here
GLUED_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")
# an abbreviated unit glued to the name after it ("P.An Bình", "TX.Phú Mỹ", "TP.HCM") is cut after its dot
GLUED_ABBREVIATION = re.compile(r"([^\W\d_]{1,3})\.([^\W\d_]+)$")
# underthesea's CRF tags the sequence at once; very long inputs are tagged in windows
# of at most this many syllables, cut after a sentence-ending syllable when there is one.
CRF_WINDOW = 2000
SENTENCE_END = {".", ";", "!", "?", ":"}


# doc.user_data key of the input text: spaCy rebuilds Doc.text from every token at each call
TEXT_KEY = "vnreport_ie.text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, from the copy the tokenizer keeps when it is still the Doc's text (else rebuilt)."""
    text = doc.user_data.get(TEXT_KEY)
    # a Doc's text never changes (retokenizing keeps it); the length check catches a Doc built otherwise
    if isinstance(text, str) and len(doc) and len(text) == doc[-1].idx + len(doc[-1].text_with_ws):
        return text
    return doc.text


class Syllable(NamedTuple):
    """One underthesea syllable (or figure piece) with its place in the original text."""

    start: int
    end: int
    normalized: str
    splits_words: bool  # True for figure pieces: they never share a word with other syllables


class UndertheseaTokenizer:
    """A spaCy tokenizer: underthesea word segmentation, offset-faithful."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words = [text[start:end] for start, end in self.word_offsets(text)]
        if not words:
            doc = Doc(self.vocab, words=[text], spaces=[False]) if text else Doc(self.vocab)
        else:
            words, spaces = get_words_and_spaces(words, text)
            doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data[TEXT_KEY] = text
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    def word_offsets(self, text: str) -> list[tuple[int, int]]:
        """Character offsets (start, end) of the words of ``text``, in order."""
        syllables = self.syllables(text)
        offsets: list[tuple[int, int]] = []
        after_figure = False
        for window in _crf_windows(syllables):
            for word in self._segment(window):
                if after_figure and len(word) > 1 and text[word[0].start : word[0].end].lower() in FIGURE_UNIT_WORDS:
                    offsets.append((word[0].start, word[0].end))  # "tỷ [đồng] vốn": the unit is its own token
                    word = word[1:]
                offsets.extend(_split_word(word, text))
                last = text[word[-1].start : word[-1].end].lower()
                after_figure = word[-1].splits_words and last[:1].isdigit() or last in FIGURE_UNIT_WORDS
        return offsets

    def syllables(self, text: str) -> list[Syllable]:
        """The syllables of ``text`` with exact offsets into it."""
        from underthesea.pipeline.word_tokenize.regex_tokenize import patterns

        token_normalize = _cached_token_normalize()

        result: list[Syllable] = []
        position = 0
        for chunk in FIGURE_CHUNK.finditer(text):
            result.extend(_plain_syllables(text, position, chunk.start(), patterns, token_normalize))
            for piece in FIGURE_CHUNK_PIECE.finditer(chunk.group()):
                start = chunk.start() + piece.start()
                result.append(Syllable(start, start + len(piece.group()), piece.group(), True))
            position = chunk.end()
        result.extend(_plain_syllables(text, position, len(text), patterns, token_normalize))
        return result

    def _segment(self, syllables: list[Syllable]) -> list[list[Syllable]]:
        if not syllables:
            return []
        tags = word_segmenter().tag([s.normalized for s in syllables])
        words: list[list[Syllable]] = []
        for tag, syllable in zip(tags, syllables):
            joins = tag == "I-W" and words and not syllable.splits_words and not words[-1][-1].splits_words
            if joins:
                words[-1].append(syllable)
            else:
                words.append([syllable])
        return words

    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "UndertheseaTokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        return None

    def from_disk(self, path, **kwargs) -> "UndertheseaTokenizer":
        return self


def _plain_syllables(text, start, end, patterns, token_normalize) -> Iterator[Syllable]:
    """underthesea's regex syllables of ``text[start:end]`` (no digits inside)."""
    if start >= end:
        return
    for match in patterns.finditer(text, start, end):
        if not match.group():
            continue
        piece = match.group()
        if piece.isalpha():  # the common case: a plain syllable, nothing to cut
            yield Syllable(match.start(), match.end(), token_normalize(piece), False)
            continue
        # underthesea's regex can glue characters across whitespace (e.g. abbreviations);
        # keep whitespace out of syllables so that words map onto the text exactly.
        offset = match.start()
        for part in WHITESPACE.split(piece):
            if not part:
                continue
            part_start = match.start() + piece.find(part, offset - match.start())
            offset = part_start + len(part)
            abbreviation = GLUED_ABBREVIATION.match(part)
            if abbreviation and abbreviation.group(1).isupper() and abbreviation.group(2)[:1].isupper():
                cut = part_start + len(abbreviation.group(1)) + 1  # "P.An Bình", "TP.Hồ Chí Minh": "P." | "An"
                yield Syllable(part_start, cut, token_normalize(part[: cut - part_start]), False)
                yield Syllable(cut, offset, token_normalize(part[cut - part_start :]), False)
                continue
            if GLUED_HYPHEN.search(part):
                position = part_start
                for piece_text in re.split(r"(-)", part):
                    if piece_text:
                        yield Syllable(position, position + len(piece_text), token_normalize(piece_text), False)
                        position += len(piece_text)
                continue
            edges = EDGE_PUNCTUATION.match(part)
            if not edges.group("core") or edges.group("core") == part:
                yield Syllable(part_start, offset, token_normalize(part), False)
                continue
            position = part_start
            for group in ("lead", "core", "trail"):
                for char_or_core in [edges.group(group)] if group == "core" else list(edges.group(group)):
                    if char_or_core:
                        end = position + len(char_or_core)
                        yield Syllable(position, end, token_normalize(char_or_core), False)
                        position = end


@lru_cache(maxsize=1)
def word_segmenter():
    """underthesea's word-segmentation CRF, loaded once per process (see :mod:`vnreport_ie.text.word_segmenter`)."""
    return CRFWordSegmenter.underthesea()


@lru_cache(maxsize=1)
def _cached_token_normalize():
    """underthesea's token_normalize, memoised (syllables repeat: most of a report is a few thousand)."""
    from underthesea.pipeline.text_normalize import token_normalize

    return lru_cache(maxsize=200_000)(token_normalize)


def _split_word(word: list[Syllable], text: str) -> list[tuple[int, int]]:
    """Offsets of ``word``, or of its parts where the CRF glued a figure verb or a name to its neighbour."""
    whole = [(word[0].start, word[-1].end)]
    if len(word) == 1:
        return whole
    pieces = [text[s.start : s.end] for s in word]
    lowered = " ".join(p.lower() for p in pieces)
    if lowered not in FIGURE_VERB_COMPOUNDS and FIGURE_VERB_SYLLABLES & {p.lower() for p in pieces}:
        parts: list[tuple[int, int]] = []
        previous_was_verb = True
        for syllable, piece in zip(word, pieces):
            is_verb = piece.lower() in FIGURE_VERB_SYLLABLES
            if is_verb or previous_was_verb:
                parts.append((syllable.start, syllable.end))
            else:
                parts[-1] = (parts[-1][0], syllable.end)
            previous_was_verb = is_verb
        return parts
    # "và Công Liêm", "nối Mỹ Hội Đông", "cầu Tráng": a lower-case syllable never shares a word with a capitalised
    # syllable after it (a name starts there)
    cuts = [i for i in range(1, len(pieces)) if pieces[i - 1][:1].islower() and pieces[i][:1].isupper()]
    bounds = list(zip([0, *cuts], [*cuts, len(word)]))
    return [offsets for a, b in bounds for offsets in _split_name(word[a:b], pieces[a:b])]


def _split_name(word: list[Syllable], pieces: list[str]) -> list[tuple[int, int]]:
    """Offsets of ``word``: "Tân Thành đạt", a name of two or more capitalised syllables followed by lower-case
    ones, is cut after the name."""
    capitals = [p[:1].isupper() for p in pieces]
    if len(word) > 1 and capitals[0] and capitals[1] and not capitals[-1]:
        cut = capitals.index(False)
        return [(word[0].start, word[cut - 1].end), (word[cut].start, word[-1].end)]
    return [(word[0].start, word[-1].end)]


def _crf_windows(syllables: list[Syllable]) -> Iterator[list[Syllable]]:
    """Consecutive windows of at most CRF_WINDOW syllables, cut after a sentence end when possible."""
    begin = 0
    while begin < len(syllables):
        end = min(begin + CRF_WINDOW, len(syllables))
        if end < len(syllables):
            for cut in range(end - 1, begin, -1):
                if syllables[cut].normalized in SENTENCE_END:
                    end = cut + 1
                    break
        yield syllables[begin:end]
        begin = end


@spacy.registry.tokenizers(TOKENIZER_NAME)
def create_underthesea_tokenizer():
    """Registered tokenizer factory: ``[nlp.tokenizer] @tokenizers = "vnreport.UndertheseaTokenizer.v1"``."""

    def make_tokenizer(nlp: Language) -> UndertheseaTokenizer:
        return UndertheseaTokenizer(nlp.vocab)

    return make_tokenizer


def blank() -> Language:
    """A blank Vietnamese spaCy pipeline with the underthesea tokenizer and no trained component."""
    config = {"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}}
    nlp = spacy.blank("vi", config=config)
    nlp.max_length = 10**9  # the tokenizer handles any length; the caller decides what fits in memory
    return nlp
