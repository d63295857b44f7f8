"""Shared fixtures: the annotated corpus, a blank pipeline, a small trained pipeline."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ANNOTATIONS = REPO / "annotations" / "lang-son"  # the five Lạng Sơn reports
CORPUS = REPO.parent / "shared" / "corpus"  # beside the clone, as in CI
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_in_ci(reason: str) -> None:
    """Skip the calling test outside CI; in CI (CI=true) what it needs must be there, so fail."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this test must run in CI)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def blank_nlp():
    import vnreport_ie

    return vnreport_ie.blank()


@pytest.fixture(scope="session")
def corpus_examples():
    from vnreport_ie.io.annotations import load_examples

    return load_examples(ANNOTATIONS)


@pytest.fixture(scope="session")
def small_model_dir(tmp_path_factory, corpus_examples) -> Path:
    """A pipeline trained in seconds on a slice of two reports (not a good model: a working one)."""
    from vnreport_ie.io.annotations import write_jsonl
    from vnreport_ie.training.train import train

    folder = tmp_path_factory.mktemp("slice")
    picked = [e for e in corpus_examples if e.doc_id == "caoloc-2023-02"][:40]
    picked += [e for e in corpus_examples if e.doc_id == "binhgia-2024-04"][:30]
    write_jsonl(picked, folder / "slice.jsonl")
    out = tmp_path_factory.mktemp("model") / "model"
    train(folder, out, max_steps=15, stdout=io.StringIO())
    return out


@pytest.fixture(scope="session")
def small_nlp(small_model_dir):
    from vnreport_ie.api import load

    return load(small_model_dir)


@pytest.fixture(scope="session")
def shipped_nlp():
    from vnreport_ie.api import load

    return load()
