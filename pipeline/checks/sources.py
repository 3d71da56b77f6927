"""Checks of the source articles themselves: text the pipeline leaves alone that an author may want marked.

``foreign-script``: a passage in another script than the source language's, without a ``lang`` (a Korean
call to action inside an English page). It is not extracted, since it is not English: it passes to every
output unchanged. Reported so the author can mark it (``lang="ko"``, or ``translate="no"``); the rule and
its limits are ``html.extract.collect_slots``'s.
"""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.checks.context import ArticleContext
from pipeline.checks.kinds import check
from pipeline.core.model import Finding, Severity
from pipeline.core.wording import quote

#: ISO 15924 code -> English name, and the language to suggest for ``lang`` where one script says it.
_NAMES = {"Hang": "Hangul", "Hani": "Han", "Hira": "Hiragana", "Kana": "Katakana", "Arab": "Arabic",
          "Cyrl": "Cyrillic", "Grek": "Greek", "Hebr": "Hebrew", "Deva": "Devanagari", "Thai": "Thai",
          "Latn": "Latin", "Beng": "Bengali", "Taml": "Tamil", "Geor": "Georgian", "Armn": "Armenian",
          "Ethi": "Ethiopic", "Zyyy": "another script"}
_LANGUAGE = {"Hang": "ko", "Hira": "ja", "Kana": "ja", "Hebr": "he", "Thai": "th", "Geor": "ka", "Armn": "hy",
             "Grek": "el"}


@check("foreign-script", Severity.INFO,
       "source text in another script than the source language's, without a lang attribute: passed "
       "through untranslated; mark it with its lang (or translate=\"no\")", per_article=True)
def check_foreign_script(ctx: ArticleContext) -> Iterator[Finding]:
    for run in ctx.source.foreign:
        names = " and ".join(_NAMES.get(code, code) for code in run.scripts[:2])
        language = next((_LANGUAGE[code] for code in run.scripts if code in _LANGUAGE), None)
        mark = f'lang="{language}"' if language else "the lang of its language"
        yield ctx.source.finding("foreign-script", f"text in {names} without a lang attribute is not "
                                 f"translated (it is not {ctx.config.source_language}): {quote(run.text)}; "
                                 f'mark its element with {mark}, or translate="no"', line=run.line)
