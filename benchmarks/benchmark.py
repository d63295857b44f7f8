"""Speed, memory and size of the vnreport-ie pipeline beside underthesea, on the five reports.

Run from the repository root::

    python benchmarks/benchmark.py                       # throughput, per-component time, RSS, model size
    python benchmarks/benchmark.py --train --processes   # also full training time and 1 vs 2 processes
    python benchmarks/benchmark.py --ner-sample 100 --json runs/benchmark.json

Every non-empty paragraph (line) of the reports is one input. Times are wall
clock in this one process after a warm-up call (model loading is timed on
its own); the pipeline and word_tokenize run in alternating passes (--repeats)
and the median is reported, with the first pass (empty caches) beside it; peak RSS is measured in a fresh subprocess per system so that the
numbers do not mix. "words" are underthesea ``word_tokenize`` words. The
targets are printed beside the measures; this is not a test and never fails
on a missed target.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
DEFAULT_ANNOTATIONS = REPO / "annotations" / "lang-son"
SYSTEMS = ("pipeline", "word_tokenize", "ner")

# target name -> (measure key, comparison, bound, how it is printed)
TARGETS = {
    "throughput vs underthesea ner": ("ner_throughput_ratio", ">=", 10.0, "{:.1f}x"),
    "time vs underthesea word_tokenize": ("word_tokenize_time_ratio", "<=", 1.5, "{:.2f}x"),
    "  the same, first pass only": ("word_tokenize_time_ratio_first_pass", "<=", 1.5, "{:.2f}x"),
    "peak RSS of the pipeline (MB)": ("pipeline_peak_rss_mb", "<=", 600.0, "{:.0f}"),
    "model size on disk (MB)": ("model_size_mb", "<=", 30.0, "{:.1f}"),
    "full training (min)": ("training_minutes", "<=", 10.0, "{:.1f}"),
}


def read_paragraphs(corpus: Path) -> list[str]:
    """Every non-empty line of the reports (*.txt) in ``corpus``, in file order."""
    files = sorted(corpus.glob("*.txt"))
    if not files:
        raise SystemExit(f"error: no .txt reports in {corpus} (pass --corpus)")
    paragraphs = []
    for file in files:
        paragraphs.extend(line for line in file.read_text(encoding="utf-8").split("\n") if line.strip())
    return paragraphs


def resolve_model(model: str | None) -> Path:
    """The model folder to benchmark: ``model``, else the shipped one."""
    if model:
        path = Path(model)
    else:  # without importing the package (and spaCy): the RSS subprocesses start as copies of this process
        path = next((p for p in (REPO / "vnreport_ie" / "model", REPO / "models" / "vnreport-ie") if p.exists()), None)
        if path is None:
            raise SystemExit("error: no shipped model yet (models/vnreport-ie); pass --model")
    if not (path / "config.cfg").exists():
        raise SystemExit(f"error: {path}: not a model folder (no config.cfg)")
    return path


def folder_size_mb(path: Path) -> float:
    """Bytes of every file below ``path``, in MB (10^6)."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def timed(function: Callable[[], object]) -> tuple[float, object]:
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def sample(paragraphs: list[str], size: int | None) -> list[str]:
    """``size`` paragraphs spread evenly over the list (all when None or larger)."""
    if size is None or size >= len(paragraphs):
        return paragraphs
    step = len(paragraphs) / size
    return [paragraphs[int(i * step)] for i in range(size)]


def throughput(seconds: float, chars: int, words: int) -> dict:
    return {
        "seconds": seconds,
        "chars_per_s": chars / seconds if seconds else float("inf"),
        "words_per_s": words / seconds if seconds else float("inf"),
    }


def run_system(system: str, paragraphs: list[str], model: Path) -> Callable[[], object]:
    """Load ``system`` (warmed up) and return the call that processes ``paragraphs`` with it."""
    if system == "pipeline":
        from vnreport_ie.api import load

        nlp = load(model)
        nlp("Tổng thu ngân sách đạt 12.345 triệu đồng, bằng 105% dự toán.")
        return lambda: list(nlp.pipe(paragraphs))
    if system == "word_tokenize":
        from underthesea import word_tokenize

        word_tokenize("khởi động")
        return lambda: [word_tokenize(p) for p in paragraphs]
    if system == "ner":
        from underthesea import ner

        ner("khởi động")
        return lambda: [ner(p) for p in paragraphs]
    raise ValueError(f"unknown system {system!r}")


def rss_child(system: str, corpus: Path, model: Path, ner_sample: int | None) -> None:
    """(Subprocess) process the paragraphs with one system and print its memory figures as JSON."""
    paragraphs = read_paragraphs(corpus)
    if system == "ner":
        paragraphs = sample(paragraphs, ner_sample)
    run = run_system(system, paragraphs, model)
    loaded_kb = proc_status_kb("VmRSS")
    run()
    # ru_maxrss (KB on Linux) keeps the parent's peak across fork + exec; VmHWM is this process's own peak
    maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_kb = proc_status_kb("VmHWM") or maxrss_kb
    print(
        json.dumps(
            {
                "after_load_mb": loaded_kb / 1024,
                "peak_rss_mb": peak_kb / 1024,
                "ru_maxrss_mb": maxrss_kb / 1024,
                "paragraphs": len(paragraphs),
            }
        )
    )


def proc_status_kb(field: str) -> int:
    """A memory field of /proc/self/status (VmRSS, VmHWM), in KB; 0 where unknown (not Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure_rss(system: str, corpus: Path, model: Path, ner_sample: int | None) -> dict:
    """Peak RSS of one system, measured in a fresh Python process."""
    command = [sys.executable, __file__, "--rss-child", system, "--corpus", str(corpus), "--model", str(model)]
    if ner_sample is not None:
        command += ["--ner-sample", str(ner_sample)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def component_times(nlp, paragraphs: list[str]) -> dict[str, float]:
    """Seconds of the tokenizer and of each pipe over all paragraphs (each stage fed the previous one's docs)."""
    times: dict[str, float] = {}
    seconds, docs = timed(lambda: [nlp.make_doc(p) for p in paragraphs])
    times["tokenizer"] = seconds
    for name, proc in nlp.pipeline:
        pipe = getattr(proc, "pipe", None)
        if pipe is not None:
            seconds, docs = timed(lambda pipe=pipe, docs=docs: list(pipe(docs, batch_size=nlp.batch_size)))
        else:
            seconds, docs = timed(lambda proc=proc, docs=docs: [proc(doc) for doc in docs])
        times[name] = seconds
    return times


def training_minutes(annotations: Path) -> float:
    """Minutes of one full training run (``vnreport_ie.training.train.train``) into a temporary folder."""
    from vnreport_ie.training.train import train

    with tempfile.TemporaryDirectory() as folder:
        seconds, _ = timed(lambda: train(str(annotations), Path(folder) / "model", stdout=io.StringIO()))
    return seconds / 60


def batch_times(corpus: Path, model: Path, copies: int, process_counts: Iterable[int]) -> dict:
    """Seconds of ``extract_files`` (model loading included) over the reports copied ``copies`` times."""
    from vnreport_ie.io.batch import extract_files

    result: dict = {"copies": copies}
    with tempfile.TemporaryDirectory() as folder:
        inputs = Path(folder) / "in"
        inputs.mkdir()
        for copy in range(copies):
            for report in sorted(corpus.glob("*.txt")):
                shutil.copy(report, inputs / f"{copy:02d}_{report.name}")
        files = sorted(inputs.glob("*.txt"))
        result["files"] = len(files)
        for processes in process_counts:
            output = Path(folder) / f"out-{processes}.jsonl"
            seconds, summary = timed(
                lambda processes=processes, output=output: extract_files(
                    files, output, "jsonl", str(model), processes=processes, progress=False
                )
            )
            result[f"seconds_{processes}"] = seconds
            result["paragraphs"] = summary.paragraphs
            result["records"] = summary.records
    if "seconds_1" in result and "seconds_2" in result:
        result["speedup_2"] = result["seconds_1"] / result["seconds_2"]
    return result


def benchmark(args: argparse.Namespace) -> dict:
    """Run every measure asked for; returns them as one dict."""
    corpus = Path(args.corpus)
    model = resolve_model(args.model)
    paragraphs = read_paragraphs(corpus)
    chars = sum(len(p) for p in paragraphs)
    results: dict = {
        "corpus": str(corpus),
        "model": str(model),
        "paragraphs": len(paragraphs),
        "chars": chars,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "load_avg_at_start": os.getloadavg()},
    }
    log = (lambda *a: print(*a, file=sys.stderr, flush=True)) if not args.quiet else (lambda *a: None)

    if not args.no_rss:  # first, while this process is small (a child starts as a copy of it)
        results["rss"] = {}
        for system in SYSTEMS:
            log(f"peak RSS of {system} (subprocess) ...")
            results["rss"][system] = measure_rss(system, corpus, model, args.ner_sample)
        results["pipeline_peak_rss_mb"] = results["rss"]["pipeline"].get("peak_rss_mb")

    from underthesea import word_tokenize

    from vnreport_ie.api import load

    log(f"word_tokenize and the pipeline on {len(paragraphs)} paragraphs, {args.repeats} alternating passes ...")
    tokenize = run_system("word_tokenize", paragraphs, model)
    results["model_load_seconds"], nlp = timed(lambda: load(model))
    nlp("Tổng thu ngân sách đạt 12.345 triệu đồng, bằng 105% dự toán.")
    passes: dict[str, list[float]] = {"word_tokenize": [], "pipeline": []}
    for _ in range(args.repeats):  # alternating, so that a slow spell of the machine hits both
        seconds, tokenized = timed(tokenize)
        passes["word_tokenize"].append(seconds)
        seconds, docs = timed(lambda: list(nlp.pipe(paragraphs)))
        passes["pipeline"].append(seconds)
    words = sum(len(t) for t in tokenized)
    results["words"] = words
    for system, times in passes.items():
        results[system] = throughput(statistics.median(times), chars, words) | {"passes": times}
    results["pipeline"]["entities"] = sum(len(doc.ents) for doc in docs)
    # the first pass starts with empty caches (word-segmenter n-grams, vocabulary): its own ratio
    results["word_tokenize_time_ratio_first_pass"] = passes["pipeline"][0] / passes["word_tokenize"][0]
    del docs
    log("pipeline, component by component ...")
    results["components"] = component_times(nlp, paragraphs)

    ner_paragraphs = sample(paragraphs, args.ner_sample)
    ner_chars = sum(len(p) for p in ner_paragraphs)
    ner_words = sum(len(word_tokenize(p)) for p in ner_paragraphs)
    log(f"underthesea ner on {len(ner_paragraphs)} paragraphs ...")
    seconds, _ = timed(run_system("ner", ner_paragraphs, model))
    results["ner"] = throughput(seconds, ner_chars, ner_words) | {"paragraphs": len(ner_paragraphs)}

    results["ner_throughput_ratio"] = results["pipeline"]["chars_per_s"] / results["ner"]["chars_per_s"]
    results["word_tokenize_time_ratio"] = results["pipeline"]["seconds"] / results["word_tokenize"]["seconds"]
    results["model_size_mb"] = folder_size_mb(model)

    if args.processes:
        log(f"extract_files over the reports x{args.copies}, 1 and 2 processes ...")
        results["batch"] = batch_times(corpus, model, args.copies, (1, 2))
    if args.train:
        log(f"full training on {args.annotations} ...")
        results["training_minutes"] = training_minutes(Path(args.annotations))
    return results


def format_report(results: dict) -> str:
    """The results as a plain-text table, with the targets beside the measures."""
    lines = [
        f"corpus {results['corpus']}: {results['paragraphs']} paragraphs, {results['chars']:,} characters, "
        f"{results['words']:,} words (underthesea)",
        f"model  {results['model']} ({results['model_size_mb']:.1f} MB, loaded in {results['model_load_seconds']:.1f} s)",
        f"machine: {results['machine']['cpus']} CPU(s), load average at start "
        + " ".join(f"{x:.1f}" for x in results["machine"]["load_avg_at_start"]),
        "",
        f"{'system':<28}{'paragraphs':>11}{'seconds':>10}{'chars/s':>12}{'words/s':>10}",
    ]
    for system in ("pipeline", "word_tokenize", "ner"):
        row = results[system]
        count = row.get("paragraphs", results["paragraphs"])
        name = {"pipeline": "vnreport-ie pipeline", "word_tokenize": "underthesea word_tokenize"}.get(
            system, "underthesea ner"
        )
        lines.append(
            f"{name:<28}{count:>11}{row['seconds']:>10.2f}{row['chars_per_s']:>12,.0f}{row['words_per_s']:>10,.0f}"
        )
    if "passes" in results["pipeline"]:
        lines += [
            "",
            "seconds are the median of alternating passes: "
            + "; ".join(f"{s} " + " / ".join(f"{t:.2f}" for t in results[s]["passes"]) for s in ("pipeline", "word_tokenize")),
            f"first pass (empty caches): pipeline / word_tokenize = {results['word_tokenize_time_ratio_first_pass']:.2f}x",
        ]
    lines += ["", "pipeline time by component (nlp.pipe per component):"]
    total = sum(results["components"].values())
    for name, seconds in results["components"].items():
        lines.append(f"  {name:<26}{seconds:>8.2f} s  {100 * seconds / total:5.1f}%")
    if "rss" in results:
        lines += ["", "peak RSS (VmHWM), one subprocess per system (MB):"]
        for system, row in results["rss"].items():
            if "error" in row:
                lines.append(f"  {system:<26}failed: {row['error']}")
            else:
                lines.append(
                    f"  {system:<26}{row['peak_rss_mb']:>8.0f} (after loading {row['after_load_mb']:.0f}, "
                    f"ru_maxrss {row['ru_maxrss_mb']:.0f}, {row['paragraphs']} paragraphs)"
                )
    if "batch" in results:
        batch = results["batch"]
        lines += [
            "",
            f"extract_files over {batch['files']} files ({batch['paragraphs']} paragraphs, model loading included):",
            f"  1 process  {batch['seconds_1']:.1f} s",
            f"  2 processes {batch['seconds_2']:.1f} s  (speed-up {batch['speedup_2']:.2f}x)",
        ]
    lines += ["", f"{'target':<38}{'measured':>10}  {'goal':<8} met"]
    for name, (key, comparison, bound, shape) in TARGETS.items():
        value = results.get(key)
        if value is None:
            lines.append(f"{name:<38}{'-':>10}  {comparison} {bound:g}  (not measured)")
            continue
        met = value >= bound if comparison == ">=" else value <= bound
        lines.append(f"{name:<38}{shape.format(value):>10}  {comparison} {bound:<5g} {'yes' if met else 'NO'}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="Folder of the reports (*.txt).")
    parser.add_argument("--model", default=None, help="Model folder (default: the shipped model).")
    parser.add_argument("--ner-sample", type=int, default=None, help="Paragraphs for underthesea ner (default all).")
    parser.add_argument("--train", action="store_true", help="Also time a full training run.")
    parser.add_argument("--annotations", default=str(DEFAULT_ANNOTATIONS), help="Annotations for --train.")
    parser.add_argument("--processes", action="store_true", help="Also time extract_files with 1 and 2 processes.")
    parser.add_argument("--copies", type=int, default=4, help="With --processes: copies of the reports (default 4).")
    parser.add_argument("--no-rss", action="store_true", help="Skip the peak-RSS subprocesses.")
    parser.add_argument(
        "--repeats", type=int, default=3, help="Alternating passes of word_tokenize and the pipeline (median; default 3)."
    )
    parser.add_argument("--json", default=None, help="Also write every figure to this JSON file.")
    parser.add_argument("--quiet", action="store_true", help="No progress lines on standard error.")
    parser.add_argument("--rss-child", choices=SYSTEMS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rss_child:
        rss_child(args.rss_child, Path(args.corpus), Path(args.model), args.ner_sample)
        return
    results = benchmark(args)
    print(format_report(results))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
