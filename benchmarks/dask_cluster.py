"""Files per second of ``vnreport-ie extract`` on a Dask cluster of 1 and 2 worker processes, and RSS per worker.

Run from the repository root::

    python benchmarks/dask_cluster.py --corpus ../shared/corpus --copies 20 --workers 1 2

The five reports are copied ``--copies`` times into a temporary folder (100
files for 20 copies). For each worker count a ``LocalCluster`` of that many
worker processes (one thread each) is started, then
``extract_files_on_cluster`` runs over all files to a JSONL file; the time is
wall clock from the first file sent to the last row written, model loading on
the workers included (each worker loads it once, at its first file). The
one-process ``extract_files`` runs the same files first as the reference: every
cluster output is compared with it byte for byte. RSS per worker is read on the
workers after the run (current and peak), and the CPU time the workers used
during the run: on a shared machine, CPU seconds per wall second says how many
cores the run really got. Prints a table; never fails.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def worker_memory() -> tuple[float, float]:
    """(current RSS, peak RSS) of this process in MB."""
    import psutil

    return psutil.Process().memory_info().rss / 2**20, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """User + system CPU time of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-reference", action="store_true", help="skip the one-process run")
    args = parser.parse_args()

    from distributed import Client, LocalCluster

    from vnreport_ie.io.batch import extract_files
    from vnreport_ie.io.cluster import extract_files_on_cluster

    reports = sorted(args.corpus.glob("*.txt"))
    folder = Path(tempfile.mkdtemp(prefix="vnreport-dask-"))
    try:
        files = []
        for copy in range(args.copies):
            for report in reports:
                target = folder / "in" / f"{report.stem}-{copy:03d}.txt"
                target.parent.mkdir(exist_ok=True)
                shutil.copyfile(report, target)
                files.append(target)
        paragraphs = sum(1 for f in files for line in f.read_text(encoding="utf-8").split("\n") if line.strip())
        print(f"{len(files)} files, {paragraphs} paragraphs; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}", flush=True)
        rows = []
        reference = None
        if not args.no_reference:
            start, cpu = time.perf_counter(), cpu_seconds()
            extract_files(files, folder / "one.jsonl", "jsonl", progress=False)
            seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
            reference = (folder / "one.jsonl").read_bytes()
            rows.append(("one process (extract_files, no Dask)", seconds, cpu, "", True))
            print(f"one process: {seconds:.1f} s, {cpu:.1f} CPU s", flush=True)
        for workers in args.workers:
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
                with Client(cluster) as client:
                    out = folder / f"cluster-{workers}.jsonl"
                    cpu = sum(client.run(cpu_seconds).values())
                    start = time.perf_counter()
                    extract_files_on_cluster(files, out, "jsonl", scheduler=client, progress=False)
                    seconds = time.perf_counter() - start
                    cpu = sum(client.run(cpu_seconds).values()) - cpu
                    memory = client.run(worker_memory)
                    same = reference is None or out.read_bytes() == reference
                    rss = ", ".join(f"{now:.0f} / {peak:.0f}" for now, peak in memory.values())
                    rows.append((f"Dask, {workers} worker process{'es' if workers > 1 else ''}", seconds, cpu, rss, same))
                    print(f"{workers} worker(s): {seconds:.1f} s, {cpu:.1f} CPU s, RSS {rss}, same output {same}", flush=True)
        print()
        print(
            "| run | seconds | files/s | paragraphs/s | CPU seconds (workers) | cores it got (CPU s / s) "
            "| files per CPU second | RSS per worker, now / peak (MB) | same output as one process |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        for name, seconds, cpu, rss, same in rows:
            print(
                f"| {name} | {seconds:.1f} | {len(files) / seconds:.2f} | {paragraphs / seconds:.0f} | {cpu:.1f} | "
                f"{cpu / seconds:.2f} | {len(files) / cpu:.2f} | {rss} | {same} |"
            )
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
