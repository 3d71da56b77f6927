"""``run_checks``: per-article checks run where each article is read (in ``--jobs`` workers), checks across
articles in the parent; failures name their check whatever the number of jobs; the parent keeps no content."""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.checks import (
    REGISTRY,
    ArticleCheck,
    ArticleContext,
    ProjectCheck,
    ProjectContext,
    check,
    load_settings,
    run_checks,
)
from pipeline.core.model import Finding, Severity
from pipeline.workflow.project import discover_articles, open_project
from pipeline.workflow.sync import RunOptions, plan_run

from .helpers import copy_project, run_cli


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> Path:
    """The bundled project with each article copied 5 times: 18 articles, enough for worker processes."""
    project = copy_project(tmp_path_factory.mktemp("many"))
    for source in sorted((project / "source_articles").glob("*.html")):
        for n in range(5):
            shutil.copy(source, source.with_name(f"{source.stem}-{n}.html"))
            for po in [project / "locales" / "templates" / f"{source.stem}.pot",
                       *(project / "locales" / code / f"{source.stem}.po" for code in ("ko", "ja"))]:
                shutil.copy(po, po.with_name(f"{source.stem}-{n}{po.suffix}"))
    return project


def _register(monkeypatch, spec: ArticleCheck) -> None:
    monkeypatch.setitem(REGISTRY, spec.id, spec)


def _fail_in(monkeypatch, check_id: str, field: str) -> None:
    def boom(ctx: ArticleContext) -> list[Finding]:
        if ctx.source.slug.endswith("-3"):  # one article in a worker, not the first one
            raise ZeroDivisionError("oops")
        return []
    monkeypatch.setitem(REGISTRY, check_id, dataclasses.replace(REGISTRY[check_id], **{field: boom}))


@pytest.mark.parametrize("check_id, field", [("numbers", "function"), ("inconsistent", "gather")])
def test_a_check_failing_in_a_worker_exits_3_naming_it(many, monkeypatch, check_id, field):
    _fail_in(monkeypatch, check_id, field)
    outputs = []
    for jobs in ("1", "2"):
        result = run_cli(many, "--debug", "check", "--jobs", jobs)
        assert result.exit_code == 3, result.output
        assert f"check {check_id!r} failed (ZeroDivisionError: oops)" in result.output
        assert "Traceback" in result.output and "raise ZeroDivisionError" in result.output  # from the worker
        outputs.append(result.output)
    assert outputs[0] == outputs[1]


def test_per_article_checks_see_one_article_at_a_time(many, monkeypatch):
    def probe(ctx: ArticleContext) -> Iterator[Finding]:
        files = [ctx.template, *ctx.catalogs]
        yield ctx.source.finding("probe", f"{' '.join(f.rel for f in files)}, {len(ctx.source.slots)} slots, "
                                 f"{sum(1 for f in files if f.text)} read", severity=Severity.INFO)
    _register(monkeypatch, ArticleCheck("probe", Severity.INFO, "one finding per article", probe))
    reports = [run_cli(many, "check", "--only", "probe", "--format", "json", "--jobs", jobs) for jobs in "12"]
    assert reports[0].output == reports[1].output
    report, _ = json.JSONDecoder().raw_decode(reports[1].output)  # the summary line follows
    found = {f["article"]: f["message"] for f in report["findings"] if f["check"] == "probe"}
    assert len(found) == 18
    for slug, message in found.items():
        own, slots, read = message.split(", ")
        assert own == f"locales/templates/{slug}.pot locales/ko/{slug}.po locales/ja/{slug}.po"
        assert slots != "0 slots" and read == "3 read"


def test_a_per_article_check_gets_only_the_plans_it_prepared(many, monkeypatch):
    """An article's context never computes a plan (it may be in a worker): ``prepare`` does, in the parent."""
    def stale_probe(ctx: ArticleContext) -> Iterator[Finding]:
        ctx.plan()
        return iter(())
    _register(monkeypatch, ArticleCheck("probe", Severity.INFO, "asks for the plan", stale_probe))
    outputs = []
    for jobs in "12":
        result = run_cli(many, "check", "--only", "probe", "--jobs", jobs)
        assert result.exit_code == 3
        assert "check 'probe' failed (RuntimeError: the plan of ['build', 'extract', 'update'] was not " \
               "prepared" in result.output
        outputs.append(result.output)
    assert outputs[0] == outputs[1]
    _register(monkeypatch, ArticleCheck("probe", Severity.INFO, "asks for the plan", stale_probe,
                                        prepare=ProjectContext.prepare_plan))
    assert run_cli(many, "check", "--only", "probe", "--jobs", "2").exit_code == 0


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_project_context_keeps_how_files_read_not_their_content(many, jobs):
    project = open_project(many / "l10n.yaml")
    config = project.config
    broken = many / "locales" / "ko" / "ferritin-levels-2.po"
    original = broken.read_bytes()
    broken.write_bytes(original + b'\nmsgid "unterminated\n')
    try:
        ctx = ProjectContext.for_project(project, articles=discover_articles(project), locales=list(config.locales),
                                         settings=load_settings(config),
                                         plan=lambda steps: plan_run(project, RunOptions(steps=steps, keep_going=True)))
        findings = run_checks(ctx, only=("citations", "inconsistent"), jobs=jobs)
    finally:
        broken.write_bytes(original)
    assert [f.path for f in findings if f.check == "syntax"] == ["locales/ko/ferritin-levels-2.po"]
    # the project's records of the files have no room for their content
    assert not any(hasattr(cat, "po") or hasattr(cat, "text") for cat in [*ctx.templates, *ctx.catalogs])
    assert not any(hasattr(source, "slots") or hasattr(source, "document") for source in ctx.sources)
    assert all(source.parsed for source in ctx.sources)
    assert [cat.rel for cat in ctx.catalogs if not cat.parsed] == ["locales/ko/ferritin-levels-2.po"]
    assert [file.path for file in findings.files if not file.readable] == ["locales/ko/ferritin-levels-2.po"]
    assert [slug for slug, _ in ctx.gathered_by("inconsistent")] == [s.slug for s in ctx.sources]


def test_registering_a_check_that_cannot_run_anywhere_is_refused():
    with pytest.raises(ValueError, match="gathers nothing"):
        check("bad", Severity.ERROR, "x", per_article=True, gather=lambda ctx: None)(lambda ctx: [])
    with pytest.raises(ValueError, match="only a per-article check prepares"):
        check("bad", Severity.ERROR, "x", prepare=ProjectContext.prepare_plan)(lambda ctx: [])
    assert "bad" not in REGISTRY


def test_which_checks_run_in_the_workers():
    per_article = {spec.id for spec in REGISTRY.values() if isinstance(spec, ArticleCheck)}
    assert per_article == set(REGISTRY) - {"syntax", "inconsistent"}
    assert {spec.id for spec in REGISTRY.values() if isinstance(spec, ProjectCheck)} == {"syntax", "inconsistent"}
    inconsistent = REGISTRY["inconsistent"]
    assert isinstance(inconsistent, ProjectCheck) and inconsistent.gather is not None
    # ko-particles opens the analyser's kept answers in the parent, and loads the analyser there once a worker
    # asks for it, for the forked workers to share
    assert {spec.id for spec in REGISTRY.values() if isinstance(spec, ArticleCheck) and spec.prepare} == \
        {"stale", "disclaimer", "page", "ko-particles"}
    assert {spec.id for spec in REGISTRY.values() if isinstance(spec, ArticleCheck) and spec.load} == \
        {"ko-particles"}
