"""`l10n --version` and `l10n --help` start without the libraries the commands need (issue 18): a
pre-commit hook or a CI step pays only for what it runs. Checked on `sys.modules`, not on a clock."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("babel", "rapidfuzz", "ruamel", "multiprocessing", "filelock", "lxml", "polib", "sqlite3",
         "kiwipiepy", "flask", "werkzeug", "jinja2", "pipeline.workflow", "pipeline.checks", "pipeline.html",
         "pipeline.po", "pipeline.reviewapp")


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["sync", "--help"], ["check", "--help"],
                                  ["review", "--help"], ["review", "ko", "--help"]])
def test_a_help_or_version_imports_none_of_the_heavy_modules(argv):
    script = ("import sys, json\nfrom pipeline.cli import main\nsys.argv = ['l10n', *json.loads(sys.argv[1])]\n"
              "try:\n    main()\nexcept SystemExit:\n    pass\n"
              f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {list({h.split('.')[0] for h in HEAVY})!r} or m.startswith(('pipeline.workflow', 'pipeline.checks', 'pipeline.html', 'pipeline.po', 'pipeline.reviewapp')))), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", script, json.dumps(argv)], capture_output=True, text=True)
    loaded = json.loads(done.stderr.strip().splitlines()[-1])
    assert [m for m in loaded if any(m == h or m.startswith(h + ".") for h in HEAVY)] == []
    assert done.stdout.strip()


def test_the_check_commands_formats_are_the_reports():
    from pipeline.checks.report import FORMATS
    from pipeline.cli.check_command import FORMATS as OFFERED

    assert OFFERED == FORMATS


def test_a_sync_imports_no_check_and_no_url_library(tmp_path):
    """A sync runs no check, and (without a base_url, so no sitemap) imports no xml.sax, which imports
    urllib.request."""
    from .helpers import copy_project

    project = copy_project(tmp_path)
    script = ("import sys, json\nfrom pipeline.cli import main\nsys.argv = ['l10n', *json.loads(sys.argv[1])]\n"
              "try:\n    main()\nexcept SystemExit:\n    pass\n"
              "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('pipeline.checks', 'urllib.request', "
              "'xml.sax')))), file=sys.stderr)")
    argv = ["--config", str(project / "l10n.yaml"), "-q", "sync"]
    done = subprocess.run([sys.executable, "-c", script, json.dumps(argv)], capture_output=True, text=True)
    assert json.loads(done.stderr.strip().splitlines()[-1]) == [], done.stderr
    assert (project / "output").is_dir()


def test_a_sync_with_nothing_to_do_imports_none_of_the_article_work(tmp_path):
    """A second sync finds every article clean in the cache: it never loads the per-article work (segmentation,
    merging, building), lxml, the fuzzy matcher or the verdict's parsers, which a pre-commit hook or a CI step
    would otherwise pay for on every commit."""
    from .helpers import copy_project

    project = copy_project(tmp_path)
    script = ("import sys, json\nfrom pipeline.cli import main\nsys.argv = ['l10n', *json.loads(sys.argv[1])]\n"
              "try:\n    main()\nexcept SystemExit:\n    pass\n"
              "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('pipeline.workflow.article', "
              "'pipeline.html', 'pipeline.checks', 'pipeline.po.catalog', 'pipeline.text.verdict', 'lxml', "
              "'rapidfuzz')))), file=sys.stderr)")
    argv = ["--config", str(project / "l10n.yaml"), "sync"]
    first = subprocess.run([sys.executable, "-c", script, json.dumps(argv)], capture_output=True, text=True)
    assert "pipeline.workflow.article" in json.loads(first.stderr.strip().splitlines()[-1]), first.stderr
    again = subprocess.run([sys.executable, "-c", script, json.dumps(argv)], capture_output=True, text=True)
    assert "0 file(s) changed" in again.stdout
    assert json.loads(again.stderr.strip().splitlines()[-1]) == [], again.stderr


def test_a_check_or_status_loads_no_lock_and_status_no_fuzzy_matcher(tmp_path):
    """`check` and `status` take no lock, so neither imports filelock; `status` scores no similar text, so it
    does not import rapidfuzz (`check` does: the kept reports are keyed by the version of what scored them).
    Each is a few tens of milliseconds of every CI step that runs them."""
    from .helpers import copy_project

    project = copy_project(tmp_path)
    script = ("import sys, json\nfrom pipeline.cli import main\nsys.argv = ['l10n', *json.loads(sys.argv[1])]\n"
              "try:\n    main()\nexcept SystemExit:\n    pass\n"
              "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('filelock', 'rapidfuzz', "
              "'pipeline'))), file=sys.stderr)")

    def loaded(*argv: str) -> set[str]:
        done = subprocess.run([sys.executable, "-c", script, json.dumps(["--config", str(project / "l10n.yaml"),
                                                                         *argv])], capture_output=True, text=True)
        return {m.split(".")[0] if not m.startswith("pipeline") else m
                for m in json.loads(done.stderr.strip().splitlines()[-1])}

    assert "filelock" in loaded("-q", "sync")
    checked = loaded("-q", "check")
    assert "pipeline.checks.page" in checked and "filelock" not in checked, sorted(checked)
    status = loaded("status")
    assert "pipeline.workflow.status" in status, sorted(status)
    assert not {"filelock", "rapidfuzz"} & status, sorted(status)
