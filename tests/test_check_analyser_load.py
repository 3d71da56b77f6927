"""The Korean analyser takes about a second to load (issue 18). ``l10n check`` loads it only when a text needs
it, and then once: forked workers that meet such a text leave the load to the parent, which has the rest
checked by workers that share it. The findings are those of ``--jobs 1 --no-cache``. Observed by counting the
analyser's construction per process, not on a clock."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import copy_project

pytest.importorskip("kiwipiepy")

#: Runs `l10n ARGS` in a fresh interpreter, writing the pid of each process that builds a Kiwi to LOADS;
#: prints the report, then on stderr the parent's pid.
PROBE = """
import json, os, sys
import kiwipiepy._wrap as wrap
loads, argv = sys.argv[1], json.loads(sys.argv[2])
built = wrap.Kiwi.__init__
def counted(self, *args, **kwargs):
    with open(loads, "a") as out:
        out.write(f"{os.getpid()}\\n")
    built(self, *args, **kwargs)
wrap.Kiwi.__init__ = counted
from pipeline.cli import main
sys.argv = ["l10n", *argv]
try:
    main()
except SystemExit:
    pass
print(os.getpid(), file=sys.stderr)
"""
#: The sample's two texts whose particle only the analyser can tell, and unambiguous rewordings of them.
AMBIGUOUS = (("ng/mL이어야", "ng/mL 수준이어야"), ("nmol/L이면", "nmol/L 미만이면"))
#: A sentence of the sample, and the same with a particle only the analyser finds wrong (ANC is read with a
#: vowel at its end: 라든가, not 이라든가).
SENTENCE = ("페리틴은 몸속에서 철을 보관하는", "페리틴은 몸속에서 ANC이라든가 철을 보관하는")


def _corpus(tmp_path: Path) -> Path:
    """The sample project, each article copied six times over (21 articles: enough for worker processes)."""
    tmp_path.mkdir()
    project = copy_project(tmp_path, with_outputs=True)
    for source in sorted((project / "source_articles").glob("*.html")):
        for n in range(6):
            shutil.copy(source, source.with_name(f"{source.stem}-{n}.html"))
            for code in ("ko", "ja"):
                po = project / "locales" / code / f"{source.stem}.po"
                shutil.copy(po, po.with_name(f"{source.stem}-{n}.po"))
    return project


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def _check(project: Path, tmp_path: Path, *args: str) -> tuple[str, list[int], int]:
    """The JSON report of a first `l10n check ARGS` (no kept answers), the pids of the processes that built
    the analyser, and the pid of the command's own process."""
    shutil.rmtree(project / ".l10n-cache", ignore_errors=True)
    loads = tmp_path / "loads.txt"
    loads.unlink(missing_ok=True)
    argv = ["--config", str(project / "l10n.yaml"), "check", "--format", "json", *args]
    done = subprocess.run([sys.executable, "-c", PROBE, str(loads), json.dumps(argv)], capture_output=True,
                          text=True, cwd=project, timeout=300)
    assert done.stdout.strip(), done.stderr
    pids = [int(line) for line in loads.read_text().split()] if loads.exists() else []
    return done.stdout, pids, int(done.stderr.strip().splitlines()[-1])


def _reword(project: Path, *, but: str = "") -> None:
    """Reword the ambiguous texts in every Korean catalog (but that of article ``but``)."""
    for po in sorted((project / "locales" / "ko").glob("*.po")):
        if po.stem != but:
            text = po.read_text(encoding="utf-8")
            for old, new in AMBIGUOUS:
                text = text.replace(old, new)
            po.write_text(text, encoding="utf-8")


def test_a_first_check_whose_particles_need_no_analysis_does_not_load_the_analyser(tmp_path):
    project = _corpus(tmp_path / "p")
    _reword(project)
    for args in (("--jobs", "2"), ("--jobs", "1")):
        report, loads, _ = _check(project, tmp_path, *args)
        assert loads == [], args
        assert '"ko-particles"' in report           # the check ran: it found nothing to ask


def test_the_analyser_is_loaded_once_in_the_parent_when_a_text_needs_it(tmp_path):
    project = _corpus(tmp_path / "p")
    # only one article, the 7th of 21, needs the analyser: articles are checked before and after the load
    _reword(project, but="ferritin-levels-5")
    _replace(project / "locales" / "ko" / "ferritin-levels-5.po", *SENTENCE)
    single, single_loads, single_pid = _check(project, tmp_path, "--jobs", "1", "--no-cache")
    assert single_loads == [single_pid]
    assert "ANC라든가" in single                      # the analyser's finding
    parallel, loads, parent = _check(project, tmp_path, "--jobs", "2")
    assert loads == [parent]                         # once, in the parent: the workers share it
    assert parallel == single
