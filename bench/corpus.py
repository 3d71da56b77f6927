"""Seeded synthetic corpus for the benchmark: a project folder shaped like the sample articles.

Each article has what the samples have: ``<title>`` and meta description, a byline (author, date, reading
time), a hero image with alt text and caption, a key takeaway with citation markers, sections with bold
lead-in lists (some with a table or a nested list), bare combined markers (``[1, 2]``, ``[2-4]``), a
Korean call-to-action line, a linked source list and the disclaimer: about 50 units and 1,000 words.
Text is drawn from phrase lists, so units differ between articles, while the disclaimer, the section
headings and a few boilerplate list items repeat across articles, as they do on a real site.

The ``small`` shape (:func:`generate_small_article`) is the many-small-articles site: two or three short
sections, one short list, a few sources, 150-300 words and about 8 KB of HTML an article.

Translations are fake but complete: the catalogs are created by the pipeline's own ``update`` and every
msgstr is then filled with a deterministic pseudo-translation of its msgid that keeps every placeholder
and citation marker, so a sync publishes every article fully translated.

    python bench/corpus.py --articles 1000 --locales ko,ja --seed 1 --out bench/out/corpus

The edit helpers (:func:`edit_articles`, :func:`edit_paragraphs`) change sources in place, the way an
author would, for the incremental scenarios of ``bench/run.py``.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

import polib

REPO = Path(__file__).resolve().parent.parent
#: Fixed header dates, so two runs of the benchmark write the same bytes.
SOURCE_DATE_EPOCH = "1767225600"

# ---- text material --------------------------------------------------------------------------------

TOPICS = [
    ("ferritin", "Ferritin Levels", "iron stores"), ("vitamin-d", "Vitamin D", "bone health"),
    ("neutropenia", "Neutropenia", "infection risk"), ("blood-pressure", "Blood Pressure", "heart health"),
    ("cholesterol", "Cholesterol", "artery health"), ("thyroid", "Thyroid Tests", "energy and metabolism"),
    ("a1c", "The A1C Test", "blood sugar control"), ("sleep-apnea", "Sleep Apnea", "restful sleep"),
    ("migraine", "Migraine", "headache relief"), ("asthma", "Asthma", "breathing"),
    ("kidney-function", "Kidney Function", "filtering the blood"), ("b12", "Vitamin B12", "nerve health"),
    ("platelets", "Platelet Counts", "blood clotting"), ("liver-enzymes", "Liver Enzymes", "liver health"),
    ("psa", "The PSA Test", "prostate health"), ("crp", "C-Reactive Protein", "inflammation"),
    ("potassium", "Potassium", "muscle and heart rhythm"), ("folate", "Folate", "healthy pregnancy"),
    ("hemoglobin", "Hemoglobin", "oxygen delivery"), ("sodium", "Sodium", "fluid balance"),
    ("uric-acid", "Uric Acid", "joint health"), ("magnesium", "Magnesium", "muscle function"),
    ("calcium", "Calcium", "strong bones"), ("tsh", "TSH Results", "thyroid balance"),
]
QUESTIONS = ["What Your {t} Test Can Tell You", "A Plain-Language Guide to {t}", "Understanding {t}",
             "{t}: What the Numbers Mean", "{t} Explained for Patients", "How to Read Your {t} Results"]
SECTION_HEADINGS = ["What Is {t}?", "Why Is {t} Measured?", "How Are Results Interpreted?",
                    "Common Causes of Changes in {t}", "Who May Be at Higher Risk?",
                    "How {t} Relates to {f}", "Tests Often Ordered Alongside {t}",
                    "Everyday Habits That May Help", "Questions to Ask Your Care Team"]
#: Headings every article shares (boilerplate, one catalog entry text across the site).
FIXED_HEADINGS = ["What You Can Do", "When to Seek Medical Advice"]
SUBJECTS = ["Your body", "A low result", "A high result", "Your healthcare provider", "The laboratory",
            "Many clinicians", "A single test", "Your care team", "Older adults", "People with diabetes",
            "Children", "Pregnant people", "A repeated test", "Recent illness", "Some medicines",
            "A normal result", "A borderline value", "Your symptoms", "The reference range", "A trend over time"]
VERBS = ["may point to", "often reflects", "can suggest", "does not always mean", "is usually read with",
         "helps explain", "can be affected by", "is rarely enough to confirm", "may change with",
         "should be compared with", "tends to follow", "is often linked with", "can hide", "may overstate"]
OBJECTS = ["changes in {f}", "an underlying condition", "inflammation or infection", "your usual diet",
           "how well treatment is working", "the amount of {t_l} in reserve", "a problem that needs attention",
           "short-term stress on the body", "the results of other blood tests", "your medical history",
           "a shortage that develops slowly", "the time of day the sample was taken", "recent exercise",
           "your age and sex", "medicines you take regularly", "a harmless variation"]
TAILS = ["", ", especially in adults", ", particularly after a recent illness", " in some people",
         ", so context matters", " over several months", ", according to most guidelines",
         " when symptoms are mild", ", even without symptoms", " more than people expect"]
EXTRAS = ["Ask whether the test should be repeated before any decision is made.",
          "Different laboratories may use slightly different methods and units.",
          "A result slightly outside the range is not always a cause for concern.",
          "Write down your questions before the appointment so none are forgotten.",
          "Bring a list of supplements and medicines, including those bought without a prescription.",
          "Levels can change from one day to the next, so one value is only a snapshot.",
          "Only a clinician who knows your history can say what the number means for you."]
LEADS = ["Check the units", "Look at the trend", "Consider other tests", "Think about timing",
         "Review your medicines", "Mind your diet", "Stay active", "Watch for symptoms", "Ask about retesting",
         "Keep a record", "Know your range", "Do not self-treat", "Plan follow-up", "Limit alcohol",
         "Sleep well", "Stay hydrated", "Share your history", "Note any changes"]
#: List items that recur across articles word for word, as site-wide advice does.
BOILERPLATE_ITEMS = [
    "<strong>Ongoing symptoms:</strong> See a healthcare provider about lasting tiredness, breathlessness "
    "with light activity, or any symptom that worries you.",
    "<strong>Sudden changes:</strong> New chest pain, fainting, or sudden weakness on one side of the body "
    "needs emergency care right away.",
    "<strong>Before changing treatment:</strong> Do not stop or start a medicine on the basis of one result "
    "without talking to your care team.",
    "<strong>Supplements:</strong> Ask before taking high-dose supplements, which can interact with "
    "prescription medicines.",
]
DISCLAIMER = ("<strong>Important Notice:</strong> This information is provided for general education only "
              "and is not a substitute for professional medical advice, diagnosis, or treatment. Always ask a "
              "qualified healthcare provider about any medical question or decision.")
CTA = "궁금한 점이 있으면 언제든지 건강 상담 서비스에 물어보세요."
SITES = ["medlineplus.gov", "ods.od.nih.gov", "nhlbi.nih.gov", "niddk.nih.gov", "cdc.gov", "nia.nih.gov",
         "pubmed.ncbi.nlm.nih.gov", "niams.nih.gov", "cancer.gov"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
#: Edits an author makes to a paragraph (prefixes, so the old translation is still the closest one).
EDIT_PREFIXES = ["In most cases, ", "Generally speaking, ", "According to current guidance, ",
                 "For many people, ", "As a rule, ", "In practice, "]


@dataclass(frozen=True, slots=True)
class Article:
    """A generated article."""

    slug: str
    html: str


class _Writer:
    """Draws the text of one article from a seeded generator."""

    def __init__(self, rng: random.Random, topic: tuple[str, str, str]) -> None:
        self.rng = rng
        self.t = topic[1]
        self.f = topic[2]
        self.t_l = topic[1].lower() if not topic[1].startswith(("The ", "TSH", "C-", "A1C")) else topic[1]
        self.sources = rng.randint(5, 8)
        self.pubmed = rng.randint(2, 40)

    def fill(self, text: str) -> str:
        return text.format(t=self.t, f=self.f, t_l=self.t_l)

    def sentence(self) -> str:
        r = self.rng
        text = f"{r.choice(SUBJECTS)} {r.choice(VERBS)} {self.fill(r.choice(OBJECTS))}{r.choice(TAILS)}."
        if r.random() < 0.15:
            text = text[:-1] + f", with values of {r.randint(2, 90)} to {r.randint(100, 400)}\u00a0ng/mL."
        if r.random() < 0.05:
            text = text[:-1] + f" (levels &lt; {r.randint(10, 60)} are often called low)."
        return text

    def cite(self) -> str:
        n = self.rng.randint(1, self.sources)
        label = f"PM{self.pubmed}" if self.rng.random() < 0.1 else str(n)
        return f'<sup class="cite"><a href="#src-{label}">[{label}]</a></sup>'

    def cites(self) -> str:
        return " ".join(self.cite() for _ in range(self.rng.choice((1, 1, 2))))

    def paragraph(self, sentences: int) -> str:
        r = self.rng
        parts = [self.sentence() for _ in range(sentences)]
        if r.random() < 0.35:
            parts.append(r.choice(EXTRAS))
        text = " ".join(parts)
        if r.random() < 0.25:
            a = r.randint(1, self.sources - 1)
            text += r.choice((f" [{a}, {a + 1}]", f" [{a}-{min(a + 2, self.sources)}]", f" [{a}]"))
        elif r.random() < 0.1:
            text += " Some details are <em>very important</em> for your own care."
        return text

    def item(self) -> str:
        r = self.rng
        body = " ".join(self.sentence() for _ in range(r.choice((1, 1, 2))))
        return f"<li><strong>{r.choice(LEADS)}:</strong> {body} {self.cites()}</li>"


def _section(w: _Writer, heading: str, kind: str) -> list[str]:
    r = w.rng
    lines = ["<section>", f"<h2>{heading}</h2>", f"<p>{w.paragraph(r.randint(2, 3))}</p>", "<ul>"]
    items = r.randint(3, 5)
    for k in range(items):
        if kind == "advice" and k < 2:
            lines.append(f"<li>{BOILERPLATE_ITEMS[(k + r.randint(0, 3)) % len(BOILERPLATE_ITEMS)]} "
                         f"{w.cites()}</li>")
        elif kind == "nested" and k == items - 1:
            lines += [f"<li><strong>{r.choice(LEADS)}:</strong> {w.sentence()[:-1]}, such as these:", "<ul>",
                      f"<li>{w.fill(r.choice(OBJECTS))}</li>", f"<li>{w.fill(r.choice(OBJECTS))}</li>",
                      "</ul>", "</li>"]
        else:
            lines.append(w.item())
    lines.append("</ul>")
    if kind == "table":
        low = r.randint(5, 40)
        lines += ["<table>", f"<caption>Example adult {w.t_l} ranges (check your own lab report)</caption>",
                  "<thead>", "<tr><th>Group</th><th>Example range</th><th>Comment</th></tr>", "</thead>",
                  "<tbody>"]
        for group in ("Adult men", "Adult women", "Possible low level"):
            lines.append(f"<tr><td>{group}</td><td>{low}\u2013{low + r.randint(50, 300)}</td>"
                         f"<td>{w.sentence()}</td></tr>")
        lines += ["</tbody>", "</table>"]
    elif kind == "link":
        lines.append(f'<p>Our <a href="https://example.org/{r.randint(1, 999)}">{w.t_l} checklist</a> lists '
                     "questions you may want to bring to your next appointment.</p>")
    elif r.random() < 0.5:
        lines.append(f"<p>{w.paragraph(2)}</p>")
    lines.append("</section>")
    return lines


def generate_article(rng: random.Random, index: int) -> Article:
    """One article, drawn from ``rng``."""
    topic = TOPICS[index % len(TOPICS)]
    w = _Writer(rng, topic)
    slug = f"{topic[0]}-{index:05d}"
    title = rng.choice(QUESTIONS).format(t=w.t)
    date = (2025 + rng.randint(0, 1), rng.randint(1, 12), rng.randint(1, 28))
    minutes = rng.randint(4, 9)
    note = (' data-l10n-note="Estimated reading time. Keep the number and use the short form for minutes."'
            if rng.random() < 0.3 else "")
    headings = rng.sample(SECTION_HEADINGS, 3)
    kinds = rng.sample(["table", "nested", "link", "plain"], 3)
    lines = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f"<title>{title} | Health Library</title>",
        f'<meta name="description" content="{w.sentence()} {w.sentence()} This article explains what '
        f'the results may mean.">', "</head>", "<body>", '<article class="health-article">', "<header>",
        '<p class="byline"><span class="author">Health Library Editorial Team</span> · '
        f'<time datetime="{date[0]}-{date[1]:02d}-{date[2]:02d}">{MONTHS[date[1] - 1]} {date[2]}, {date[0]}'
        f'</time> · <span class="reading-time"{note}>{minutes} min read</span></p>',
        f"<h1>{title}</h1>",
        f'<figure class="hero"><img src="images/{slug}.png" alt="Illustration of {w.t_l} and '
        f'{w.fill(rng.choice(OBJECTS))}"><figcaption>{w.sentence()}</figcaption></figure>', "</header>",
        '<section class="key-takeaway">', "<h2>Key Takeaway</h2>",
        f"<p>{w.sentence()}{w.cite()} {w.sentence()}{w.cites()} {w.sentence()}{w.cite()}</p>", "</section>",
    ]
    for heading, kind in zip(headings, kinds):
        lines += _section(w, w.fill(heading), kind)
    lines += _section(w, FIXED_HEADINGS[0], "plain")
    lines += _section(w, FIXED_HEADINGS[1], "advice")
    lines += ["<section>", "<h2>Bottom Line</h2>", f"<p>{w.paragraph(3)}{w.cites()}</p>", "</section>",
              f'<p class="cta" lang="ko">{CTA}</p>', '<section class="sources">', "<h2>Sources</h2>", "<ol>"]
    labels = [str(n) for n in range(1, w.sources + 1)] + [f"PM{w.pubmed}"]
    for label in labels:
        site = rng.choice(SITES)
        lines.append(f'<li id="src-{label}"><a class="backref" href="#top">^</a> <a class="source-title" '
                     f'href="https://{site}/{slug}/{label}">{w.fill(rng.choice(OBJECTS)).capitalize()}</a> '
                     f'<span class="source-site" translate="no">({site})</span></li>')
    lines += ["</ol>", "</section>", '<aside class="disclaimer">', f"<p>{DISCLAIMER}</p>", "</aside>",
              "</article>", "</body>", "</html>"]
    return Article(slug, "\n".join(lines) + "\n")


def generate_small_article(rng: random.Random, index: int) -> Article:
    """One small article (the ``small`` shape), drawn from ``rng``: a byline, a key takeaway, two or three short
    sections of a paragraph or two (one of them with a short list), a few sources and the disclaimer: 150 to 300
    words, about 8 KB of HTML."""
    topic = TOPICS[index % len(TOPICS)]
    w = _Writer(rng, topic)
    w.sources = rng.randint(2, 4)
    slug = f"{topic[0]}-{index:05d}"
    title = rng.choice(QUESTIONS).format(t=w.t)
    date = (2025 + rng.randint(0, 1), rng.randint(1, 12), rng.randint(1, 28))
    lines = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title} | Health Library</title>",
        f'<meta name="description" content="{w.sentence()} This short article explains what it may mean.">',
        f'<link rel="stylesheet" href="/assets/site.css?v={rng.randint(100, 999)}">', SITE_STYLE,
        "</head>", "<body>", SITE_NAV, '<article class="health-article">', "<header>",
        '<p class="byline"><span class="author">Health Library Editorial Team</span> · '
        f'<time datetime="{date[0]}-{date[1]:02d}-{date[2]:02d}">{MONTHS[date[1] - 1]} {date[2]}, {date[0]}'
        f'</time> · <span class="reading-time">{rng.randint(1, 3)} min read</span></p>',
        f"<h1>{title}</h1>", "</header>",
        '<section class="key-takeaway">', "<h2>Key Takeaway</h2>", f"<p>{w.sentence()}{w.cite()}</p>", "</section>",
    ]
    sections = rng.randint(2, 3)
    with_list = rng.randrange(sections)
    for k, heading in enumerate(rng.sample(SECTION_HEADINGS, sections)):
        lines += ["<section>", f"<h2>{w.fill(heading)}</h2>", f"<p>{w.paragraph(rng.randint(1, 2))}</p>"]
        if k == with_list:
            lines.append("<ul>")
            lines += [w.item() for _ in range(rng.randint(2, 4 - sections // 3))]
            lines.append("</ul>")
        elif rng.random() < 0.3:
            lines.append(f"<p>{rng.choice(EXTRAS)}</p>")
        lines.append("</section>")
    if rng.random() < 0.5:
        lines.append(f'<p class="cta" lang="ko">{CTA}</p>')
    lines += ['<section class="sources">', "<h2>Sources</h2>", "<ol>"]
    for label in [str(n) for n in range(1, w.sources + 1)]:
        site = rng.choice(SITES)
        lines.append(f'<li id="src-{label}"><a class="backref" href="#top">^</a> <a class="source-title" '
                     f'href="https://{site}/{slug}/{label}">{w.fill(rng.choice(OBJECTS)).capitalize()}</a> '
                     f'<span class="source-site" translate="no">({site})</span></li>')
    lines += ["</ol>", "</section>", '<aside class="disclaimer">', f"<p>{DISCLAIMER}</p>", "</aside>",
              "</article>", SITE_FOOTER, "</body>", "</html>"]
    return Article(slug, "\n".join(lines) + "\n")


#: The page furniture of a small article: inline critical CSS, a navigation bar with an inline SVG logo and a
#: footer, the same on every page (most of its ~8 KB of HTML, as on a real site).
SITE_STYLE = "<style>\n" + "\n".join(
    f".hl-{name} {{ margin: 0 auto; padding: {k % 4 * 4}px {k % 3 * 8}px; font: {14 + k % 5}px/1.5 system-ui, "
    f"-apple-system, 'Segoe UI', Roboto, sans-serif; color: #{k * 1234567 % 0xFFFFFF:06x}; }}"
    for k, name in enumerate(["page", "nav", "logo", "menu", "item", "link", "article", "byline", "takeaway",
                              "section", "list", "sources", "disclaimer", "footer", "legal", "cta", "figure",
                              "caption", "table", "note", "badge", "icon", "search", "skip"])) + "\n</style>"
SITE_NAV = ('<nav class="hl-nav" aria-label="Main"><a class="hl-logo" href="/"><svg viewBox="0 0 120 24" '
            'width="120" height="24" aria-hidden="true"><path d="' +
            " ".join(f"M{x} {4 + x % 7} l{3 + x % 5} {9 - x % 4} l{2 + x % 3} -{5 + x % 6} z" for x in range(0, 120, 4))
            + '" fill="#0a6"/></svg></a><ul class="hl-menu"><li class="hl-item"><a class="hl-link" href="/topics">'
            'Health Topics</a></li><li class="hl-item"><a class="hl-link" href="/tests">Lab Tests</a></li>'
            '<li class="hl-item"><a class="hl-link" href="/about">About Us</a></li></ul></nav>')
SITE_FOOTER = ('<footer class="hl-footer"><p class="hl-legal">Health Library is an educational service. '
               'Reviewed by our editorial team.</p></footer>')


#: The corpus shapes: ``long`` (about 53 units and 1,000 words an article) and ``small`` (150-300 words).
SHAPES = {"long": generate_article, "small": generate_small_article}


def config_text(locales: list[str]) -> str:
    """``l10n.yaml`` of a generated project (the sample project's settings, every locale published)."""
    return "\n".join([
        "# Synthetic benchmark corpus (bench/corpus.py).",
        "project: Health Library",
        "source_language: en",
        "locales:",
        *[f"  - {code}" for code in locales],
        "publish_threshold: 0.0",
        "ignore_selectors:",
        "  - .sources .source-title",
        "disclaimer_selector: .disclaimer, [data-l10n-role=disclaimer]",
        "reference_lines: false",
        "fuzzy_threshold: 0.6",
        "",
    ])


# ---- fake translations ------------------------------------------------------------------------------

#: Tokens a translation keeps as they are: anything tag-shaped, citation markers, entities, numbers.
_KEEP = re.compile(r"</?[A-Za-z][^<>]*>|\[(?:[A-Z]{1,4})?\d+(?:\s*[,\u2013-]\s*(?:[A-Z]{1,4})?\d+)*\]"
                   r"|&[a-zA-Z]+;|&#\d+;")
#: In a Latin-script locale the fake translation would change a unit after a number (min, mg, ng/mL) into
#: another word, which the pipeline's safety check rightly refuses: such units are kept there too.
_KEEP_LATIN = re.compile(_KEEP.pattern + r"|\d[\d.,]*[\s\u00a0]?[A-Za-z]+(?:/[A-Za-z]+)?")
_WORD = re.compile(r"[A-Za-z]+")
_ACCENTS = str.maketrans("aceinousyAEIOUCN", "\u00e0\u00e7\u00e9\u00ee\u00f1\u00f4\u00fc\u0161\u00fd"
                                            "\u00c0\u00c9\u00ce\u00d6\u00dc\u00c7\u00d1")


def _fake_word(word: str, locale: str) -> str:
    h = zlib.crc32(f"{locale}:{word}".encode())
    lang = locale.split("_")[0].split("-")[0]
    if lang == "ko":
        return "".join(chr(0xAC00 + (h >> (3 * i)) % 11172) for i in range(max(1, (len(word) + 1) // 3)))
    if lang in ("ja", "zh"):
        return "".join(chr(0x30A2 + (h >> (2 * i)) % 80) for i in range(max(1, (len(word) + 1) // 2)))
    return word.translate(_ACCENTS)


def fake_translation(msgid: str, locale: str) -> str:
    """A deterministic pseudo-translation of ``msgid`` keeping every placeholder, marker and number."""
    out: list[str] = []
    position = 0
    keep = _KEEP if locale.split("_")[0].split("-")[0] in ("ko", "ja", "zh") else _KEEP_LATIN
    for match in keep.finditer(msgid):
        out.append(_WORD.sub(lambda m: _fake_word(m.group(), locale), msgid[position:match.start()]))
        out.append(match.group())
        position = match.end()
    out.append(_WORD.sub(lambda m: _fake_word(m.group(), locale), msgid[position:]))
    return "".join(out)


def _formatter(root: Path = REPO):  # type: ignore[no-untyped-def]
    """The pipeline's canonical PO writer if it can be imported, else None (then ``update`` normalises).

    ``root`` holds the ``pipeline`` package; the first one imported in a process is the one used.
    """
    sys.path.insert(0, str(root))
    try:
        from pipeline.po.files import format_po  # noqa: PLC0415
    except ImportError:
        return None
    finally:
        sys.path.remove(str(root))
    return format_po


def fill_catalogs(folder: Path, locale: str, *, pipeline_root: Path = REPO) -> int:
    """Fill every msgstr of the catalogs in ``folder`` with a fake translation; return the entries filled.

    Written with the pipeline's own PO writer when it is importable (so the pipeline sees its own bytes).
    Works on any PO file (the peers' catalogs too): placeholders are whatever is tag-shaped.
    """
    fmt = _formatter(pipeline_root)
    filled = 0
    for path in sorted(folder.glob("*.po")):
        po = polib.pofile(str(path), wrapwidth=79)
        for entry in po:
            if entry.obsolete or not entry.msgid:
                continue
            entry.msgstr = fake_translation(entry.msgid, locale)
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            filled += 1
        if fmt is not None:
            path.write_text(fmt(po), encoding="utf-8")
        else:
            po.save(str(path))
    return filled


# ---- the project -----------------------------------------------------------------------------------

def pipeline_env(pipeline_root: Path = REPO) -> dict[str, str]:
    """Environment for ``python -m pipeline`` from ``pipeline_root`` (this checkout), fixed header dates."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(pipeline_root) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    # as installed (pip compiles the package): not recompiling every module at each start
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def write_project(out: Path, *, articles: int, locales: list[str], seed: int,
                  translate: bool = True, python: str = sys.executable,
                  pipeline_root: Path = REPO, shape: str = "long") -> dict[str, int]:
    """Generate the project folder ``out`` (replaced if it exists) of articles of a shape (``SHAPES``);
    return counts for the record."""
    if out.exists():
        shutil.rmtree(out)
    source = out / "source_articles"
    source.mkdir(parents=True)
    (out / "l10n.yaml").write_text(config_text(locales), encoding="utf-8")
    rng = random.Random(seed)
    size = 0
    generate = SHAPES[shape]
    for index in range(articles):
        article = generate(rng, index)
        (source / f"{article.slug}.html").write_text(article.html, encoding="utf-8")
        size += len(article.html.encode())
    counts = {"articles": articles, "source_bytes": size, "entries_filled": 0}
    if translate:
        update = [python, "-m", "pipeline", "--config", str(out / "l10n.yaml"), "-q", "update"]
        subprocess.run(update, check=True, env=pipeline_env(pipeline_root), cwd=out)
        for code in locales:
            counts["entries_filled"] += fill_catalogs(out / "locales" / code, code, pipeline_root=pipeline_root)
        if _formatter(pipeline_root) is None:  # polib wrote them: the pipeline rewrites them in its own form
            subprocess.run(update, check=True, env=pipeline_env(pipeline_root), cwd=out)
    return counts


# ---- edits -----------------------------------------------------------------------------------------

_EDITABLE = re.compile(r"^<(?:p|li)>(?:<strong>[^<]*</strong> )?(?=[A-Z])", re.M)


def _editable_lines(text: str) -> list[re.Match[str]]:
    return [m for m in _EDITABLE.finditer(text) if "Important Notice" not in text[m.end():m.end() + 40]]


def _edit(text: str, match: re.Match[str], rng: random.Random) -> str:
    rest = text[match.end():]
    edited = rng.choice(EDIT_PREFIXES) + rest[0].lower() + rest[1:]
    return text[:match.end()] + edited


def edit_articles(source: Path, count: int, *, seed: int, per_article: int = 2) -> list[str]:
    """Edit ``per_article`` paragraphs or list items in each of ``count`` articles; return their slugs."""
    rng = random.Random(seed)
    paths = sorted(source.glob("*.html"))
    chosen = rng.sample(paths, min(count, len(paths)))
    for path in chosen:
        text = path.read_text(encoding="utf-8")
        for _ in range(per_article):
            lines = _editable_lines(text)
            text = _edit(text, rng.choice(lines), rng)
        path.write_text(text, encoding="utf-8")
    return sorted(p.stem for p in chosen)


def edit_paragraphs(source: Path, share: float, *, seed: int) -> tuple[int, int, list[str]]:
    """Edit ``share`` of all paragraphs and list items of the corpus (seeded choice).

    Returns (paragraphs edited, paragraphs in the corpus, slugs of the articles touched).
    """
    rng = random.Random(seed)
    paths = sorted(source.glob("*.html"))
    texts = {p: p.read_text(encoding="utf-8") for p in paths}
    slots = [(p, k) for p in paths for k in range(len(_editable_lines(texts[p])))]
    chosen = rng.sample(slots, max(1, round(len(slots) * share)))
    by_path: dict[Path, list[int]] = {}
    for path, k in chosen:
        by_path.setdefault(path, []).append(k)
    for path, indices in by_path.items():
        text = texts[path]
        for k in sorted(indices, reverse=True):  # from the end, so earlier offsets stay valid
            text = _edit(text, _editable_lines(text)[k], rng)
        path.write_text(text, encoding="utf-8")
    return len(chosen), len(slots), sorted(p.stem for p in by_path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--locales", default="ko,ja", help="comma-separated gettext codes (default ko,ja)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out" / "corpus")
    parser.add_argument("--shape", choices=sorted(SHAPES), default="long", help="article shape (default long)")
    parser.add_argument("--no-translate", action="store_true", help="sources and l10n.yaml only")
    args = parser.parse_args(argv)
    locales = [c.strip() for c in args.locales.split(",") if c.strip()]
    counts = write_project(args.out, articles=args.articles, locales=locales, seed=args.seed,
                           translate=not args.no_translate, shape=args.shape)
    print(f"wrote {args.out}: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
