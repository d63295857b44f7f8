"""Robustness: bad inputs give a result or one clear error line, never a traceback.

``vnreport-ie extract`` on empty, blank, binary, non-UTF-8, English and very
long input, on folders with unreadable entries and across an interrupted
run; ``train`` / ``evaluate`` / ``validate`` / ``convert`` on malformed
annotations; and property-based tests of the pipeline on random and
mutated report text. Everything runs on the small pipeline trained in
seconds (``small_model_dir``), so nothing here depends on the shipped
model's quality.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from vnreport_ie.cli import app
from vnreport_ie.pipeline.relations import get_relations

ANNOTATIONS = Path(__file__).resolve().parent.parent / "annotations" / "lang-son"
REPORT_SENTENCE = "Tổng thu ngân sách trên địa bàn ước đạt 12.345 triệu đồng, bằng 105,3% dự toán tỉnh giao."
# sentences in the reports' style, each with the figures it holds (text of each MONEY / PERCENT)
PLANTED_SENTENCES = (
    ("Tổng thu ngân sách nhà nước trên địa bàn ước đạt 12.345 triệu đồng, bằng 105,3% dự toán tỉnh giao.",
     ("12.345 triệu đồng", "105,3%")),
    ("Tỷ lệ hộ nghèo giảm còn 4,5%, vượt kế hoạch đề ra.", ("4,5%",)),
    ("Giải ngân vốn đầu tư công đạt 56,7 tỷ đồng, đạt 48% kế hoạch vốn.", ("56,7 tỷ đồng", "48%")),
)

runner = CliRunner()


def invoke(*args: object):
    """Run the CLI in-process; fail the test on a traceback (any exception other than a clean exit)."""
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def extract(model_dir: Path, *args: object):
    return invoke("extract", *args, "--model", model_dir, "--no-progress")


def error_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error:")]


# ------------------------------------------------------------------- extract: one bad file


def test_extract_empty_file_gives_an_empty_table(tmp_path, small_model_dir):
    (tmp_path / "empty.txt").write_bytes(b"")
    result = extract(small_model_dir, tmp_path / "empty.txt")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [result.stdout.splitlines()[0]]  # the CSV header only
    assert "0 paragraph(s)" in result.stderr
    assert f"warning: {tmp_path / 'empty.txt'}: no paragraph to extract from (the file is empty or blank)" in result.stderr


def test_extract_whitespace_only_file_has_no_paragraphs(tmp_path, small_model_dir):
    (tmp_path / "blank.txt").write_text("   \n\t\n \r\n\u00a0\n", encoding="utf-8")
    result = extract(small_model_dir, tmp_path / "blank.txt", "--format", "doccano")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "0 paragraph(s)" in result.stderr


def test_extract_binary_junk_is_one_clear_error(tmp_path, small_model_dir):
    junk = tmp_path / "junk.txt"
    junk.write_bytes(bytes(range(256)) * 8)
    result = extract(small_model_dir, junk)
    assert result.exit_code == 1
    assert error_lines(result) == [f"error: {junk}: looks like a binary file (it holds NUL bytes), not a text report (tried utf-8)"]
    assert result.stdout == ""  # not a header-only table
    out = tmp_path / "out.csv"
    result = extract(small_model_dir, junk, "-o", out)
    assert result.exit_code == 1 and len(error_lines(result)) == 1
    assert not out.exists() and not (tmp_path / "out.csv.progress").exists()  # a failed run leaves no output


def test_extract_of_a_good_and_a_binary_file_keeps_the_good_one(tmp_path, small_model_dir):
    (tmp_path / "good.txt").write_text(REPORT_SENTENCE + "\n", encoding="utf-8")
    (tmp_path / "junk.txt").write_bytes(bytes(range(256)) * 8)
    out = tmp_path / "out" / "figures.jsonl"
    result = extract(small_model_dir, tmp_path / "good.txt", tmp_path / "junk.txt", "-o", out, "--format", "jsonl")
    assert result.exit_code == 1 and len(error_lines(result)) == 1
    assert [json.loads(line)["text"] for line in out.read_text(encoding="utf-8").splitlines()] == ["12.345 triệu đồng", "105,3%"]


def test_extract_windows_1258_file_names_the_line_and_the_encoding_tried(tmp_path, small_model_dir):
    text = "Dòng đầu.\n" + REPORT_SENTENCE + "\n"
    legacy = tmp_path / "cp1258.txt"
    legacy.write_bytes(unicodedata.normalize("NFD", text).encode("cp1258", errors="replace"))
    result = extract(small_model_dir, legacy)
    assert result.exit_code == 1
    [line] = error_lines(result)
    assert line.startswith(f"error: {legacy}:1: not UTF-8 text (tried utf-8")
    assert "iconv" in line


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
def test_extract_utf16_or_utf32_file_says_which_encoding(tmp_path, small_model_dir, encoding):
    wide = tmp_path / "wide.txt"
    wide.write_bytes((REPORT_SENTENCE + "\n").encode(encoding))
    result = extract(small_model_dir, wide)
    assert result.exit_code == 1
    [line] = error_lines(result)
    assert "not UTF-8 (tried utf-8)" in line
    assert encoding.upper()[:6] in line


def test_extract_utf8_byte_order_mark_is_dropped(tmp_path, small_model_dir):
    report = tmp_path / "bom.txt"
    report.write_bytes(b"\xef\xbb\xbf" + REPORT_SENTENCE.encode("utf-8") + b"\n")
    result = extract(small_model_dir, report, "--format", "doccano")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["text"] == REPORT_SENTENCE


def test_extract_english_text_works(tmp_path, small_model_dir):
    report = tmp_path / "english.txt"
    report.write_text("The district's budget revenue reached 12,345 million dong, 105.3% of the plan.\n", encoding="utf-8")
    text = report.read_text(encoding="utf-8").rstrip("\n")
    result = extract(small_model_dir, report, "--format", "doccano")
    assert result.exit_code == 0
    [line] = result.stdout.splitlines()
    example = json.loads(line)
    assert example["id"] == "english:1" and example["text"] == text
    spans = {(text[e["start_offset"] : e["end_offset"]], e["label"]) for e in example["entities"]}
    assert ("105.3%", "PERCENT") in spans
    assert all(0 <= e["start_offset"] < e["end_offset"] <= len(text) for e in example["entities"])
    result = extract(small_model_dir, report, "--format", "jsonl")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    percent = [r for r in records if r["label"] == "PERCENT"]
    assert [(r["text"], r["value"], r["unit"]) for r in percent] == [("105.3%", 105.3, "%")]
    assert all(text[r["start"] : r["end"]] == r["text"] for r in records)


@pytest.mark.parametrize("fmt", ["jsonl", "doccano", "csv"])
def test_extract_folder_twice_does_not_read_its_own_earlier_output(tmp_path, small_model_dir, fmt):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "report.txt").write_text(REPORT_SENTENCE + "\n", encoding="utf-8")
    out = folder / f"out.{'csv' if fmt == 'csv' else 'jsonl'}"
    first = extract(small_model_dir, folder, "-o", out, "--format", fmt)
    assert first.exit_code == 0 and "1 file(s), 1 paragraph(s), 2 figure(s)" in first.stderr
    before = out.read_bytes()
    second = extract(small_model_dir, folder, "-o", folder / f"again.{out.suffix[1:]}", "--format", fmt)
    assert second.exit_code == 0, second.output
    assert "1 file(s), 1 paragraph(s), 2 figure(s)" in second.stderr
    if fmt != "csv":  # a .csv is never an input; the .jsonl outputs are named as skipped
        assert f"warning: {out}: an output of `vnreport-ie extract`" in second.stderr
    assert (folder / f"again.{out.suffix[1:]}").read_bytes() == before  # same rows, nothing from out.*


def test_extract_skips_figure_records_sent_to_standard_output(tmp_path, small_model_dir):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "report.txt").write_text(REPORT_SENTENCE + "\n", encoding="utf-8")
    records = extract(small_model_dir, folder, "--format", "jsonl").stdout
    (folder / "figures.jsonl").write_text(records, encoding="utf-8")  # `extract ... > reports/figures.jsonl`
    result = extract(small_model_dir, folder, "--format", "jsonl")
    assert result.exit_code == 0 and result.stdout == records
    assert f"warning: {folder / 'figures.jsonl'}: figure records" in result.stderr


def test_extract_output_that_is_an_input_is_not_read(tmp_path, small_model_dir):
    report = tmp_path / "report.txt"
    report.write_text(REPORT_SENTENCE + "\n", encoding="utf-8")
    result = extract(small_model_dir, report, "--output", report)
    assert result.exit_code == 1
    assert report.read_text(encoding="utf-8") == REPORT_SENTENCE + "\n"  # not truncated
    assert error_lines(result) == ["error: nothing to extract from"]


@pytest.mark.parametrize("where", ["folder", "unwritable"])
def test_extract_to_an_output_that_cannot_be_written_is_one_error(tmp_path, small_model_dir, where):
    report = tmp_path / "report.txt"
    report.write_text(REPORT_SENTENCE + "\n", encoding="utf-8")
    (tmp_path / "blocker").write_text("a file, not a folder")
    output = tmp_path if where == "folder" else tmp_path / "blocker" / "out.csv"
    result = extract(small_model_dir, report, "--output", output)
    assert result.exit_code == 1
    assert len(error_lines(result)) == 1


def test_extract_without_a_model_is_one_error(tmp_path):
    report = tmp_path / "report.txt"
    report.write_text(REPORT_SENTENCE + "\n", encoding="utf-8")
    result = invoke("extract", report, "--model", tmp_path, "--no-progress")
    assert result.exit_code == 1
    assert error_lines(result) == [f"error: {tmp_path}: not a model folder (no config.cfg)"]


def test_extract_without_a_shipped_model_is_one_error(tmp_path, monkeypatch):
    import vnreport_ie.pipeline.runner

    def no_model():
        raise FileNotFoundError("no trained model found (looked in nowhere)")

    monkeypatch.setattr(vnreport_ie.pipeline.runner, "default_model_path", no_model)
    report = tmp_path / "report.txt"
    report.write_text(REPORT_SENTENCE + "\n", encoding="utf-8")
    result = invoke("extract", report, "--no-progress")
    assert result.exit_code == 1
    assert error_lines(result) == ["error: no trained model found (looked in nowhere)"]


# -------------------------------------------------------------------- extract: long input


def planted_paragraph(min_chars: int) -> tuple[str, list[str]]:
    """One paragraph (no newline) of report sentences at least ``min_chars`` long, and its figures in order."""
    sentences, figures, length, index = [], [], 0, 0
    while length < min_chars:
        sentence, sentence_figures = PLANTED_SENTENCES[index % len(PLANTED_SENTENCES)]
        sentences.append(sentence)
        figures.extend(sentence_figures)
        length += len(sentence) + 1
        index += 1
    return " ".join(sentences), figures


def check_long_paragraph(tmp_path: Path, model_dir: Path, size: int, expect_every_figure: bool) -> None:
    text, planted = planted_paragraph(size)
    report = tmp_path / "long.txt"
    report.write_text(text, encoding="utf-8")  # no newline at all
    output = tmp_path / "long.jsonl"
    result = extract(model_dir, report, "--format", "jsonl", "--output", output)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    for row in rows:
        assert text[row["start"] : row["end"]] == row["text"]
    if expect_every_figure:
        assert [row["text"] for row in rows] == planted


def test_extract_long_paragraph_without_newlines(tmp_path, small_model_dir):
    check_long_paragraph(tmp_path, small_model_dir, 100_000, expect_every_figure=False)


def test_extract_long_paragraph_finds_every_planted_figure(tmp_path):
    """The shipped model on ~4 KB (about 100 figures) on one line: the relation linker's time grows with
    the square of the figures in a paragraph (about 3 minutes at 40 KB), so this stays short."""
    from vnreport_ie.api import default_model_path

    try:
        model = default_model_path()
    except FileNotFoundError:
        pytest.skip("no shipped model")
    check_long_paragraph(tmp_path, model, 4_000, expect_every_figure=True)


@pytest.mark.slow
def test_extract_3mb_paragraph_without_newlines(tmp_path, small_model_dir):
    """3 MB on one line (the small model finds no figures, so relations stay cheap): ~3 CPU minutes, ~5 GB RSS."""
    check_long_paragraph(tmp_path, small_model_dir, 3_000_000, expect_every_figure=False)


# ----------------------------------------------------------------- extract: folders and resume


def test_extract_folder_lists_bad_entries_and_processes_the_others(tmp_path, small_model_dir):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text(REPORT_SENTENCE + "\n", encoding="utf-8")
    (folder / "c.txt").write_text("Dòng hai.\n" + REPORT_SENTENCE + "\n", encoding="utf-8")
    (folder / "x.txt").mkdir()  # a folder named like a report
    (folder / "gone.txt").symlink_to(tmp_path / "nowhere.txt")  # a broken link
    (folder / "b.txt").write_bytes(b"\x00\x01\x02binary")
    # valid for 40 lines (more than a batch), then a Windows-1258 line: nothing of it may stay in the output
    (folder / "d.txt").write_bytes((REPORT_SENTENCE + "\n").encode() * 40 + b"L\xf4i \xff\n")
    (folder / "e.jsonl").write_text('{"text": "' + REPORT_SENTENCE + '"}\nnot json\n', encoding="utf-8")
    output = tmp_path / "out.jsonl"
    result = extract(small_model_dir, folder, "--format", "doccano", "--output", output)
    assert result.exit_code == 1
    errors = "\n".join(error_lines(result))
    for bad in ("x.txt", "gone.txt", "b.txt", "d.txt:41", "e.jsonl:2"):
        assert f"{folder / bad}" in errors, bad
    ids = [json.loads(line)["id"] for line in output.read_text(encoding="utf-8").splitlines()]
    assert ids == ["a:1", "c:1", "c:2", "e:1"]
    assert "3 file(s), 4 paragraph(s)" in result.stderr


def test_extract_same_file_named_twice_is_read_once(tmp_path, small_model_dir):
    report = tmp_path / "report.txt"
    report.write_text(REPORT_SENTENCE + "\n", encoding="utf-8")
    result = extract(small_model_dir, report, tmp_path, "--format", "doccano")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 1


def test_extract_resume_after_interruption_keeps_finished_files_without_duplicates(
    tmp_path, small_model_dir, monkeypatch
):
    import vnreport_ie.io.batch as batch

    folder = tmp_path / "reports"
    folder.mkdir()
    for number in range(4):
        lines = [f"Báo cáo {number}, đoạn {line}: {REPORT_SENTENCE}" for line in range(3)]
        (folder / f"r{number}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    complete = tmp_path / "complete.jsonl"
    assert extract(small_model_dir, folder, "--format", "doccano", "--output", complete).exit_code == 0

    output = tmp_path / "out.jsonl"
    real_run_batch, calls = batch._run_batch, []

    def interrupted_at_third_file(nlp, paragraphs, *rest):
        calls.append(paragraphs[0].id)
        if len(calls) == 3:  # the third file's batch is under way: Ctrl-C
            raise KeyboardInterrupt
        return real_run_batch(nlp, paragraphs, *rest)

    monkeypatch.setattr(batch, "_run_batch", interrupted_at_third_file)
    result = extract(small_model_dir, folder, "--format", "doccano", "--output", output)
    assert result.exit_code == 130
    assert error_lines(result) == [f"error: interrupted; finished files are kept: run again with --resume -o {output} to go on"]
    with output.open("a", encoding="utf-8") as torn:
        torn.write('{"id": "r2:1", "text": "half a li')  # as if the process died mid-write
    monkeypatch.setattr(batch, "_run_batch", real_run_batch)

    result = extract(small_model_dir, folder, "--format", "doccano", "--output", output, "--resume")
    assert result.exit_code == 0, result.output
    assert "2 already done" in result.stderr
    assert output.read_text(encoding="utf-8") == complete.read_text(encoding="utf-8")


def test_extract_resume_with_a_lost_output_is_one_error(tmp_path, small_model_dir):
    report = tmp_path / "report.txt"
    report.write_text(REPORT_SENTENCE + "\n", encoding="utf-8")
    output = tmp_path / "out.csv"
    assert extract(small_model_dir, report, "--output", output).exit_code == 0
    output.unlink()
    result = extract(small_model_dir, report, "--output", output, "--resume")
    assert result.exit_code == 1
    [line] = error_lines(result)
    assert "cannot resume" in line and "without --resume" in line


# ----------------------------------------------------------- malformed annotation files


MALFORMED_LINES = {
    # line number -> (JSON line, what the problem message must say)
    2: ('{"id": "r:2", "text": "Đạt 50% kế hoạch.", "entities": [{"id": 0, "start_offset": 4, "end_offset": 99, '
        '"label": "PERCENT"}], "relations": []}', "out of range"),
    3: ("not json at all", "bad JSON"),
    4: ('{"id": "r:4", "entities": []}', "'text'"),
    5: ('{"id": "r:5", "text": "Đạt 50% kế hoạch.", "entities": [{"id": 0, "start_offset": 4, "end_offset": 7, '
        '"label": "PERCENTAGE"}], "relations": []}', "unknown label"),
    6: ('{"id": "r:6", "text": "Đạt 50% kế hoạch.", "entities": [{"id": 0, "start_offset": 4, "end_offset": 7, '
        '"label": "PERCENT"}, {"id": 1, "start_offset": 5, "end_offset": 9, "label": "TARGET"}], "relations": []}',
        "overlap"),
    7: ('{"id": "r:7", "text": "Đạt 50% kế hoạch.", "entities": [{"id": 0, "start_offset": 4, "end_offset": 7, '
        '"label": "PERCENT"}], "relations": [{"id": 0, "from_id": 0, "to_id": 5, "type": "target"}]}',
        "no entity with id 5"),
    8: ('{"id": "r:8", "text": "Đạt 50%\\nkế hoạch.", "entities": [], "relations": []}', "line break"),
    9: ('{"id": "r:1", "text": "Trùng id.", "entities": [], "relations": []}', "already used"),
    10: ("[1, 2, 3]", "expected a JSON object"),
    11: ('{"id": "r:11", "text": "Đạt 50% kế hoạch.", "entities": [{"id": 0, "start_offset": "4", "end_offset": 7, '
         '"label": "PERCENT"}], "relations": []}', "must be integers"),
    12: ('{"id": "r:12", "text": "Đạt 50% kế hoạch.", "entities": [{"id": 0, "start_offset": 3, "end_offset": 7, '
         '"label": "PERCENT"}], "relations": []}', "whitespace"),
    13: ('{"id": "r:13", "text": "Đạt 50% kế hoạch.", "entities": [{"id": 0, "start_offset": 4, "end_offset": 7, '
         '"label": "PERCENT"}, {"id": 1, "start_offset": 8, "end_offset": 16, "label": "TARGET"}], '
         '"relations": [{"id": 0, "from_id": 1, "to_id": 0, "type": "target"}]}', "direction reversed"),
}
GOOD_LINE = (
    '{"id": "r:1", "text": "Thu ngân sách đạt 12.345 triệu đồng.", "entities": [{"id": 0, "start_offset": 18, '
    '"end_offset": 35, "label": "MONEY"}], "relations": [], "meta": {"doc": "r", "paragraph": 1}}'
)


@pytest.fixture
def malformed_annotations(tmp_path) -> Path:
    folder = tmp_path / "annotations"
    folder.mkdir()
    lines = [GOOD_LINE] + [MALFORMED_LINES[n][0] for n in sorted(MALFORMED_LINES)]
    (folder / "bad.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def assert_every_bad_line_named(output: str, path: Path) -> None:
    for number, (_, message) in MALFORMED_LINES.items():
        named = [line for line in output.splitlines() if line.startswith(f"{path}:{number}: ")]
        assert named and any(message in line for line in named), (number, message, output)
    assert f"{path}:1:" not in output  # the good line is not blamed


def test_validate_names_every_bad_line(malformed_annotations):
    result = invoke("validate", malformed_annotations)
    assert result.exit_code == 1
    assert_every_bad_line_named(result.stdout, malformed_annotations / "bad.jsonl")


def test_train_refuses_malformed_annotations(malformed_annotations, tmp_path):
    model = tmp_path / "model"
    result = invoke("train", malformed_annotations, "--output", model, "--max-steps", "1")
    assert result.exit_code == 1
    assert_every_bad_line_named(result.stderr, malformed_annotations / "bad.jsonl")
    assert "nothing is trained" in result.stderr
    assert not model.exists()


def test_evaluate_refuses_malformed_annotations(malformed_annotations, small_model_dir):
    result = invoke("evaluate", malformed_annotations, "--model", small_model_dir)
    assert result.exit_code == 1
    assert_every_bad_line_named(result.stderr, malformed_annotations / "bad.jsonl")


@pytest.mark.parametrize("to", ["doccano", "label-studio", "brat"])
def test_convert_refuses_malformed_annotations(malformed_annotations, tmp_path, to):
    output = tmp_path / "converted" / "out.json"
    result = invoke("convert", malformed_annotations / "bad.jsonl", "--output", output, "--to", to)
    assert result.exit_code == 1
    assert_every_bad_line_named(result.stderr, malformed_annotations / "bad.jsonl")
    assert not output.parent.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("export.json", b"not json", "bad JSON"),
        ("export.json", b'[{"data": 5}, 3]', "task"),
        ("report.txt", "Đạt 50% kế hoạch.\n".encode(), "cannot read"),  # the .ann is missing
        ("latin.jsonl", '{"id": "a", "text": "Đạt"}\n'.encode("utf-16"), "not UTF-8"),
    ],
)
def test_convert_malformed_exports_is_a_clear_refusal(tmp_path, name, content, message):
    source = tmp_path / name
    source.write_bytes(content)
    result = invoke("convert", source, "--output", tmp_path / "out.jsonl")
    assert result.exit_code == 1
    assert message in result.stderr
    assert not (tmp_path / "out.jsonl").exists()


# --------------------------------------------------------- property-based: pipeline on any text


def _annotated_paragraphs() -> list[str]:
    texts = []
    for file in sorted(ANNOTATIONS.glob("*.jsonl")):
        for line in file.read_text(encoding="utf-8").splitlines():
            text = json.loads(line)["text"]
            if any(c.isdigit() for c in text) and len(text) < 1500:
                texts.append(text)
    return texts


REAL_PARAGRAPHS = _annotated_paragraphs()
NOISE = "0123456789.,%*-–/()[]:;⁰¹²³⁴⁵⁶⁷⁸⁹ \n\t\r\u00a0\u200b\u2028\ufeff\x00đĐươƯạẠtỷ triệu đồng"
SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


@st.composite
def mutated_paragraph(draw) -> str:
    """A real paragraph with a few edits like those of the converted reports (and worse)."""
    text = draw(st.sampled_from(REAL_PARAGRAPHS))
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["delete", "duplicate", "insert", "superscript", "stars", "space"]))
        at = draw(st.integers(0, max(len(text) - 1, 0)))
        if kind == "delete":
            text = text[:at] + text[at + 1 :]
        elif kind == "duplicate":
            text = text[:at] + text[at : at + 1] * draw(st.integers(2, 5)) + text[at + 1 :]
        elif kind == "insert":
            text = text[:at] + draw(st.text(alphabet=NOISE, min_size=1, max_size=4)) + text[at:]
        elif kind == "superscript":  # glue a footnote marker to the next digit
            digit = next((i for i in range(at, len(text)) if text[i].isdigit()), len(text) - 1) + 1
            text = text[:digit] + draw(st.text(alphabet=SUPERSCRIPT_DIGITS, min_size=1, max_size=2)) + text[digit:]
        elif kind == "stars":
            text = text[:at] + draw(st.sampled_from(["*", "**", "***"])) + text[at:]
        else:  # every space, or one, becomes a line break or a tab
            replacement = draw(st.sampled_from(["\n", "\t", "\r\n", "\n\n", "  "]))
            text = text.replace(" ", replacement) if draw(st.booleans()) else text.replace(" ", replacement, 1)
    return text


def check_pipeline_output(nlp, text: str) -> None:
    """The properties every output must have: text kept, offsets slice it, same input gives same output."""
    from vnreport_ie.records.figures import doc_to_records

    doc = nlp(text)
    assert doc.text == text
    records = doc_to_records(doc, "p")
    for record in records:
        assert text[record.start : record.end] == record.text
        assert record.label in ("MONEY", "PERCENT")
    for ent in doc.ents:
        assert text[ent.start_char : ent.end_char] == ent.text
    for relation in get_relations(doc):
        assert 0 <= relation.head_start < relation.head_end <= len(text)
        assert 0 <= relation.tail_start < relation.tail_end <= len(text)
    again = nlp(text)
    assert [(e.start_char, e.end_char, e.label_) for e in again.ents] == [
        (e.start_char, e.end_char, e.label_) for e in doc.ents
    ]
    assert doc_to_records(again, "p") == records


PROPERTY_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(text=mutated_paragraph())
def test_pipeline_on_mutated_report_text(small_nlp, text):
    check_pipeline_output(small_nlp, text)


@PROPERTY_SETTINGS
@given(text=st.text(max_size=300))
def test_pipeline_on_random_text(small_nlp, text):
    check_pipeline_output(small_nlp, text)


@PROPERTY_SETTINGS
@given(text=st.text(alphabet=NOISE + SUPERSCRIPT_DIGITS, max_size=200))
def test_pipeline_on_figure_like_noise(small_nlp, text):
    check_pipeline_output(small_nlp, text)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(mutated_paragraph(), min_size=1, max_size=5))
def test_extract_files_on_mutated_reports(tmp_path_factory, small_model_dir, texts):
    from vnreport_ie.io.batch import extract_files

    folder = tmp_path_factory.mktemp("mutated")
    texts = [t.replace("\x00", " ").replace("\ufeff", " ") for t in texts]  # NUL reads as binary, a BOM is dropped
    report = folder / "report.txt"
    report.write_text("\n".join(texts) + "\n", encoding="utf-8")
    lines = [line.rstrip("\r") for line in report.read_bytes().decode("utf-8").split("\n")]  # as paragraphs_of
    output = folder / "out.jsonl"
    summary = extract_files([report], output, "doccano", str(small_model_dir), progress=False)
    assert summary.problems == []
    rows = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert [row["text"] for row in rows] == [line for line in lines if line.strip()]
    for row in rows:
        for entity in row["entities"]:
            assert 0 <= entity["start_offset"] < entity["end_offset"] <= len(row["text"])


def test_json_lines_escape_characters_that_line_readers_split_on(tmp_path, small_model_dir):
    """U+2028 / U+2029 / NEL are valid raw in JSON, but str.splitlines() and JavaScript break lines on them."""
    from vnreport_ie.io.batch import extract_files
    from vnreport_ie.io.annotations import AnnotatedExample, read_jsonl, write_jsonl

    text = "\u2028Bắc Sơn, ngày 06 tháng 12 năm 2024\x85 thu 5.000 triệu đồng\u2029"
    report = tmp_path / "report.txt"
    report.write_text(text + "\n", encoding="utf-8")
    for fmt in ("doccano", "jsonl"):
        output = tmp_path / f"out-{fmt}.jsonl"
        extract_files([report], output, fmt, str(small_model_dir), progress=False)
        lines = output.read_text(encoding="utf-8").splitlines()
        rows = [json.loads(line) for line in lines]  # one JSON object per line, whatever splits them
        if fmt == "doccano":
            assert [row["text"] for row in rows] == [text]
        else:  # records: the figure, found by the money pattern whatever the small model says
            assert "5.000 triệu đồng" in [row["text"] for row in rows]
    written = tmp_path / "examples.jsonl"
    write_jsonl([AnnotatedExample(id="r:1", text=text, entities=[], relations=[])], written)
    assert len(written.read_text(encoding="utf-8").splitlines()) == 1
    assert [(number, example.text) for number, example, _ in read_jsonl(written)] == [(1, text)]
