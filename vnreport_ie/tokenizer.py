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
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import get_words_and_spaces
from spacy.vocab import Vocab

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
# underthesea's CRF tags the sequence at once; very long inputs are tagged in windows
# of at most this many syllables, cut after a sentence-ending syllable when there is one.
CRF_WINDOW = 2000
SENTENCE_END = {".", ";", "!", "?", ":"}


@dataclass(frozen=True)
class Syllable:
    """One underthesea syllable (or figure piece) with its place in the original text."""

    start: int
    end: int
    normalized: str
    splits_words: bool  # True for figure pieces: they never share a word with other syllables


class UndertheseaTokenizer:
    """A spaCy tokenizer: underthesea word segmentation, offset-faithful."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab
        self._crf = None

    def __call__(self, text: str) -> Doc:
        words = [text[start:end] for start, end in self.word_offsets(text)]
        if not words:
            return Doc(self.vocab, words=[text], spaces=[False]) if text else Doc(self.vocab)
        words, spaces = get_words_and_spaces(words, text)
        return Doc(self.vocab, words=words, spaces=spaces)

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    def word_offsets(self, text: str) -> list[tuple[int, int]]:
        """Character offsets (start, end) of the words of ``text``, in order."""
        syllables = self.syllables(text)
        offsets: list[tuple[int, int]] = []
        for window in _crf_windows(syllables):
            offsets.extend(self._segment(window))
        return offsets

    def syllables(self, text: str) -> list[Syllable]:
        """The syllables of ``text`` with exact offsets into it."""
        from underthesea.pipeline.text_normalize import token_normalize
        from underthesea.pipeline.word_tokenize.regex_tokenize import patterns

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

    def _segment(self, syllables: list[Syllable]) -> list[tuple[int, int]]:
        if not syllables:
            return []
        tags = self._crf_model().predict([[s.normalized] for s in syllables])
        words: list[list[Syllable]] = []
        for tag, syllable in zip(tags, syllables):
            joins = tag == "I-W" and words and not syllable.splits_words and not words[-1][-1].splits_words
            if joins:
                words[-1].append(syllable)
            else:
                words.append([syllable])
        return [(word[0].start, word[-1].end) for word in words]

    def _crf_model(self):
        if self._crf is None:
            from underthesea.pipeline import word_tokenize as word_tokenize_module

            if word_tokenize_module.word_tokenize_model is None:
                word_tokenize_module.word_tokenize("khởi động")  # loads underthesea's shipped CRF once
            self._crf = word_tokenize_module.word_tokenize_model
        return self._crf

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
        # underthesea's regex can glue characters across whitespace (e.g. abbreviations);
        # keep whitespace out of syllables so that words map onto the text exactly.
        offset = match.start()
        for part in WHITESPACE.split(piece):
            if not part:
                continue
            local = piece.find(part, offset - match.start())
            part_start = match.start() + local
            yield Syllable(part_start, part_start + len(part), token_normalize(part), False)
            offset = part_start + len(part)


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
