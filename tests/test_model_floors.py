"""The shipped model is held to score floors on a fixed sample; a model with its NER zeroed falls below them.

The floors live in tests/model_floors.json (measured value and floor side by side), written by
``python scripts/measure-model-floors.py``: re-run it after retraining the shipped model.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import REPO
from vnreport_ie.io.annotations import load_examples
from vnreport_ie.training.evaluation import MODEL, evaluate, headline_scores

FLOORS = json.loads((REPO / "tests" / "model_floors.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def floor_sample():
    examples = load_examples(REPO / FLOORS["sample"])
    assert len(examples) == FLOORS["examples"], "the floor sample changed: re-measure with scripts/measure-model-floors.py"
    return examples


def below_floors(nlp, examples) -> dict[str, tuple[float, float]]:
    """Each score under its floor, as name -> (score, floor)."""
    scores = evaluate(nlp, examples, baselines=())[MODEL]
    assert scores.records_total == FLOORS["gold_figures"]
    measured = headline_scores(scores)
    assert set(measured) == set(FLOORS["scores"]), "scores and floors differ: re-measure"
    return {
        name: (measured[name], entry["floor"])
        for name, entry in FLOORS["scores"].items()
        if measured[name] < entry["floor"]
    }


def test_floors_are_below_the_measured_scores_and_not_trivial():
    for name, entry in FLOORS["scores"].items():
        assert 0.5 <= entry["floor"] <= entry["measured"], name


def test_shipped_model_scores_above_every_floor(shipped_nlp, floor_sample):
    failed = below_floors(shipped_nlp, floor_sample)
    assert not failed, "below the floors of tests/model_floors.json: " + ", ".join(
        f"{name} {score:.4f} < {floor:.2f}" for name, (score, floor) in failed.items()
    )


def test_a_copy_with_the_ner_weights_zeroed_fails_the_floors(shipped_nlp, floor_sample, tmp_path):
    """What a broken model looks like to the rest of the suite: the floors must catch it."""
    from vnreport_ie.api import load

    shipped_nlp.to_disk(tmp_path / "model")
    broken = load(tmp_path / "model")
    for node in broken.get_pipe("ner").model.walk():
        for name in node.param_names:
            if node.has_param(name):
                node.set_param(name, node.ops.xp.zeros_like(node.get_param(name)))
    failed = below_floors(broken, floor_sample)
    assert {"COMMUNE F1", "PROJECT F1", "entities micro F1"} <= set(failed), failed
