"""Training: the NER from the config file with spaCy's own loop, then the relation model.

``train`` is what ``vnreport-ie train`` runs. The config
(``configs/ner.cfg``) names a registered corpus reader,
``vnreport.Annotations.v1``, that reads the guide's JSONL and can leave out
or keep reports by id (used for leave-one-report-out evaluation).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import spacy
from spacy.language import Language
from spacy.training import Example
from spacy.util import load_config

import vnreport_ie.pipeline.indicator  # noqa: F401  (registers vnreport_indicators)
import vnreport_ie.pipeline.patterns  # noqa: F401  (registers vnreport_lexical_hints)
import vnreport_ie.pipeline.project  # noqa: F401  (registers vnreport_projects)
import vnreport_ie.pipeline.relation_linker  # noqa: F401  (registers vnreport_relations)
import vnreport_ie.pipeline.target  # noqa: F401  (registers vnreport_targets)
import vnreport_ie.text.tokenizer  # noqa: F401  (registers the tokenizer)
from vnreport_ie.io.annotations import AnnotatedExample, Problem, load_examples
from vnreport_ie.training.data import to_spacy_examples

CONFIG_PATH = Path(__file__).parent / "configs" / "ner.cfg"
NER_PIPES = ("lexical_hints", "tok2vec", "ner")  # what the config trains with spaCy's loop


def select_examples(
    examples: Sequence[AnnotatedExample], include_docs: Sequence[str] = (), exclude_docs: Sequence[str] = ()
) -> list[AnnotatedExample]:
    """The examples of the reports in ``include_docs`` (all when empty) minus those in ``exclude_docs``."""
    known = {e.doc_id for e in examples}
    unknown = (set(include_docs) | set(exclude_docs)) - known
    if unknown:
        raise ValueError(f"unknown report id(s) {sorted(unknown)}; the annotations hold {sorted(known)}")
    return [
        e
        for e in examples
        if (not include_docs or e.doc_id in include_docs) and e.doc_id not in exclude_docs
    ]


@spacy.registry.readers("vnreport.Annotations.v1")
def create_annotation_reader(
    path: str,
    exclude_docs: list[str] = [],  # noqa: B006
    include_docs: list[str] = [],  # noqa: B006
    labels: list[str] | None = None,
    limit: int = 0,
) -> Callable[[Language], Iterator[Example]]:
    """Corpus reader over the guide's JSONL: validated examples of the selected reports.

    ``labels``: the entity labels the Examples carry; others are left unknown.
    """
    if path is None:
        raise ValueError("the corpus reader needs paths.annotations: the folder or file of annotations")
    examples = select_examples(load_examples(path), include_docs, exclude_docs)
    if limit:
        examples = examples[:limit]

    def read(nlp: Language) -> Iterator[Example]:
        yield from to_spacy_examples(nlp, examples, labels).examples

    return read


@dataclass
class TrainingReport:
    """What a training run did: counts and every span it could not train on as given."""

    examples: int
    reports: list[str]
    relation_positives: dict[str, int]
    misaligned: list[Problem] = field(default_factory=list)


def train(
    annotations: str | Path,
    output_dir: str | Path | None = None,
    *,
    include_docs: Sequence[str] = (),
    exclude_docs: Sequence[str] = (),
    seed: int = 0,
    max_steps: int | None = None,
    config_path: str | Path = CONFIG_PATH,
    ner_from: str | Path | None = None,
    stdout: IO | None = None,
) -> tuple[Language, TrainingReport]:
    """Train NER and relations on the annotations (reports selected by id); save to ``output_dir``.

    ``ner_from``: a saved pipeline whose tokenizer, hints, tok2vec and NER are taken as they are
    (trained on the same documents), so that only the rule-anchored components and the relations
    are fitted: seconds instead of minutes, for trying a change of those components on many folds."""
    examples = select_examples(load_examples(annotations), include_docs, exclude_docs)
    if not examples:
        raise ValueError("no training examples left after selecting reports")
    if output_dir is not None:  # before training: a run must not end in an unwritable folder
        Path(output_dir).mkdir(parents=True, exist_ok=True)
    overrides = {
        "paths.annotations": str(annotations),
        "paths.include_docs": list(include_docs),
        "paths.exclude_docs": list(exclude_docs),
        "system.seed": seed,
    }
    if max_steps is not None:
        overrides["training.max_steps"] = max_steps
    config = load_config(config_path, overrides=overrides, interpolate=False)
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train as train_loop

    if ner_from is not None:
        nlp = spacy.load(ner_from)
        for name in [n for n in nlp.pipe_names if n not in NER_PIPES]:
            nlp.remove_pipe(name)
    else:
        nlp = init_nlp(config)
        nlp, _ = train_loop(nlp, None, stdout=stdout or sys.stdout, stderr=io.StringIO())
    spacy_data = to_spacy_examples(nlp, examples)
    nlp.add_pipe("vnreport_pattern_merge", after="ner")
    projects = nlp.add_pipe("vnreport_projects")
    projects.fit(spacy_data.examples, seed=seed)
    targets = nlp.add_pipe("vnreport_targets")
    targets.fit(spacy_data.examples, seed=seed)
    indicators = nlp.add_pipe("vnreport_indicators")
    indicator_counts = indicators.fit(spacy_data.examples, seed=seed)
    linker = nlp.add_pipe("vnreport_relations")
    positives = linker.fit(spacy_data.examples, seed=seed)
    positives["indicator"] = indicator_counts["with_indicator"]
    report = TrainingReport(
        examples=len(examples),
        reports=sorted({e.doc_id for e in examples}),
        relation_positives=positives,
        misaligned=spacy_data.misaligned,
    )
    nlp.meta["name"] = "vnreport_ie"
    nlp.meta["version"] = "0.1.0"
    nlp.meta["description"] = (
        "NER (MONEY, PERCENT, COMMUNE, PROJECT, INDICATOR, TARGET) and figure relations for Vietnamese reports"
    )
    nlp.meta["vnreport_training"] = {
        "examples": report.examples,
        "reports": report.reports,
        "relation_positives": positives,
        "misaligned_spans": len(report.misaligned),
        "seed": seed,
    }
    if output_dir is not None:
        nlp.to_disk(output_dir)
    return nlp, report
