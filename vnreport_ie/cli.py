"""The ``vnreport-ie`` command line: thin wrappers over the library API."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import NoReturn, Optional

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Extract figures, indicators and targets from Vietnamese socio-economic reports.",
)


@app.callback()
def _commands() -> None:
    """Extract figures, indicators and targets from Vietnamese socio-economic reports."""


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one clear error line and exit non-zero."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


class ExtractFormat(str, Enum):
    doccano = "doccano"
    csv = "csv"
    jsonl = "jsonl"


class ConvertFormat(str, Enum):
    doccano = "doccano"
    label_studio = "label-studio"
    brat = "brat"


def _load_model(model: Optional[Path]):
    from vnreport_ie.pipeline.runner import load

    try:
        return load(model)
    except (FileNotFoundError, OSError, ValueError) as error:
        fail(str(error))


def _annotations_or_fail(path: Path):
    from vnreport_ie.io.annotations import validate_path

    if not path.exists():
        fail(f"{path}: no such file or folder")
    examples, problems = validate_path(path)
    if problems:
        for problem in problems:
            typer.echo(str(problem), err=True)
        fail(f"{len(problems)} problem(s) in {path}: fix them first (nothing is trained or scored on partial data)")
    return examples


@app.command()
def validate(paths: list[Path] = typer.Argument(..., help="Annotation .jsonl files or folders.")) -> None:
    """Check annotations against the annotation guide; lists every problem as file:line: message."""
    from vnreport_ie.io.annotations import validate_path

    total_examples = total_problems = 0
    for path in paths:
        if not path.exists():
            fail(f"{path}: no such file or folder")
        examples, problems = validate_path(path)
        for problem in problems:
            typer.echo(str(problem))
        total_examples += len(examples)
        total_problems += len(problems)
    typer.echo(f"{total_examples} examples, {total_problems} problems")
    if total_problems:
        raise typer.Exit(1)


@app.command()
def convert(
    source: Path = typer.Argument(..., help="A doccano JSONL file/folder, a Label Studio JSON export, or a brat .txt."),
    output: Path = typer.Option(..., "-o", "--output", help="Output file (brat: the .txt; the .ann goes beside it)."),
    to: ConvertFormat = typer.Option(ConvertFormat.doccano, "--to", help="Output format."),
    source_format: Optional[ConvertFormat] = typer.Option(
        None, "--from", help="Input format (default: from the file name: .json Label Studio, .txt/.ann brat, else doccano)."
    ),
) -> None:
    """Convert annotations between doccano JSONL, Label Studio JSON and brat standoff (validated)."""
    from vnreport_ie.io import formats
    from vnreport_ie.io.annotations import validate_path, write_jsonl

    if not source.exists():
        fail(f"{source}: no such file or folder")
    kind = source_format or (
        ConvertFormat.label_studio
        if source.suffix == ".json"
        else ConvertFormat.brat
        if source.suffix in (".txt", ".ann")
        else ConvertFormat.doccano
    )
    if kind is ConvertFormat.label_studio:
        examples, problems = formats.read_label_studio(source)
    elif kind is ConvertFormat.brat:
        txt = source.with_suffix(".txt")
        examples, problems = formats.read_brat(txt, txt.with_suffix(".ann"))
    else:
        examples, problems = validate_path(source)
    for problem in problems:
        typer.echo(str(problem), err=True)
    if problems:
        fail(f"{len(problems)} problem(s) in {source}: nothing written (fix them, then convert again)")
    try:
        if to is ConvertFormat.doccano:
            count = write_jsonl(examples, output)
        elif to is ConvertFormat.label_studio:
            count = formats.write_label_studio(examples, output)
        else:
            formats.write_brat(examples, output.with_suffix(".txt"), output.with_suffix(".ann"))
            count = len(examples)
    except ValueError as error:
        fail(str(error))
    typer.echo(f"wrote {count} examples to {output}")


@app.command()
def extract(
    files: list[Path] = typer.Argument(..., help=".txt (a paragraph a line), .jsonl, .docx or .pdf files, or folders of them."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Output file (default: standard output)."),
    fmt: ExtractFormat = typer.Option(ExtractFormat.csv, "--format", "-f", help="doccano, csv (figure table) or jsonl (records)."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="Model folder (default: the shipped model)."),
    processes: int = typer.Option(1, "--processes", "-p", min=1, help="Worker processes."),
    scheduler: Optional[str] = typer.Option(
        None, "--scheduler", help="Run the files on this Dask cluster (tcp://HOST:PORT of `dask scheduler`)."
    ),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted run into the same output file."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar on standard error."),
) -> None:
    """Extract figure records (or the guide's JSONL) from reports, streaming and resumable."""
    from vnreport_ie.pipeline.runner import default_model_path
    from vnreport_ie.io.batch import ModelLoadError, extract_files
    from vnreport_ie.io.reports import input_files, tool_output_reason

    found, problems = input_files(files)
    for problem in problems:
        typer.echo(f"error: {problem}", err=True)
    outputs = {path: reason for path in found if (reason := tool_output_reason(path))}
    for path, reason in outputs.items():
        typer.echo(f"warning: {path}: {reason}: not read as an input", err=True)
    found = [path for path in found if path not in outputs]
    if output is not None:
        # never read the output (or its progress log) as an input: it is truncated or appended to
        written = {output.resolve(), output.with_name(output.name + ".progress").resolve()}
        for path in [p for p in found if p.resolve() in written]:
            typer.echo(f"warning: {path} is the output file: not read as an input", err=True)
        found = [p for p in found if p.resolve() not in written]
    if not found:
        fail("nothing to extract from")
    if model is not None and not (model / "config.cfg").exists():
        fail(f"{model}: not a model folder (no config.cfg)")
    if model is None:
        try:
            default_model_path()
        except FileNotFoundError as error:
            fail(str(error))
    if resume and output is None:
        fail("--resume needs --output")
    if scheduler and processes > 1:
        fail("give --scheduler (a Dask cluster) or --processes (local workers), not both")
    model_name = str(model) if model else None
    from vnreport_ie.io.cluster import ClusterError, extract_files_on_cluster

    def run(target: Path, resume_run: bool):
        if scheduler:
            return extract_files_on_cluster(found, target, fmt.value, model_name, scheduler, resume_run, progress)
        return extract_files(found, target, fmt.value, model_name, processes, resume_run, progress)

    try:
        if output is None:
            import shutil
            import tempfile

            with tempfile.TemporaryDirectory() as folder:
                target = Path(folder) / f"out.{fmt.value}"
                summary = run(target, False)
                if target.exists():
                    with target.open(encoding="utf-8", newline="") as result:
                        shutil.copyfileobj(result, sys.stdout)
        else:
            summary = run(output, resume)
    except (ValueError, ModelLoadError, ClusterError) as error:
        fail(str(error))
    except OSError as error:
        fail(f"cannot write {error.filename or output}: {error.strerror or error}")
    except KeyboardInterrupt:
        hint = f"; finished files are kept: run again with --resume -o {output} to go on" if output else ""
        fail(f"interrupted{hint}", 130)
    for problem in summary.problems:
        typer.echo(f"error: {problem}", err=True)
    for path in summary.empty_files:
        typer.echo(f"warning: {path}: no paragraph to extract from (the file is empty or blank)", err=True)
    typer.echo(
        f"{summary.files_done} file(s), {summary.paragraphs} paragraph(s), {summary.records} figure(s)"
        + (f", {summary.files_skipped_done} already done" if summary.files_skipped_done else "")
        + (f", {len(summary.problems) + len(problems)} problem(s)" if summary.problems or problems else ""),
        err=True,
    )
    if summary.problems or problems:
        raise typer.Exit(1)


@app.command()
def train(
    annotations: Path = typer.Argument(..., help="Folder (or file) of annotations in the guide's JSONL."),
    output: Path = typer.Option(..., "-o", "--output", help="Where to save the trained pipeline."),
    seed: int = typer.Option(0, help="Random seed (same seed and data give the same model)."),
    max_steps: Optional[int] = typer.Option(None, help="Training steps of the NER (default: the config's)."),
    exclude: list[str] = typer.Option([], "--exclude", help="Report id to leave out (repeatable)."),
) -> None:
    """Train the NER and the relation model on annotations and save the pipeline."""
    from vnreport_ie.training.train import train as train_pipeline

    _annotations_or_fail(annotations)
    try:
        _, report = train_pipeline(annotations, output, exclude_docs=exclude, seed=seed, max_steps=max_steps)
    except ValueError as error:
        fail(str(error))
    except OSError as error:  # the output folder cannot be made or written
        fail(f"{output}: cannot write the model there ({error.strerror or error})")
    for problem in report.misaligned:
        typer.echo(f"warning: {problem}", err=True)
    typer.echo(
        f"trained on {report.examples} examples from {len(report.reports)} report(s); relation positives "
        f"{report.relation_positives}; {len(report.misaligned)} span(s) off token boundaries (listed above, "
        f"their tokens left unknown); saved to {output}"
    )


@app.command()
def evaluate(
    annotations: Path = typer.Argument(..., help="Annotated examples to score on."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="Model folder (default: the shipped model)."),
    cross_validate: bool = typer.Option(
        False, "--leave-one-report-out", help="The same as --split report."
    ),
    split: Optional[str] = typer.Option(
        None,
        "--split",
        help="Held-out scores, a model trained per fold (slow): 'report' (each of the five reports held out), "
        "'source' (the other sources in 5 folds, a page never on both sides) or 'genre' (train on reports, test "
        "on statistics bulletins, portal news and newspapers).",
    ),
    fold: list[str] = typer.Option([], "--fold", help="With --split: run only this fold (repeatable)."),
    max_steps: Optional[int] = typer.Option(None, help="With --split: NER training steps."),
    seed: int = typer.Option(0, "--seed", help="With --split: the random seed of each fold's training."),
    ner_cache: Optional[Path] = typer.Option(
        None, "--ner-cache", help="With --split: keep each fold's model here and reuse its NER when trained on the "
        "same documents (only the components after the NER are refitted; a kept model does not record its seed: "
        "give each seed its own folder)."
    ),
    json_path: Optional[Path] = typer.Option(None, "--json", help="Also write every score to this JSON file."),
    errors: bool = typer.Option(False, "--errors", help="List each mistake of the model with its paragraph."),
    baselines: bool = typer.Option(True, "--baselines/--no-baselines", help="Score the baselines beside the model."),
) -> None:
    """Precision, recall and F1 per label and relation, and figure-record accuracy, beside baselines."""
    from vnreport_ie.training import evaluation

    examples = _annotations_or_fail(annotations)
    systems = (evaluation.PATTERNS, evaluation.UNDERTHESEA) if baselines else ()
    split = split or ("report" if cross_validate else None)
    cross_validate = split is not None
    if cross_validate:
        try:
            result = evaluation.cross_validate(
                annotations, split, seed=seed, max_steps=max_steps, baselines=systems, folds=fold, ner_cache=ner_cache
            )
        except ValueError as error:
            fail(str(error))
        scores, folds = result.pooled, result.folds
    else:
        nlp = _load_model(model)
        scores, folds = evaluation.evaluate(nlp, examples, systems), {}
        typer.echo(evaluation.in_sample_note(nlp, examples))
    typer.echo(evaluation.format_table(scores))
    if errors:
        for mistake in scores[evaluation.MODEL].mistakes:
            typer.echo(f"{mistake.example_id}\t{mistake.kind}\t{mistake.detail}")
    if json_path is not None:
        data = {
            "examples": len(examples),
            "pooled" if cross_validate else "scores": {s: v.to_dict() for s, v in scores.items()},
            "folds": {doc: {s: v.to_dict() for s, v in fold.items()} for doc, fold in folds.items()},
        }
        if cross_validate:
            data["split"], data["seed"] = split, seed
            data["test_docs"], data["train_docs"] = result.test_docs, result.train_docs
        json_path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


class PreannotateFormat(str, Enum):
    doccano = "doccano"
    label_studio = "label-studio"


@app.command()
def preannotate(
    report: Path = typer.Argument(..., help="A report: .txt (a paragraph a line), .jsonl with \"text\", .docx or .pdf."),
    output: Path = typer.Option(..., "-o", "--output", help="Output file to import into the annotation tool."),
    fmt: PreannotateFormat = typer.Option(PreannotateFormat.doccano, "--format", "-f", help="doccano or label-studio."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="Model folder (default: the shipped model)."),
) -> None:
    """Write the model's predictions in the annotation tool's import format, one paragraph an example."""
    from vnreport_ie.io import formats
    from vnreport_ie.pipeline.project import project_footnote_marks
    from vnreport_ie.io.annotations import write_jsonl
    from vnreport_ie.io.reports import InputError, read_paragraphs
    from vnreport_ie.io.preannotate import preannotate as predict_examples

    if not report.is_file():
        fail(f"{report}: no such file")
    nlp = _load_model(model)
    line_problems: list[str] = []
    try:
        paragraphs = list(read_paragraphs(report, line_problems))
        footnotes = project_footnote_marks("\n".join(p.text for p in paragraphs))
        examples = list(predict_examples(paragraphs, nlp, project_footnotes=footnotes))
    except InputError as error:
        fail(str(error))
    for problem in line_problems:
        typer.echo(f"error: {problem}", err=True)
    if fmt is PreannotateFormat.doccano:
        count = write_jsonl(examples, output)
    else:
        version = f"{nlp.meta.get('name', 'vnreport_ie')}-{nlp.meta.get('version', '')}"
        count = formats.write_label_studio(examples, output, as_predictions=True, model_version=version)
    typer.echo(f"wrote {count} pre-annotated paragraphs to {output}; correct them, export, then `vnreport-ie convert` / `train`")
    if line_problems:
        raise typer.Exit(1)


@app.command()
def show(
    report: Path = typer.Argument(..., help="A report: .txt (a paragraph a line), .jsonl with \"text\", .docx or .pdf."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="HTML page (default: REPORT with .html)."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="Model folder (default: the shipped model)."),
    paragraphs: Optional[str] = typer.Option(None, "--paragraphs", help="Only paragraphs N, N-M or N- (1-based)."),
) -> None:
    """Write an HTML page of the report's entities and the relation arcs from each figure; print its path."""
    from vnreport_ie.io.views import parse_paragraph_range, report_docs, save_html

    if not report.is_file():
        fail(f"{report}: no such file")
    try:
        if paragraphs:
            parse_paragraph_range(paragraphs)
        nlp = _load_model(model)
        line_problems: list[str] = []
        docs, ids = report_docs(report, nlp, paragraphs, line_problems)
    except ValueError as error:  # includes InputError
        fail(str(error))
    for problem in line_problems:
        typer.echo(f"error: {problem}", err=True)
    try:
        path = save_html(docs, output or report.with_suffix(".html"), title=report.name, paragraph_ids=ids)
    except OSError as error:
        fail(f"{output or report.with_suffix('.html')}: cannot write ({error.strerror or error})")
    typer.echo(str(path))
    if line_problems:
        raise typer.Exit(1)


@app.command()
def audit(
    report: Path = typer.Argument(..., help="A report: .txt (a paragraph a line) or .jsonl with \"text\"."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="Model folder (default: the shipped model)."),
) -> None:
    """Check the report's own arithmetic (X/Y and its ratio, parts and total, month and cumulative); print each finding with its sentences."""
    from vnreport_ie.io.report_records import report_records
    from vnreport_ie.io.reports import InputError
    from vnreport_ie.records.audit import audit_counted

    if not report.is_file():
        fail(f"{report}: no such file")
    nlp = _load_model(model)
    try:
        found = report_records(report, nlp)
    except InputError as error:
        fail(str(error))
    for problem in found.problems:
        typer.echo(f"error: {problem}", err=True)
    findings, checked = audit_counted(found.records)
    for finding in findings:
        typer.echo(f"{finding.check}: {finding.message}")
        for record in dict.fromkeys((r.paragraph_id, r.sentence) for r in finding.records if r.sentence):
            typer.echo(f"    {record[0]}: {record[1]}")
    made = ", ".join(f"{checked[kind]} {kind}" for kind in ("ratio", "parts", "cumulative"))
    typer.echo(
        f"{len(findings)} finding(s) among {len(found.records)} figure(s) of {report} (checks: {made}; "
        f"{checked['unreadable']} figures read)",
        err=True,
    )
    if found.problems:
        raise typer.Exit(1)


@app.command()
def panel(
    files: list[Path] = typer.Argument(..., help="Reports: .txt (a paragraph a line), .jsonl, .docx or .pdf files, or folders of them."),
    output: Path = typer.Option(..., "-o", "--output", help="The panel: a .csv or .parquet file."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="Model folder (default: the shipped model)."),
) -> None:
    """One row per report x indicator x period x kind x commune, with value, unit, estimate and provenance."""
    from vnreport_ie.io.report_records import report_records
    from vnreport_ie.io.reports import InputError, input_files
    from vnreport_ie.records.panel import panel_rows, write_panel

    if output.suffix.lower() not in (".csv", ".parquet"):
        fail(f"{output}: the panel is written as .csv or .parquet")
    found, problems = input_files(files)
    for problem in problems:
        typer.echo(f"error: {problem}", err=True)
    if not found:
        fail("no report to read")
    nlp = _load_model(model)
    rows, figures, left_out = [], 0, 0
    for path in found:
        try:
            result = report_records(path, nlp)
        except InputError as error:
            problems.append(str(error))
            typer.echo(f"error: {error}", err=True)
            continue
        for problem in result.problems:
            problems.append(problem)
            typer.echo(f"error: {problem}", err=True)
        built = panel_rows(result.records, result.report)
        rows.extend(built.rows)
        figures += len(result.records)
        left_out += built.without_indicator + built.without_value
    try:
        write_panel(rows, output)
    except OSError as error:
        fail(f"{output}: cannot write ({error.strerror or error})")
    typer.echo(
        f"{len(found)} report(s), {figures} figure(s), {len(rows)} panel row(s) in {output}; {left_out} figure(s) "
        "without a canonical indicator or a readable value are not panel rows (`vnreport-ie extract` lists them)",
        err=True,
    )
    if problems:
        raise typer.Exit(1)


@app.command("evaluate-fields")
def evaluate_fields(
    fields: Path = typer.Argument(..., help="Field annotations (.jsonl) or a folder of them."),
    examples: list[Path] = typer.Option(..., "--examples", "-e", help="The annotated paragraphs they refer to (repeatable)."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="Also score the pipeline's records (this model)."),
    with_model: bool = typer.Option(False, "--with-model", help="Also score the shipped model's records."),
    errors: bool = typer.Option(False, "--errors", help="List every wrong field of the rules."),
    json_path: Optional[Path] = typer.Option(None, "--json", help="Also write the scores to this JSON file."),
    coverage_sample: int = typer.Option(0, "--coverage-sample", help="Also list N mapped indicator spans (seed 0) to check by hand."),
) -> None:
    """Accuracy of period, estimate, kind and canonical indicator against field annotations, beside baselines;
    and the share of the examples' INDICATOR spans the indicator list maps."""
    from vnreport_ie.training import field_evaluation as fe

    try:
        annotations = fe.read_field_annotations(fields)
    except ValueError as error:
        fail(str(error))
    paragraphs = []
    for path in examples:
        paragraphs.extend(_annotations_or_fail(path))
    try:
        systems = {"rules (annotated spans)": fe.gold_span_fields(annotations, paragraphs)}
        if model is not None or with_model:
            systems["pipeline (model records)"] = fe.model_fields(_load_model(model), annotations, paragraphs)
        systems["baseline"] = fe.baseline_fields(annotations, paragraphs)
    except ValueError as error:
        fail(str(error))
    scores = {name: fe.score_fields(annotations, predicted) for name, predicted in systems.items()}
    typer.echo(f"{len(annotations)} annotated figures from {fields}")
    typer.echo(fe.format_field_table(scores))
    coverage = fe.indicator_coverage(paragraphs)
    typer.echo(
        f"indicator coverage: {coverage.mapped}/{coverage.spans} INDICATOR spans ({coverage.share:.3f}) map to a "
        f"canonical indicator; {coverage.names_mapped}/{coverage.names} distinct names"
    )
    if coverage_sample:
        import random

        for example_id, name, indicator_id in random.Random(0).sample(
            coverage.mapped_spans, min(coverage_sample, len(coverage.mapped_spans))
        ):
            typer.echo(f"    {example_id}\t{name}\t-> {indicator_id}")
    if errors:
        for gold, name, want, got in fe.field_mistakes(annotations, systems["rules (annotated spans)"]):
            typer.echo(f"{gold.source}\t{gold.id}@{gold.start}-{gold.end}\t{gold.text}\t{name}\tgold={want}\tgot={got}")
    if json_path is not None:
        groups = sorted({a.group for a in annotations})
        data = {
            name: {
                "all": scores[name].to_dict(),
                **{
                    group: fe.score_fields(
                        [a for a in annotations if a.group == group],
                        [p for a, p in zip(annotations, predicted) if a.group == group],
                    ).to_dict()
                    for group in groups
                },
            }
            for name, predicted in systems.items()
        }
        json_path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
