"""``l10n review report --format html``: a locale's review report as one self-contained HTML page.

The same figures as ``--format json`` (``workflow.review.review_report``): per article the approved share,
the rejections by category and severity and the MQM-style score; a chart of the rejections by category,
stacked by severity, drawn by the vendored Chart.js. Every text is escaped; the page loads nothing from
outside (the status page's Content-Security-Policy).
"""

from __future__ import annotations

from html import escape
from typing import Any

from pipeline.core.review_terms import REVIEW_CATEGORIES, REVIEW_SEVERITIES
from pipeline.reporting.page import _cell, _json_for_script, chart_library, page_head

_STATES = ("approved", "stale", "rejected", "unreviewed", "untranslated")

_CHART = """
const data = JSON.parse(document.getElementById("review-data").textContent);
const colours = {minor: "#e0b040", major: "#d0702a", critical: "#b02020"};
new Chart(document.getElementById("chart-rejections"), {
  type: "bar",
  data: {labels: data.categories, datasets: data.severities.map(severity => ({
    label: severity, backgroundColor: colours[severity],
    data: data.categories.map(category => data.total.rejections
      .filter(r => r.category === category && r.severity === severity)
      .reduce((sum, r) => sum + r.count, 0))}))},
  options: {animation: false, responsive: true, scales: {x: {stacked: true}, y: {stacked: true, beginAtZero: true,
    ticks: {precision: 0}}}}
});
"""


def _row(name: str, figures: dict[str, Any], *, total: bool = False) -> str:
    units = figures["units"]
    rejections = ", ".join(f"{r['count']} {r['category']}/{r['severity']}" for r in figures["rejections"])
    score = figures["score"]
    passed = figures["passed"]
    verdict = "-" if passed is None else ("passes" if passed else "fails")
    cells = [f'<th scope="row">{escape(name)}</th>',
             *(_cell(units[state], f"units.{state}") for state in _STATES),
             _cell(round(100 * figures["approved_share"]), "approved_share", text=f"{figures['approved_share']:.0%}"),
             _cell(rejections or "-", "rejections"),
             _cell(figures["penalty"], "penalty", text=f"{figures['penalty']:g}"),
             _cell(score, "score", text="-" if score is None else f"{score:.1f}"),
             _cell(verdict, "passed", cls="" if passed is None else ("ok" if passed else "bad"))]
    return f'<tr{" class=total" if total else ""} data-article="{escape(name)}">{"".join(cells)}</tr>'


def review_report_html(data: dict[str, Any], *, project: str) -> str:
    """The review report page for ``data`` (``workflow.review.review_report``)."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in (
        "article", *_STATES, "words approved", "rejections", "penalty", "score", "verdict"))
    rows = "".join(_row(a["article"], a) for a in data["articles"]) + _row("total", data["total"], total=True)
    weights = ", ".join(f"{escape(k)} {v:g}" for k, v in data["weights"].items())
    chart_data = {"categories": list(REVIEW_CATEGORIES), "severities": list(REVIEW_SEVERITIES),
                  "total": data["total"]}
    locale = escape(data["locale"])
    return f"""{page_head(f"Clinical review: {project}, {data['locale']}")}
<body>
<header>
<h1>Clinical review: {escape(project)}, <span class="code">{locale}</span></h1>
<p class="sub">Review mode <span class="code">{escape(data["review"])}</span>. Score: MQM-style penalty points
(weights {weights}) per 1,000 reviewed English words; passes at {data["max_penalty"]:g} or less.</p>
</header>
<main>
<section id="review">
<h2>Articles</h2>
<table id="review-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>
<div class="charts"><figure><canvas id="chart-rejections" role="img" aria-label="Rejections by category and
severity"></canvas><figcaption>Rejections of the current English, by category and severity</figcaption></figure>
</div>
</section>
</main>
<footer>Made by <span class="code">l10n review report</span>. Charts: Chart.js (MIT licence), inlined.</footer>
<script type="application/json" id="review-data">{_json_for_script(chart_data)}</script>
<script>
{chart_library()}
</script>
<script>
{_CHART}
</script>
</body>
</html>
"""
