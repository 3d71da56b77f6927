"""``l10n.yaml`` -> a frozen Config; every error names the file and line. Also edits it, comments kept."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from pipeline.core.errors import ConfigError, LocaleError
from pipeline.core.files import write_atomic
from pipeline.core.locales import LocaleInfo, parse_locale
from pipeline.core.model import CountPhrase

CONFIG_NAME = "l10n.yaml"
DEFAULT_DISCLAIMER_SELECTOR = ".disclaimer, [data-l10n-role=disclaimer]"
#: Share of an article's units that must be translated for it to be published under a target language: an
#: article mostly in English is not a Korean page. 0 (set explicitly) publishes every article, translated or not.
DEFAULT_PUBLISH_THRESHOLD = 0.5
#: JSON-LD properties whose text is translated (of the page's own objects; see ``segment.jsonld_texts``).
DEFAULT_JSONLD_FIELDS = ("headline", "alternativeHeadline", "description", "name")


#: A published page's URL: ``{base_url}``, ``{lang}`` (BCP 47) and ``{slug}`` are filled in.
DEFAULT_URL_PATTERN = "{base_url}/{lang}/{slug}.html"

#: Clinical review (README "Clinical review"): ``off`` publishes translated units as they are; ``required``
#: publishes a unit only once a reviewer approved it; ``sections`` publishes an article only once every unit
#: of its review sections is approved (other units when translated).
REVIEW_MODES = ("off", "required", "sections")
#: The blocks whose units must be approved under ``review: sections``: the disclaimer, doses and warnings.
DEFAULT_REVIEW_SECTIONS = ("[data-l10n-role=dosage]", "[data-l10n-role=warning]")
#: MQM-style penalty points per rejection, by severity (the MQM-DQF defaults).
DEFAULT_REVIEW_WEIGHTS = (("minor", 1.0), ("major", 5.0), ("critical", 10.0))
#: The highest penalty, in points per 1,000 reviewed source words, that passes (``review-score``).
DEFAULT_REVIEW_MAX_PENALTY = 10.0


@dataclass(frozen=True, slots=True)
class ReviewSettings:
    """How clinical review gates publishing and scores rejections (``review:`` in ``l10n.yaml``)."""

    mode: str = "off"                                   #: the default for locales without their own
    #: CSS selectors of the blocks ``review: sections`` requires (the disclaimer always is one)
    sections: tuple[str, ...] = DEFAULT_REVIEW_SECTIONS
    weights: tuple[tuple[str, float], ...] = DEFAULT_REVIEW_WEIGHTS
    max_penalty: float = DEFAULT_REVIEW_MAX_PENALTY

    def weight(self, severity: str) -> float:
        """Penalty points of one rejection of this severity."""
        return dict(self.weights).get(severity, 0.0)


@dataclass(frozen=True, slots=True)
class LocaleConfig:
    """A target locale and its own settings."""

    info: LocaleInfo
    publish_threshold: float
    url_pattern: str | None = None     #: this locale's page URLs (else the project's ``url_pattern``)
    review: str = "off"                #: one of REVIEW_MODES

    @property
    def code(self) -> str:
        """The gettext spelling (``pt_BR``)."""
        return self.info.gettext


@dataclass(frozen=True, slots=True)
class Config:
    """The project's settings, validated. Paths are absolute."""

    root: Path
    path: Path
    project: str = "Health Library"
    bugs_address: str = ""
    source_language: str = "en"
    source_dir: Path = Path("source_articles")
    locales_dir: Path = Path("locales")
    output_dir: Path = Path("output")
    locales: tuple[LocaleConfig, ...] = ()
    ignore_selectors: tuple[str, ...] = ()
    disclaimer_selector: str = DEFAULT_DISCLAIMER_SELECTOR
    reference_lines: bool = False
    fuzzy_threshold: float = 0.6
    memory_threshold: float = 0.8
    count_phrases: tuple[CountPhrase, ...] = ()
    format_dates: bool = True
    jsonld_fields: tuple[str, ...] = DEFAULT_JSONLD_FIELDS
    max_source_bytes: int = 5_000_000
    #: where the site publishes the pages (``https://example.org/health``); empty: no sitemap or URLs
    base_url: str = ""
    url_pattern: str = DEFAULT_URL_PATTERN
    review: ReviewSettings = field(default_factory=ReviewSettings)
    #: settings validated by the modules that own them (``checks``, ``glossary``), as plain data
    checks: dict[str, Any] = field(default_factory=dict)
    glossary: Any = None
    #: the parsed YAML, for :func:`setting_error` to find line numbers
    raw: Any = field(default=None, repr=False, compare=False)

    def setting_error(self, message: str, *keys: Any, hint: str | None = None) -> ConfigError:
        """A ConfigError pointing at the line of ``keys`` (a path into l10n.yaml) or its nearest parent."""
        node: Any = self.raw
        line = 1 if node is not None else None
        for key in keys:
            if node is None:
                break
            try:
                found = _line(node, key)
                node = node[key]
            except (KeyError, IndexError, TypeError):
                break
            line = found or line
        return ConfigError(message, path=self.path, line=line, hint=hint)

    @property
    def templates_dir(self) -> Path:
        """Where the POT files live."""
        return self.locales_dir / "templates"

    def locale(self, code: str) -> LocaleConfig:
        """The configured locale for a code in either spelling; LocaleError if not configured."""
        wanted = parse_locale(code).gettext
        for loc in self.locales:
            if loc.code == wanted:
                return loc
        raise LocaleError(f"locale {code!r} is not configured in {self.path.name}",
                          hint=f"add it with `l10n init {code}`")


_KEYS = {"base_url", "url_pattern", "review", "checks", "glossary", "project", "bugs_address", "source_language", "source_dir", "locales_dir", "output_dir",
         "locales", "publish_threshold", "ignore_selectors", "disclaimer_selector", "reference_lines",
         "fuzzy_threshold", "memory_threshold",
         "count_phrases", "format_dates", "max_source_bytes", "jsonld_fields"}


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 100
    return yaml


def _line(node: Any, key: Any = None) -> int | None:
    # ruamel.yaml types its line/column record (LineCol) as Any: the positions are ints, counted from 0
    lc = getattr(node, "lc", None)
    if lc is None:
        return None
    try:
        if key is None:
            return cast(int, lc.line) + 1
        if isinstance(node, CommentedMap):
            return cast(int, lc.key(key)[0]) + 1
        return cast(int, lc.item(key)[0]) + 1
    except (KeyError, IndexError, TypeError):
        return cast(int, lc.line) + 1


def find_config(start: Path) -> Path:
    """The ``l10n.yaml`` in ``start`` or its nearest parent; ConfigError if there is none."""
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    raise ConfigError(f"no {CONFIG_NAME} in {start} or any parent folder",
                      hint="run l10n from the project root, or pass --config PATH")


def parse_yaml(text: str, *, path: Path) -> Any:
    """YAML text -> ruamel's round-trip data (with line numbers); ConfigError with the line if it is not YAML."""
    try:
        return _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise ConfigError(f"invalid YAML: {exc.problem or exc.context}", path=path,
                          line=mark.line + 1 if mark else None) from None
    except YAMLError as exc:
        raise ConfigError(f"invalid YAML: {exc}", path=path) from None


def load_config(path: Path) -> Config:
    """Read and validate ``l10n.yaml``; ConfigError with file and line on any problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{CONFIG_NAME} not found", path=path,
                          hint="create it (see the README) or pass --config PATH") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", path=path) from None
    return config_from_text(text, path=path)


def config_from_text(text: str, *, path: Path) -> Config:
    """Validate the text of an ``l10n.yaml`` that lives (or is about to be written) at ``path``."""
    data = parse_yaml(text, path=path)
    if data is None:
        data = CommentedMap()
    if not isinstance(data, CommentedMap):
        raise ConfigError("expected a mapping of settings at the top level", path=path, line=1)
    return _validate(data, path)


def _validate(data: CommentedMap, path: Path) -> Config:
    root = path.parent.resolve()

    def fail(message: str, key: Any = None, node: Any = data, hint: str | None = None) -> ConfigError:
        return ConfigError(message, path=path, line=_line(node, key), hint=hint)

    for key in data:
        if key not in _KEYS:
            raise fail(f"unknown setting {key!r}", key, hint="known settings: " + ", ".join(sorted(_KEYS)))

    def text(key: str, default: str) -> str:
        value = data.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise fail(f"{key} must be a non-empty string", key)
        return str(value)

    def number(key: str, value: Any, node: Any = data, where: Any = None) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise fail(f"{key} must be a number from 0 to 1, not {value!r}", where if where is not None else key, node)
        return float(value)

    def folder(key: str, default: str) -> Path:
        value = Path(text(key, default))
        resolved = (root / value).resolve()
        if value.is_absolute() or (resolved != root and root not in resolved.parents):
            raise fail(f"{key} must be a folder inside the project, not {str(value)!r}", key)
        return resolved

    source_language = text("source_language", "en").lower()
    default_threshold = number("publish_threshold", data.get("publish_threshold", DEFAULT_PUBLISH_THRESHOLD))
    review = _review(data.get("review"), fail)
    locales_node = data.get("locales", [])
    if not isinstance(locales_node, list):
        raise fail("locales must be a list of locale codes", "locales")
    locales: list[LocaleConfig] = []
    seen: set[str] = set()
    for index, item in enumerate(locales_node):
        threshold = default_threshold
        pattern = None
        mode = review.mode
        if isinstance(item, dict):
            unknown = set(item) - {"code", "publish_threshold", "url_pattern", "review"}
            if unknown or "code" not in item:
                raise fail("a locale entry is a code, or a mapping with `code`, `publish_threshold`, "
                           "`url_pattern` and `review`", index, locales_node)
            if "review" in item:
                mode = _review_mode(item["review"], lambda m: fail(m, "review", item))
            code = item["code"]
            if "publish_threshold" in item:
                threshold = number("publish_threshold", item["publish_threshold"], item, "publish_threshold")
            if "url_pattern" in item:
                pattern = _url_pattern(item["url_pattern"], lambda m: fail(m, "url_pattern", item), lang=False)
        else:
            code = item
        try:
            info = parse_locale(str(code))
        except LocaleError as exc:
            raise ConfigError(exc.message, path=path, line=_line(locales_node, index), hint=exc.hint) from None
        if info.gettext.lower() == source_language.replace("-", "_"):
            raise fail(f"locale {code!r} is the source language", index, locales_node,
                       hint=f"a target is another language, or a regional variant such as {source_language}_GB")
        if info.gettext in seen:
            raise fail(f"locale {code!r} is listed twice", index, locales_node)
        seen.add(info.gettext)
        locales.append(LocaleConfig(info, threshold, pattern, mode))

    selectors = data.get("ignore_selectors", [])
    if not isinstance(selectors, list) or not all(isinstance(s, str) for s in selectors):
        raise fail("ignore_selectors must be a list of CSS selectors", "ignore_selectors")
    jsonld_fields = data.get("jsonld_fields", list(DEFAULT_JSONLD_FIELDS))
    if not isinstance(jsonld_fields, list) or not all(isinstance(f, str) and f.strip() for f in jsonld_fields):
        raise fail("jsonld_fields must be a list of JSON-LD property names (headline, description, ...)",
                   "jsonld_fields")
    flags = {}
    for key, default in (("reference_lines", False), ("format_dates", True)):
        flags[key] = data.get(key, default)
        if not isinstance(flags[key], bool):
            raise fail(f"{key} must be true or false", key)
    max_bytes = data.get("max_source_bytes", 5_000_000)
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
        raise fail("max_source_bytes must be a positive whole number of bytes", "max_source_bytes")
    phrases_node = data.get("count_phrases", [])
    if not isinstance(phrases_node, list):
        raise fail("count_phrases must be a list", "count_phrases")
    phrases = []
    for index, item in enumerate(phrases_node):
        forms = (item, item) if isinstance(item, str) else (
            (item.get("singular"), item.get("plural", item.get("singular"))) if isinstance(item, dict) else (None, None))
        if not all(isinstance(f, str) and f.count("{count}") == 1 for f in forms):
            raise fail("a count phrase is a text with {count} once (\"{count} min read\"), or a mapping "
                       "with singular and plural", index, phrases_node)
        phrases.append(CountPhrase(*forms))
    config = Config(
        root=root,
        path=path.resolve(),
        project=text("project", "Health Library"),
        bugs_address=str(data.get("bugs_address", "") or ""),
        source_language=source_language,
        source_dir=folder("source_dir", "source_articles"),
        locales_dir=folder("locales_dir", "locales"),
        output_dir=folder("output_dir", "output"),
        locales=tuple(locales),
        ignore_selectors=tuple(str(s) for s in selectors),
        disclaimer_selector=text("disclaimer_selector", DEFAULT_DISCLAIMER_SELECTOR),
        reference_lines=flags["reference_lines"],
        format_dates=flags["format_dates"],
        count_phrases=tuple(phrases),
        jsonld_fields=tuple(str(f).strip() for f in jsonld_fields),
        max_source_bytes=max_bytes,
        base_url=_base_url(data.get("base_url", ""), lambda m: fail(m, "base_url")),
        url_pattern=_url_pattern(data.get("url_pattern", DEFAULT_URL_PATTERN), lambda m: fail(m, "url_pattern")),
        fuzzy_threshold=number("fuzzy_threshold", data.get("fuzzy_threshold", 0.6)),
        memory_threshold=number("memory_threshold", data.get("memory_threshold", 0.8)),
        review=review,
        checks=_plain(data.get("checks")) or {},
        glossary=_plain(data.get("glossary")),
        raw=data,
    )
    _check_selectors(config, data, fail)
    return config


def _base_url(value: Any, fail: Any) -> str:
    """An absolute http(s) URL without a trailing slash (or empty: no site)."""
    from urllib.parse import urlsplit

    if value in ("", None):
        return ""
    parts = urlsplit(str(value)) if isinstance(value, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise fail(f"base_url must be an absolute http(s) URL such as https://example.org/health, not {value!r}")
    return str(value).rstrip("/")


def _url_pattern(value: Any, fail: Any, *, lang: bool = True) -> str:
    """A URL pattern with {slug} and (the project's) {lang}, usually {base_url}; nothing else in braces."""
    needs = "{lang} and {slug}" if lang else "{slug}"
    message = (f"url_pattern must be a text with {needs} (and {{base_url}}), such as {DEFAULT_URL_PATTERN}, "
               f"not {value!r}")
    if not isinstance(value, str) or "{slug}" not in value or (lang and "{lang}" not in value):
        raise fail(message)
    try:
        value.format(base_url="", lang="", slug="")
    except (KeyError, IndexError, ValueError):
        raise fail(message) from None
    return value


def _review_mode(value: Any, fail: Any) -> str:
    """One of REVIEW_MODES (YAML 1.1 reads a bare ``off`` as false: that is ``off`` too)."""
    if value is False:
        return "off"
    if not isinstance(value, str) or value not in REVIEW_MODES:
        raise fail(f"review must be one of {', '.join(REVIEW_MODES)}, not {value!r}")
    return value


def _review(node: Any, fail: Any) -> ReviewSettings:
    """``review:`` -> ReviewSettings: a mode alone (``review: required``), or a mapping with ``mode``,
    ``sections`` (CSS selectors), ``weights`` (minor, major, critical) and ``max_penalty``."""
    if node is None:
        return ReviewSettings()
    if not isinstance(node, dict):
        return ReviewSettings(mode=_review_mode(node, lambda m: fail(m, "review")))
    unknown = set(node) - {"mode", "sections", "weights", "max_penalty"}
    if unknown:
        raise fail(f"unknown review setting {sorted(unknown)[0]!r}", sorted(unknown)[0], node,
                   hint="review settings: mode, sections, weights, max_penalty")
    mode = _review_mode(node.get("mode", "off"), lambda m: fail(m, "mode", node))
    sections = node.get("sections", list(DEFAULT_REVIEW_SECTIONS))
    if not isinstance(sections, list) or not all(isinstance(s, str) and s.strip() for s in sections):
        raise fail("review sections must be a list of CSS selectors", "sections", node)
    weights = dict(DEFAULT_REVIEW_WEIGHTS)
    given = node.get("weights", {})
    if not isinstance(given, dict) or set(given) - set(weights):
        raise fail("review weights are a mapping of minor, major and critical to penalty points", "weights", node)
    for severity, value in given.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise fail(f"the weight of {severity} must be a number of points, 0 or more", severity, given)
        weights[severity] = float(value)
    limit = node.get("max_penalty", DEFAULT_REVIEW_MAX_PENALTY)
    if isinstance(limit, bool) or not isinstance(limit, (int, float)) or limit < 0:
        raise fail("review max_penalty is penalty points per 1,000 reviewed words, 0 or more", "max_penalty", node)
    return ReviewSettings(mode, tuple(str(s) for s in sections), tuple(weights.items()), float(limit))


def _plain(value: Any) -> Any:
    """ruamel's commented containers -> plain dicts and lists."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _check_selectors(config: Config, data: CommentedMap, fail: Any) -> None:
    from lxml.cssselect import CSSSelector, SelectorError  # lxml is the one HTML dependency

    for key, values in (("ignore_selectors", config.ignore_selectors),
                        ("disclaimer_selector", (config.disclaimer_selector,)),
                        ("review", config.review.sections)):
        for value in values:
            try:
                CSSSelector(value, translator="html")
            except SelectorError as exc:
                raise fail(f"invalid CSS selector {value!r}: {exc}", key) from None


def add_locale(path: Path, code: str) -> tuple[LocaleInfo, bool]:
    """Record a locale in ``l10n.yaml``; return it and whether it was added.

    The file keeps its own indentation and every comment above the setting it describes; the new
    text is validated before it is written, so a refused locale (the source language, a code babel
    does not know) leaves the file untouched.
    """
    from io import StringIO

    from ruamel.yaml.util import load_yaml_guess_indent

    info = parse_locale(code)
    config = load_config(path)
    if any(loc.code == info.gettext for loc in config.locales):
        return info, False
    if info.gettext.lower() == config.source_language.replace("-", "_"):
        raise config.setting_error(
            f"{code!r} is the source language of this project; nothing was written", "source_language",
            hint=f"a target is another language, or a regional variant such as {config.source_language}_GB")
    text = path.read_text(encoding="utf-8")
    yaml = _yaml()
    data, indent, offset = load_yaml_guess_indent(text, yaml=yaml)
    if data is None:
        data = CommentedMap()
    if indent is not None:
        offset = offset or 0
        yaml.indent(mapping=max(2, indent - offset), sequence=indent, offset=offset)
    locales = data.get("locales")
    if locales is None:
        locales = CommentedSeq()
        data["locales"] = locales
    locales.append(info.gettext)
    _keep_comment_below(locales)
    buffer = StringIO()
    yaml.dump(data, buffer)
    new_text = buffer.getvalue()
    config_from_text(new_text, path=path)
    write_atomic(path, new_text.encode("utf-8"), durable=True)
    return info, True


def _keep_comment_below(items: CommentedSeq) -> None:
    """After an append: the comment lines that followed the old last item describe the next setting;
    ruamel keeps them on that item, so the new one would land below them. Move them after the new one."""
    import copy

    if len(items) < 2:
        return
    last = len(items) - 2
    item = items[last]
    if isinstance(item, CommentedMap) and len(item):
        slot, position = item.ca.items.get(list(item)[-1]), 2
    else:
        slot, position = items.ca.items.get(last), 0
    if not slot or len(slot) <= position or slot[position] is None:
        return
    token = slot[position]
    same_line, _, below = token.value.partition("\n")
    if not below:
        return
    if same_line.strip():
        token.value = same_line + "\n"     # the old item's own end-of-line comment stays with it
    else:
        slot[position] = None
    moved = copy.copy(token)
    moved.value = "\n" + below
    items.ca.items[last + 1] = [moved, None]
