"""underthesea's word-segmentation CRF, decoded here with cached n-gram scores.

underthesea segments words with a linear-chain CRF (CRFsuite model file
``ws_crf_vlsp2013_*/models.bin``) over 43 feature templates of a five-syllable
window (``T[-1]``, ``T[0,1].lower``, ``T[-2,0].is_in_dict``, ...). Its
featurizer builds the 43 feature strings of every syllable as Python strings,
which is most of the time ``word_tokenize`` spends.

:class:`CRFWordSegmenter` reads the same model file and gives the same tags,
but scores a sentence from per-n-gram score vectors that are cached: a report
repeats its syllables, syllable pairs and triples, so nearly every n-gram's
features are looked up once per process. Every template depends on one
n-gram (one, two or three consecutive syllables at a fixed offset), so the
score of position ``i`` is the sum, over the n-grams around it, of the weights
of the features that n-gram produces at that offset.

The feature values follow underthesea_core's featurizer exactly (checked
against it on every paragraph of the corpus, tests/test_word_segmenter.py):

* an n-gram that reaches before the sentence gives ``BOS``, else one that
  reaches past it gives ``EOS``;
* ``lower`` is ``str.lower``; ``is_in_dict`` looks the lower-cased n-gram up
  in underthesea's dictionary; ``isdigit`` holds when the syllable parses as a
  32-bit integer (Rust's ``parse::<i32>``: an optional sign and ASCII digits, "-0" and "+1" too, not
  "2147483648"); ``istitle`` holds when every syllable's first character is
  unchanged by upper-casing.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Sequence
from pathlib import Path

import numpy as np

# a feature template: T[a] or T[a,b], optionally .lower / .isdigit / .istitle / .is_in_dict
TEMPLATE = re.compile(r"^T\[(?P<first>-?\d+)(?:,(?P<last>-?\d+))?\](?:\.(?P<function>\w+))?$")
FUNCTIONS = {None, "lower", "isdigit", "istitle", "is_in_dict"}


class _Edge:
    """A sentinel padding a sentence: not a str, so no syllable (not even "\\x00BOS") equals it."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"<{self.name}>"


BEFORE, AFTER = _Edge("BOS"), _Edge("EOS")
CACHE_LIMIT = 200_000  # n-grams kept per n-gram length before the cache is emptied (bounds its memory)


class CRFModelError(ValueError):
    """The CRFsuite model file cannot be read."""


def read_crfsuite_model(path: str | Path) -> tuple[list[str], dict[str, tuple[float, ...]], np.ndarray]:
    """(labels, attribute -> state weights per label, label x label transition weights) of a CRFsuite model file.

    Reads CRFsuite's binary first-order model format (header "lCRF"/"FOMC", feature chunk "FEAT", string
    databases "CQDB" for labels and attributes); weights are kept as the file's 64-bit floats.
    """
    data = Path(path).read_bytes()
    if len(data) < 48 or data[:4] != b"lCRF" or data[8:12] != b"FOMC":
        raise CRFModelError(f"{path}: not a CRFsuite first-order model (header {data[:12]!r})")
    (_, _, _, _, _, num_labels, num_attributes, off_features, off_labels, off_attributes, _, _) = struct.unpack_from(
        "<4sI4sIIIIIIIII", data, 0
    )
    labels = _read_string_database(data, off_labels, f"{path}: labels")
    attributes = _read_string_database(data, off_attributes, f"{path}: attributes")
    if len(labels) != num_labels or len(attributes) != num_attributes:
        raise CRFModelError(f"{path}: {len(labels)} labels, {len(attributes)} attributes, header says {num_labels}, {num_attributes}")
    chunk, _, count = struct.unpack_from("<4sII", data, off_features)
    if chunk != b"FEAT":
        raise CRFModelError(f"{path}: no feature chunk at offset {off_features}")
    features = np.frombuffer(
        data, dtype=np.dtype([("type", "<u4"), ("source", "<u4"), ("target", "<u4"), ("weight", "<f8")]),
        count=count, offset=off_features + 12,
    )
    transitions = np.zeros((num_labels, num_labels))
    state = np.zeros((num_attributes, num_labels))
    for kind, table in ((0, state), (1, transitions)):
        rows = features[features["type"] == kind]
        table[rows["source"], rows["target"]] = rows["weight"]
    weights = {
        attribute: tuple(state[index].tolist())
        for index, attribute in enumerate(attributes)
        if attribute is not None and state[index].any()
    }
    return labels, weights, transitions


def _read_string_database(data: bytes, offset: int, where: str) -> list[str | None]:
    """The id -> string table of a CQDB chunk (CRFsuite's constant string database)."""
    chunk, _, _, _, count, backward_offset = struct.unpack_from("<4sIIIII", data, offset)
    if chunk != b"CQDB":
        raise CRFModelError(f"{where}: no string database at offset {offset}")
    strings: list[str | None] = []
    for index in range(count):
        (position,) = struct.unpack_from("<I", data, offset + backward_offset + 4 * index)
        if not position:
            strings.append(None)
            continue
        identifier, size = struct.unpack_from("<II", data, offset + position)
        if identifier != index:
            raise CRFModelError(f"{where}: entry {index} holds id {identifier}")
        strings.append(data[offset + position + 8 : offset + position + 8 + size - 1].decode("utf-8"))
    return strings


class CRFWordSegmenter:
    """Tags syllables B-W / I-W with underthesea's word-segmentation CRF (same model, same tags)."""

    def __init__(self, templates: Sequence[str], dictionary: set[str], model_file: str | Path):
        self.labels, weights, transitions = read_crfsuite_model(model_file)
        if len(self.labels) != 2:
            raise CRFModelError(f"{model_file}: {len(self.labels)} labels; a word segmenter has two (B-W, I-W)")
        self._transitions = transitions.tolist()
        self._dictionary = dictionary
        parsed = []  # (n-gram length, offset of its first syllable, template, function)
        for template in templates:
            match = TEMPLATE.match(template)
            if not match or match.group("function") not in FUNCTIONS:
                raise CRFModelError(f"unsupported feature template {template!r}")
            first = int(match.group("first"))
            last = int(match.group("last")) if match.group("last") is not None else first
            parsed.append((last - first + 1, first, template, match.group("function")))
        self._pad = max(max(-first, first + length - 1) for length, first, _, _ in parsed)
        # per n-gram length: the offsets its templates sit at, and the functions they apply
        self._offsets = {length: sorted({f for n, f, _, _ in parsed if n == length}) for length, _, _, _ in parsed}
        self._functions = {length: sorted({g for n, _, _, g in parsed if n == length}, key=str) for length in self._offsets}
        # per (length, function): feature value -> row id, and the table of weights, row x offset x label.
        # Templates of one length and function differ only by offset, so one value lookup serves them all;
        # row 0 is the value without features.
        self._value_ids: dict[tuple[int, str | None], dict[str, int]] = {}
        rows: dict[tuple[int, str | None], list[np.ndarray]] = {}
        for length, functions in self._functions.items():
            for function in functions:
                self._value_ids[length, function] = {}
                rows[length, function] = [np.zeros((len(self._offsets[length]), 2))]
        place = {template: (length, first, function) for length, first, template, function in parsed}
        for attribute, attribute_weights in weights.items():
            template, _, value = attribute.partition("=")
            if template not in place:
                continue  # a feature of a template the model no longer lists
            length, first, function = place[template]
            ids = self._value_ids[length, function]
            if value not in ids:
                ids[value] = len(rows[length, function])
                rows[length, function].append(np.zeros((len(self._offsets[length]), 2)))
            rows[length, function][ids[value]][self._offsets[length].index(first)] += attribute_weights
        self._tables = {key: np.stack(table) for key, table in rows.items()}
        # n-gram -> its row id per function, cached per n-gram length
        self._caches: dict[int, dict[tuple[str, ...], tuple[int, ...]]] = {length: {} for length in self._offsets}

    @classmethod
    def underthesea(cls) -> "CRFWordSegmenter":
        """The segmenter of the installed underthesea (its shipped ``ws_crf_vlsp2013`` model)."""
        import joblib
        from underthesea.pipeline import word_tokenize as word_tokenize_module

        model_dirs = sorted((Path(word_tokenize_module.__file__).parent / "models").glob("ws_crf_*"))
        if not model_dirs:
            raise CRFModelError("underthesea's word-segmentation model (ws_crf_*) is not installed")
        model_dir = model_dirs[-1]
        # underthesea's own files, loaded as underthesea loads them
        templates = joblib.load(model_dir / "features.bin")
        dictionary = joblib.load(model_dir / "dictionary.bin")
        return cls(templates, dictionary, model_dir / "models.bin")

    def tag(self, syllables: Sequence[str]) -> list[str]:
        """The B-W / I-W tag of each syllable (underthesea's normalised syllables)."""
        count = len(syllables)
        if not count:
            return []
        pad = self._pad
        padded = [BEFORE] * pad + list(syllables) + [AFTER] * pad
        scores = np.zeros((count, 2))
        for length, offsets in self._offsets.items():
            cache = self._caches[length]
            if len(cache) > CACHE_LIMIT:
                cache.clear()
            ids = []
            for key in zip(*(padded[shift:] for shift in range(length)), strict=False):  # n-grams, shorter tails dropped
                row = cache.get(key)
                if row is None:
                    row = cache[key] = self._ngram_ids(key)
                ids.append(row)
            id_array = np.array(ids, dtype=np.intp)
            # row k: the n-gram that starts at syllable k - pad, its weights per (offset, label)
            ngram_scores = sum(
                self._tables[length, function][id_array[:, column]] for column, function in enumerate(self._functions[length])
            )
            for column, offset in enumerate(offsets):
                # position i takes the n-gram that starts at i + offset, i.e. row i + offset + pad
                scores += ngram_scores[offset + pad : offset + pad + count, column]
        return [self.labels[index] for index in _viterbi(scores.tolist(), self._transitions)]

    def _ngram_ids(self, ngram: tuple[str, ...]) -> tuple[int, ...]:
        """The row id of each function's value for ``ngram`` (0 where the model has no feature for it)."""
        length = len(ngram)
        functions = self._functions[length]
        if any(s is BEFORE or s is AFTER for s in ngram):
            edge = "BOS" if any(s is BEFORE for s in ngram) else "EOS"
            return tuple(self._value_ids[length, function].get(edge, 0) for function in functions)
        text = " ".join(ngram)
        lowered = text.lower()
        ids = []
        for function in functions:
            if function is None:
                value = text
            elif function == "lower":
                value = lowered
            elif function == "is_in_dict":
                value = "True" if lowered in self._dictionary else "False"
            elif function == "istitle":
                value = "True" if all(s[:1] == s[:1].upper() for s in ngram) else "False"
            else:  # isdigit
                value = "True" if _parses_as_i32(text) else "False"
            ids.append(self._value_ids[length, function].get(value, 0))
        return tuple(ids)


I32_TEXT = re.compile(r"[+-]?[0-9]+")
I32_MIN, I32_MAX = -(2**31), 2**31 - 1


def _parses_as_i32(text: str) -> bool:
    """underthesea_core's ``isdigit``: Rust's ``text.parse::<i32>().is_ok()`` (an optional sign, ASCII digits, a
    value within i32: "-0" and "+1" are, "2147483648" and "1.5" are not)."""
    return I32_TEXT.fullmatch(text) is not None and I32_MIN <= int(text) <= I32_MAX


def _viterbi(scores: list[list[float]], transitions: list[list[float]]) -> list[int]:
    """The best two-label sequence for per-position ``scores`` (positions x 2) and 2 x 2 ``transitions``."""
    (t00, t01), (t10, t11) = transitions
    best0, best1 = scores[0]
    back: list[tuple[int, int]] = []
    for score0, score1 in scores[1:]:
        # best previous label for label 0, then for label 1 (the first on a tie)
        from0, from1 = best0 + t00, best1 + t10
        pointer0, new0 = (1, from1) if from1 > from0 else (0, from0)
        from0, from1 = best0 + t01, best1 + t11
        pointer1, new1 = (1, from1) if from1 > from0 else (0, from0)
        best0, best1 = new0 + score0, new1 + score1
        back.append((pointer0, pointer1))
    path = [1 if best1 > best0 else 0]
    for pointers in reversed(back):
        path.append(pointers[path[-1]])
    return path[::-1]
