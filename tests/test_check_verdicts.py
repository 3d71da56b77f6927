"""``l10n check`` and the build share one verdict per unit (issue 18): a translation the last sync's build found
without a problem (its verdict records in ``.l10n-cache/state.sqlite``) is not checked again for citations,
placeholders and numbers; one edited since is, and its problem is found. The report is that of ``--no-cache``.
Observed by counting the checks' calls, not on a clock."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.checks import markup, numbers

from .helpers import copy_project, run_cli

#: A dose of the sample's Korean, and the same made wrong (the English says 100).
DOSE = ("수치가 ≥ 100 ng/mL이어야", "수치가 ≥ 10 ng/mL이어야")


@pytest.fixture
def calls(monkeypatch) -> dict[str, list[str]]:
    """The msgstrs the citation, placeholder and number checks were asked about, per check."""
    asked: dict[str, list[str]] = {"citations": [], "placeholders": [], "numbers": []}

    def counting(name: str, function):
        def wrapper(*args, **kwargs):
            asked[name].append(args[1] if name != "placeholders" else args[0])
            return function(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(markup, "citation_problems", counting("citations", markup.citation_problems))
    monkeypatch.setattr(markup, "tag_problems", counting("placeholders", markup.tag_problems))
    monkeypatch.setattr(numbers, "number_problems", counting("numbers", numbers.number_problems))
    return asked


def _check(project: Path, *args: str) -> tuple[int, str]:
    result = run_cli(project, "check", "--jobs", "1", "--format", "json", "--only", "citations,placeholders,numbers",
                     *args)
    return result.exit_code, result.output


def test_a_translation_the_build_found_clean_is_not_checked_again(tmp_path, calls):
    project = copy_project(tmp_path)
    assert run_cli(project, "sync").exit_code == 0
    clean = _check(project)
    assert clean[0] == 0
    # only the plural forms (a count phrase's python-format), which the build decides apart, are checked
    assert all(asked and all("%(count)d" in text for text in asked) for asked in calls.values())
    catalog = project / "locales" / "ko" / "ferritin-levels.po"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace(*DOSE), encoding="utf-8")
    for asked in calls.values():
        asked.clear()
    edited = _check(project)
    assert edited[0] == 1
    assert '"check": "numbers"' in edited[1] and "100" in edited[1]
    for name, asked in calls.items():        # the edited translation once, else only plural forms
        assert len([text for text in asked if DOSE[1] in text]) == 1, name
        assert all("%(count)d" in text for text in asked if DOSE[1] not in text), name
    assert _check(project, "--no-cache") == edited


def test_without_records_every_translation_is_checked(tmp_path, calls):
    project = copy_project(tmp_path)
    assert run_cli(project, "sync", "--no-cache").exit_code == 0  # records nothing
    assert _check(project)[0] == 0
    assert calls["numbers"] and calls["citations"] and calls["placeholders"]


def test_the_records_answer_the_same_whichever_article_is_read_first(tmp_path):
    """A translation is known clean if any article's build recorded it; reading one article's records first
    (the fast path) changes nothing of the answer."""
    from pipeline.workflow.cache import Cache

    cache = Cache(tmp_path, "fingerprint")
    a, b, shared, unknown = b"a" * 16, b"b" * 16, b"s" * 16, b"u" * 16
    cache.keep_verdicts([("one", [a, shared]), ("two", [b, shared])])
    asked = {a, b, shared, unknown}
    expected = {a, b, shared}
    assert cache.clean_verdicts(asked) == expected
    for article in ("one", "two", "three"):
        assert cache.clean_verdicts(asked, article=article) == expected
    assert cache.clean_verdicts({a}, article="two") == {a}
    assert cache.clean_verdicts(set(), article="one") == set()
    cache.close()


def test_recording_an_article_again_leaves_exactly_its_new_keys(tmp_path):
    """A rebuilt article's keys replace its old ones (the ones it lost are gone, the new ones are there), and
    another article's records of the same keys are left as they were."""
    import sqlite3

    from pipeline.workflow.cache import Cache

    cache = Cache(tmp_path, "fingerprint")
    k = [bytes([n]) * 16 for n in range(6)]
    cache.keep_verdicts([("one", [k[0], k[1], k[2]]), ("two", [k[1], k[5]])])
    cache.keep_verdicts([("one", [k[1], k[2], k[3], k[3], k[4]])])
    cache.keep_verdicts([("two", [k[5]]), ("three", [])])
    cache.close()
    db = sqlite3.connect(tmp_path / "state.sqlite")
    rows = sorted(db.execute("SELECT slug, key FROM verdicts"))
    db.close()
    assert rows == [("one", k[1]), ("one", k[2]), ("one", k[3]), ("one", k[4]), ("two", k[5])]
