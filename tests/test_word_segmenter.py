"""The cached CRF decoder gives exactly underthesea's word-segmentation tags."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vnreport_ie.text.tokenizer import blank, word_segmenter
from vnreport_ie.text.word_segmenter import CRFModelError, CRFWordSegmenter, read_crfsuite_model


@pytest.fixture(scope="module")
def underthesea_tagger():
    from underthesea.pipeline import word_tokenize as word_tokenize_module

    word_tokenize_module.word_tokenize("khởi động")
    return word_tokenize_module.word_tokenize_model


def underthesea_tags(tagger, syllables: list[str]) -> list[str]:
    return list(tagger.predict([[s] for s in syllables])) if syllables else []


def test_same_tags_as_underthesea_on_every_annotated_paragraph(corpus_examples, underthesea_tagger):
    tokenizer = blank().tokenizer
    segmenter = word_segmenter()
    differing = []
    for example in corpus_examples:
        syllables = [s.normalized for s in tokenizer.syllables(example.text)]
        if segmenter.tag(syllables) != underthesea_tags(underthesea_tagger, syllables):
            differing.append(example.id)
    assert differing == []


@pytest.mark.parametrize(
    "syllables",
    [
        ["Tổng"],
        ["Hà", "Nội"],
        ["HÀ", "nội"],
        ["a", "b", "c"],
        ["２", "¹", "3,5", "iv", "Ⅳ", "½"],
        ["2024", "năm", "UBND", "huyện", "Cao", "Lộc"],
        ["ß", "İstanbul", "ǅ", "Σ", "ς"],
        ["Tổng", "\x00BOS"],  # a syllable spelled like the decoder's padding once took its place
        ["\x00EOS", "thu"],
        # underthesea_core's isdigit is Rust's parse::<i32>: a sign counts, a number beyond i32 does not
        ["Tổng", "-0"], ["thu", "+1", "2147483647"], ["thu", "2147483648", "-2147483649", "00"],
    ],
)
def test_same_tags_as_underthesea_at_edges(underthesea_tagger, syllables):
    assert word_segmenter().tag(syllables) == underthesea_tags(underthesea_tagger, syllables)


SYLLABLE = st.sampled_from(
    ["ngân", "sách", "nhà", "nước", "Tổng", "thu", "xã", "Hòa", "Bình", "dự", "án", "2024", "58.829", "%", ",", ".",
     "triệu", "đồng", "KH", "đạt", "so", "với", "cùng", "kỳ", "Ⅳ", "¹", "X"]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(SYLLABLE, st.text(min_size=1, max_size=4).filter(lambda s: not any(c.isspace() for c in s))), max_size=30))
def test_same_tags_as_underthesea_on_random_syllables(underthesea_tagger, syllables):
    assert word_segmenter().tag(syllables) == underthesea_tags(underthesea_tagger, syllables)


def test_cache_is_emptied_beyond_its_limit(monkeypatch):
    import vnreport_ie.text.word_segmenter as module

    segmenter = CRFWordSegmenter.underthesea()
    monkeypatch.setattr(module, "CACHE_LIMIT", 5)
    first = segmenter.tag("Tổng thu ngân sách nhà nước đạt 58.829 triệu đồng".split())
    assert all(len(cache) <= 5 + 12 for cache in segmenter._caches.values())
    segmenter.tag("xã Hòa Bình".split())
    assert all(len(cache) <= 5 + 12 for cache in segmenter._caches.values())
    assert segmenter.tag("Tổng thu ngân sách nhà nước đạt 58.829 triệu đồng".split()) == first


def test_not_a_crfsuite_file_is_refused(tmp_path):
    path = tmp_path / "models.bin"
    path.write_bytes(b"not a model at all, just some bytes" * 3)
    with pytest.raises(CRFModelError, match="not a CRFsuite first-order model"):
        read_crfsuite_model(path)
