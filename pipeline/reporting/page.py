"""``l10n report``: the status page, one self-contained HTML file (styles, scripts and charts inline).

The tables are written here, every text escaped, so the page reads without scripts; the inline script sorts
and filters them and draws the charts with the vendored Chart.js (``vendor/``) from the page's own data
(a JSON block, ``<`` escaped). A Content-Security-Policy forbids every load from outside: the page opens
without a network. Nothing in it depends on the time it was made.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from html import escape
from importlib.resources import files
from typing import Any, cast

from pipeline.text.diff import word_diff
from pipeline.text.reasons import FALLBACK_REASONS

#: Fallback reasons, in the order a content lead reads them (gravest last).
REASONS = FALLBACK_REASONS
#: Findings listed one by one at most (the counts by check cover them all): a page stays quick to open.
MAX_FINDINGS = 2000
_CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; "
        "base-uri 'none'; form-action 'none'")


def _resource(name: str) -> str:
    return files(__package__).joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def chart_library() -> str:
    """The vendored Chart.js, ready to inline (its source-map comment dropped: the map is not shipped)."""
    code = _resource("vendor/chart.umd.min.js")
    code = re.sub(r"\n//# sourceMappingURL=\S*\s*$", "\n", code)
    if re.search(r"</script|<!--", code, re.IGNORECASE):
        raise ValueError("the vendored chart library cannot be inlined in a <script> element")
    return code


def _json_for_script(data: Any) -> str:
    """JSON that cannot end its ``<script>`` element early (``<``, ``>`` and ``&`` escaped)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _cell(value: int | float | str | None, key: str, *, text: str | None = None, cls: str = "") -> str:
    """A table cell holding a figure (``data-key``, and ``data-value`` for sorting and for tests)."""
    shown = text if text is not None else ("" if value is None else str(value))
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    attrs = f' data-key="{escape(key)}"'
    if number:
        attrs += f' data-value="{value}"'
    if cls or number:
        attrs += f' class="{escape((cls + " num").strip() if number else cls)}"'
    return f"<td{attrs}>{escape(shown)}</td>"


def _percent(share: float) -> str:
    return f"{share:.0%}"


def _heat_style(share: float) -> str:
    """Red (nothing translated) through amber to green (all of it), light enough for dark text."""
    return f"background-color: hsl({round(share * 120)}, 70%, {round(78 + share * 6)}%)"


def _reasons_text(by_reason: dict[str, int]) -> str:
    return ", ".join(f"{reason} {by_reason[reason]}" for reason in REASONS if by_reason.get(reason)) or "none"


def _figure_cells(row: dict[str, Any]) -> list[str]:
    units, words = row["units"], row["words"]
    return [
        _cell(units["translated"], "units.translated"), _cell(units["fuzzy"], "units.fuzzy"),
        _cell(units["untranslated"], "units.untranslated"), _cell(words["translated"], "words.translated"),
        _cell(words["fuzzy"], "words.fuzzy"), _cell(words["untranslated"], "words.untranslated"),
        _cell(row["translated_share"], "translated_share", text=_percent(row["translated_share"])),
    ]


_FIGURE_HEADERS = ("units done", "fuzzy", "untransl.", "words done", "fuzzy w.", "untr. w.", "translated")


def _review_cell(review: dict[str, Any] | None) -> str:
    """Approved units of the units to review, with the other states in the tooltip; "off" without review."""
    if review is None:
        return _cell("off", "review", cls="review off")
    approved = review["approved"]
    total = sum(review[s] for s in ("approved", "stale", "rejected", "unreviewed"))
    detail = ", ".join(f"{s} {review[s]}" for s in ("approved", "stale", "rejected", "unreviewed"))
    return (f'<td data-key="review" data-value="{approved}" class="review num" title="{escape(detail)}">'
            f'{approved}/{total}</td>')


def _th(names: tuple[str, ...] | list[str]) -> str:
    return "".join(f'<th scope="col"><button type="button" class="sort">{escape(n)}</button></th>' for n in names)


def _locales_table(status: dict[str, Any]) -> str:
    head = _th(["locale", "language", "articles", "published", *_FIGURE_HEADERS, "approved", "fallbacks",
                "held back", *REASONS])
    body = []
    for loc in status["locales"]:
        fb = loc["fallbacks"]
        cells = [_cell(loc["locale"], "locale", cls="code"), _cell(loc["name"], "name"),
                 _cell(loc["articles"], "articles"), _cell(loc["published"], "published"), *_figure_cells(loc),
                 _review_cell(loc.get("review")), _cell(fb["total"], "fallbacks.total"), _cell(fb["held_back"], "fallbacks.held_back"),
                 *(_cell(fb["by_reason"][r], f"fallbacks.{r}") for r in REASONS)]
        body.append(f'<tr data-locale="{escape(loc["locale"])}">{"".join(cells)}</tr>')
    return _table("locales-table", head, body)


def _table(ident: str, head: str, body: list[str], *, caption: str = "", tall: bool = False) -> str:
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    empty = "" if body else '<p class="empty">Nothing to show.</p>'
    return (f'<div class="scroll{" tall" if tall else ""}"><table id="{ident}" class="sortable">{cap}<thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>{empty}')


def _title(article: dict[str, Any]) -> str:
    return cast(str, article["title"] or article["slug"])  # the status JSON's strings


def _titles(status: dict[str, Any]) -> dict[str, str]:
    """Each article's title (its slug where it has none), by slug."""
    return {article["slug"]: _title(article) for article in status["articles"]}


def _heatmap(status: dict[str, Any]) -> str:
    codes = [loc["locale"] for loc in status["locales"]]
    head = _th(["article", *codes])
    body = []
    for article in status["articles"]:
        by_locale = {row["locale"]: row for row in article["locales"]}
        cells = [f'<th scope="row" class="title" data-key="title">{escape(_title(article))}'
                 f'<span class="slug">{escape(article["slug"])}</span></th>']
        for code in codes:
            row = by_locale.get(code)
            if row is None:
                cells.append('<td class="heat none" data-locale="{}">–</td>'.format(escape(code)))
                continue
            share = row["translated_share"]
            state = "published" if row["published"] else f"not published: {row['reason'] or ''}"
            mark = "" if row["published"] else ' <span class="unpub" aria-hidden="true">✕</span>'
            cells.append(f'<td class="heat num{"" if row["published"] else " unpublished"}" '
                         f'data-locale="{escape(code)}" data-value="{share}" style="{_heat_style(share)}" '
                         f'title="{escape(code)}: {_percent(share)} of units translated; {escape(state)}">'
                         f'{_percent(share)}{mark}</td>')
        body.append(f'<tr data-article="{escape(article["slug"])}">{"".join(cells)}</tr>')
    return _table("heatmap", head, body, caption="Share of units translated (✕: not published)")


def _articles_table(status: dict[str, Any]) -> str:
    head = _th(["article", "locale", *_FIGURE_HEADERS, "approved", "published", "why not", "fallbacks",
                "by reason"])
    body = []
    for article in status["articles"]:
        for row in article["locales"]:
            fb = row["fallbacks"]
            cells = [f'<td data-key="title" class="title">{escape(_title(article))}'
                     f'<span class="slug">{escape(article["slug"])}</span></td>',
                     _cell(row["locale"], "locale", cls="code"), *_figure_cells(row),
                     _review_cell(row.get("review")), _cell("yes" if row["published"] else "no", "published",
                           cls="yes" if row["published"] else "no"),
                     _cell(row["reason"] or "", "reason", cls="reason"),
                     _cell(fb["total"], "fallbacks.total"), _cell(_reasons_text(fb["by_reason"]), "fallbacks.by_reason")]
            body.append(f'<tr data-article="{escape(article["slug"])}" data-locale="{escape(row["locale"])}">'
                        f'{"".join(cells)}</tr>')
    return _table("articles-table", head, body)


def _checks_tables(checks: dict[str, Any]) -> str:
    findings = checks["findings"]
    counts: dict[tuple[str, str], int] = {}
    for f in findings:
        counts[(f["check"], f["severity"])] = counts.get((f["check"], f["severity"]), 0) + 1
    summary = [f'<tr data-check="{escape(check)}">{_cell(check, "check", cls="code")}'
               f'{_cell(severity, "severity", cls="sev-" + severity)}{_cell(n, "count")}</tr>'
               for (check, severity), n in sorted(counts.items())]
    rank = {"error": 0, "warning": 1, "info": 2}
    shown = sorted(findings, key=lambda f: rank.get(f["severity"], 3))[:MAX_FINDINGS]  # stable: file order kept
    rows = []
    for f in shown:
        where = f["path"] or ""
        if where and f["line"]:
            where += f":{f['line']}"
        rows.append(f'<tr data-check="{escape(f["check"])}" data-locale="{escape(f["locale"] or "")}">'
                    f'{_cell(f["check"], "check", cls="code")}{_cell(f["severity"], "severity", cls="sev-" + f["severity"])}'
                    f'{_cell(f["locale"] or "", "locale", cls="code")}{_cell(f["article"] or "", "article")}'
                    f'{_cell(where, "where", cls="where")}{_cell(f["message"], "message")}</tr>')
    verdict = escape(checks["summary"])
    return (f'<p class="verdict">{verdict}</p>'
            + _table("checks-summary", _th(["check", "severity", "findings"]), summary)
            + _filters("findings-table", with_locale=True)
            + _table("findings-table", _th(["check", "severity", "locale", "article", "file:line", "message"]),
                     rows, tall=True)
            + (f'<p class="empty" id="findings-left-out">{len(findings) - len(shown)} more finding(s) not shown '
               "(errors and warnings come first): <span class=\"code\">l10n check</span> lists them all.</p>"
               if len(shown) < len(findings) else ""))


def _filters(table: str, *, with_locale: bool = False) -> str:
    locale = (f'<label>locale <select data-locale-filter-for="{table}"><option value="">all</option></select>'
              '</label>') if with_locale else ""
    return (f'<div class="filters"><label>filter <input type="search" data-filter-for="{table}" '
            f'placeholder="text in any column"></label>{locale}</div>')


def _cards(status: dict[str, Any], checks: dict[str, Any], history: list[dict[str, Any]]) -> str:
    errors = sum(1 for f in checks["findings"] if f["severity"] == "error")
    last = history[-1]["date"] if history else "no sync recorded yet"
    cards = [("locales", str(len(status["locales"]))), ("articles", str(len(status["articles"]))),
             ("files out of date", str(status["pending_changes"])), ("check errors", str(errors)),
             ("last recorded sync", last)]
    return '<div class="cards">' + "".join(
        f'<div class="card" data-card="{escape(name)}"><span class="value">{escape(value)}</span>'
        f'<span class="label">{escape(name)}</span></div>' for name, value in cards) + "</div>"


#: Articles named one by one at most per locale in "Since the previous sync" (the count covers them all).
MAX_ENGLISH_CHANGED = 500


def _english_changed(slugs: list[str], titles: dict[str, str]) -> str:
    """The articles whose English a sync changed, by title where known (slug shown), cut after
    :data:`MAX_ENGLISH_CHANGED` with a note of how many more."""
    if not slugs:
        return '<p class="english-changed none">No article\'s English changed.</p>'
    items = "".join(f'<li data-article="{escape(slug)}">{escape(titles.get(slug) or slug)}'
                    f'<span class="slug">{escape(slug)}</span></li>' for slug in slugs[:MAX_ENGLISH_CHANGED])
    more = len(slugs) - MAX_ENGLISH_CHANGED
    note = f'<li class="more">…and {more} more</li>' if more > 0 else ""
    return (f'<p class="english-changed-label">English changed in {len(slugs)} article(s):</p>'
            f'<ul class="english-changed">{items}{note}</ul>')


def _since_previous(history: list[dict[str, Any]], titles: dict[str, str] | None = None) -> str:
    """Per locale, what its last recorded sync changed against the one before (from the history): its
    figures, and the articles whose English changed (``titles``: slug to title, where known)."""
    last: dict[str, list[dict[str, Any]]] = {}
    for row in history:
        last.setdefault(row["locale"], []).append(row)
    items = []
    for code, rows in last.items():
        if len(rows) < 2:
            continue
        before, now = rows[-2], rows[-1]
        parts = [f"{label} {before[key]} → {now[key]} ({now[key] - before[key]:+d})"
                 for key, label in (("words_translated", "words translated"), ("words_fuzzy", "fuzzy words"),
                                    ("words_untranslated", "untranslated words"), ("published", "published"))
                 if now[key] != before[key]]
        items.append(f'<li data-locale="{escape(code)}"><span class="code">{escape(code)}</span> '
                     f'({escape(before["date"])} → {escape(now["date"])}): {escape("; ".join(parts) or "no change in these figures")}'
                     f'{_english_changed(now.get("english_changed", []), titles or {})}</li>')
    return f'<h3>Since the previous sync</h3><ul id="since-previous">{"".join(items)}</ul>' if items else ""


#: Units listed one by one at most in "Went fuzzy" (the count covers them all).
MAX_FUZZY = 500


def _went_fuzzy(status: dict[str, Any]) -> str:
    """The units that went fuzzy because their English changed, with a word diff of the English (struck:
    taken out, underlined: put in), per article and locale."""
    rows = [(article, row, unit) for article in status["articles"] for row in article["locales"]
            for unit in row.get("went_fuzzy", ())]
    if not rows:
        return ('<p class="empty" id="went-fuzzy-none">No unit is waiting for a translator after a change of '
                "its English.</p>")
    head = _th(["article", "locale", "what changed in the English"])
    body = []
    for article, row, unit in rows[:MAX_FUZZY]:
        diff = "".join(escape(p.text) if p.op == "equal" else
                       f'<del>{escape(p.text)}</del>' if p.op == "delete" else f'<ins>{escape(p.text)}</ins>'
                       for p in word_diff(unit["previous"], unit["msgid"]))
        body.append(f'<tr data-article="{escape(article["slug"])}" data-locale="{escape(row["locale"])}">'
                    f'<td data-key="title" class="title">{escape(_title(article))}'
                    f'<span class="slug">{escape(article["slug"])}</span></td>'
                    f'{_cell(row["locale"], "locale", cls="code")}<td data-key="diff" class="diff">{diff}</td></tr>')
    more = len(rows) - MAX_FUZZY
    note = f'<p class="empty">…and {more} more (see <span class="code">l10n status --json</span>).</p>' \
        if more > 0 else ""
    return _table("went-fuzzy", head, body, caption=f"{len(rows)} unit(s) fuzzy since their English changed") + note


def page_head(title: str) -> str:
    """The start of one of our self-contained pages, to ``</head>``: the Content-Security-Policy that forbids
    every outside load, the page's styles inline, and ``title`` (escaped)."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>
{_resource("page.css")}
</style>
</head>"""


def render_page(status: dict[str, Any], checks: dict[str, Any], history: list[dict[str, Any]]) -> str:
    """The status page: ``status`` (the data of ``l10n status --json``), ``checks`` (``findings``: dicts of
    check, severity, message, path, line, locale, article; ``summary``: one line), ``history`` (the records of
    the progress history, oldest first)."""
    project = status["project"]
    data = {"locales": status["locales"], "history": history, "reasons": list(REASONS)}
    notes = []
    if status["stale"]:
        notes.append(f"{len(status['stale'])} article(s) changed since their catalogs were updated: "
                     + ", ".join(status["stale"]))
    if status["pending_changes"]:
        notes.append(f"{status['pending_changes']} file(s) are out of date: run `l10n sync`.")
    for orphan in status["orphans"]:
        notes.append(f"orphan catalog (its source article is gone; kept): {orphan}")
    notes_html = "".join(f"<li>{escape(n)}</li>" for n in notes)
    history_note = ("" if history else
                    '<p class="empty">No history yet: every sync that changes files adds a line per locale to '
                    "l10n-history.tsv.</p>")
    return f"""{page_head(f"Localization status: {project}")}
<body>
<header>
<h1>Localization status: {escape(project)}</h1>
<p class="sub">Source language <span class="code">{escape(status["source_language"])}</span>; figures as a sync
would leave them (<span class="code">l10n status --json</span>).</p>
{_cards(status, checks, history)}
{f'<ul class="notes">{notes_html}</ul>' if notes else ''}
</header>
<main>
<section id="locales">
<h2>Locales</h2>
{_locales_table(status)}
<div class="charts">
<figure><canvas id="chart-words" role="img" aria-label="Words per locale"></canvas>
<figcaption>Words translated, fuzzy and untranslated per locale</figcaption></figure>
<figure><canvas id="chart-fallbacks" role="img" aria-label="Fallbacks per locale by reason"></canvas>
<figcaption>Units of published pages shown in English, by reason</figcaption></figure>
</div>
</section>
<section id="progress">
<h2>Progress over time</h2>
{history_note}
<div class="charts wide"><figure><canvas id="chart-history" role="img"
aria-label="Words translated per locale over time"></canvas>
<figcaption>Words translated (solid) and left to translate, fuzzy or untranslated (dashed), per locale and
sync</figcaption></figure></div>
{_since_previous(history, _titles(status))}
<h3>Went fuzzy: English changed since the translation</h3>
{_went_fuzzy(status)}
</section>
<section id="heat">
<h2>Translated share: locale × article</h2>
{_filters("heatmap")}
{_heatmap(status)}
</section>
<section id="articles">
<h2>Articles</h2>
{_filters("articles-table", with_locale=True)}
{_articles_table(status)}
</section>
<section id="checks">
<h2>Checks</h2>
{_checks_tables(checks)}
</section>
</main>
<footer>Made by <span class="code">l10n report</span>. Charts: Chart.js (MIT licence), inlined.</footer>
<script type="application/json" id="l10n-data">{_json_for_script(data)}</script>
<script>
{chart_library()}
</script>
<script>
{_resource("page.js")}
</script>
</body>
</html>
"""
