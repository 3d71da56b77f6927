"""Bad input: a clear error naming file and line, exit code 2, and no file changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import copy_project, run_cli, snapshot

FERRITIN = "source_articles/ferritin-levels.html"
KO_PO = "locales/ko/ferritin-levels.po"


def _replace(rel: str, old: str, new: str):
    def mutate(project: Path) -> None:
        path = project / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"fixture text not found in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return mutate


def _write_bytes(rel: str, data: bytes):
    def mutate(project: Path) -> None:
        (project / rel).write_bytes(data)
    return mutate


def _truncate(rel: str):
    def mutate(project: Path) -> None:
        path = project / rel
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    return mutate


def _first_line_with(rel: str, needle: str):
    def line(project: Path) -> int:
        lines = (project / rel).read_text(encoding="utf-8").splitlines()
        return next(i for i, text in enumerate(lines, 1) if needle in text)
    return line


CASES = {
    "malformed-html": (_replace(FERRITIN, "<h2>What Is Ferritin?</h2>", "<h2>What Is Ferritin?</h3>"),
                       f"{FERRITIN}:{{line}}: malformed HTML", _first_line_with(FERRITIN, "What Is Ferritin?</h3>")),
    "truncated-html": (_truncate(FERRITIN), f"{FERRITIN}:", None),
    "not-utf8-html": (_replace(FERRITIN, "Key Takeaway", "Key Takeaway \udcff"), f"{FERRITIN}:", None),
    "po-syntax-error": (_replace(KO_PO, 'msgid "Key Takeaway"', 'msgid "Key Takeaway'),
                        f"{KO_PO}:{{line}}:", _first_line_with(KO_PO, 'msgid "Key Takeaway')),
    "unknown-locale": (_replace("l10n.yaml", "  - ko\n", "  - ko\n  - xx\n"), "l10n.yaml:{line}: unknown locale 'xx'",
                       _first_line_with("l10n.yaml", "- xx")),
    "invalid-yaml": (_replace("l10n.yaml", "project: Health Library", "project: [Health Library"),
                     "l10n.yaml:", None),
}


def _apply(project: Path, mutate) -> None:
    try:
        mutate(project)
    except UnicodeEncodeError:  # "\udcff" is our way of writing an invalid byte
        path = project / FERRITIN
        data = path.read_bytes().replace(b"Key Takeaway", b"Key Takeaway \xff", 1)
        path.write_bytes(data)


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_named_with_its_line_and_nothing_is_written(tmp_path, monkeypatch, case):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project = copy_project(tmp_path, with_outputs=True)
    mutate, expected, line_of = CASES[case]
    # make the run have work to do, so that "nothing written" means something
    (project / "output" / "ko" / "ferritin-levels.html").unlink()
    _apply(project, mutate)
    before = snapshot(project)
    result = run_cli(project, "sync")
    assert result.exit_code == 2, result.output
    message = expected.format(line=line_of(project)) if line_of else expected
    assert message in result.output
    assert snapshot(project) == before


def test_missing_config_is_exit_2(tmp_path):
    result = run_cli(tmp_path, "sync")
    assert result.exit_code == 2
    assert "l10n.yaml" in result.output and "not found" in result.output


def test_every_bad_input_is_reported_at_once(tmp_path):
    project = copy_project(tmp_path, with_outputs=True)
    _replace(FERRITIN, "<h2>What Is Ferritin?</h2>", "<h2>What Is Ferritin?</h3>")(project)
    _replace("locales/ja/vitamin-d-bone-health.po", 'msgid ""', 'msgid "')(project)
    before = snapshot(project)
    result = run_cli(project, "sync")
    assert result.exit_code == 2
    assert FERRITIN in result.output and "locales/ja/vitamin-d-bone-health.po:" in result.output
    assert "2 bad input(s); nothing was written" in result.output
    assert snapshot(project) == before


def test_keep_going_processes_the_rest_and_leaves_the_broken_file_alone(tmp_path):
    project = copy_project(tmp_path, with_outputs=True)
    _replace(KO_PO, 'msgid "Key Takeaway"', 'msgid "Key Takeaway')(project)
    broken = (project / KO_PO).read_bytes()
    stale = project / "output" / "ko" / "vitamin-d-bone-health.html"
    stale.unlink()
    result = run_cli(project, "sync", "--keep-going")
    assert result.exit_code == 2
    assert f"{KO_PO}:" in result.output and "skipped (--keep-going)" in result.output
    assert (project / KO_PO).read_bytes() == broken
    assert stale.exists(), "the other articles were processed"
