"""``l10n.yaml`` -> a frozen Config; every error names the file and line. Also edits it, comments kept.

The top-level settings are one table, :data:`SETTINGS`: each one's key, parser, default, later check and
meaning. :func:`config_from_text` reads every setting through it, and the README's settings table is tested
against it (``tests/test_config.py``), so the defaults are written once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from pipeline.core.errors import ConfigError, LocaleError
from pipeline.core.files import write_atomic
from pipeline.core.locales import LocaleInfo, parse_locale
from pipeline.core.locate import CONFIG_NAME, nearest_config
from pipeline.core.model import CountPhrase

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
    """The project's settings, validated: a field per entry of :data:`SETTINGS` (their meanings and defaults
    are there), and where the file is. Paths are absolute."""

    root: Path
    path: Path
    project: str
    bugs_address: str
    source_language: str
    source_dir: Path
    locales_dir: Path
    output_dir: Path
    locales: tuple[LocaleConfig, ...]
    publish_threshold: float
    ignore_selectors: tuple[str, ...]
    disclaimer_selector: str
    reference_lines: bool
    fuzzy_threshold: float
    memory_threshold: float
    count_phrases: tuple[CountPhrase, ...]
    format_dates: bool
    jsonld_fields: tuple[str, ...]
    max_source_bytes: int
    base_url: str
    url_pattern: str
    review: ReviewSettings
    #: settings validated by the modules that own them (``checks``, ``glossary``), as plain data
    checks: dict[str, Any]
    glossary: Any
    #: the parsed YAML, for :func:`setting_error` to find line numbers
    raw: Any = field(repr=False, compare=False)

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
    found = nearest_config(start)
    if found is not None:
        return found
    raise ConfigError(f"no {CONFIG_NAME} in {start.resolve()} or any parent folder",
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


# -- reading the settings ---------------------------------------------------------------------------------------

@dataclass(slots=True)
class _Reading:
    """One ``l10n.yaml`` being validated: where it is, its YAML, and the settings read so far, by key."""

    path: Path
    data: CommentedMap
    root: Path
    values: dict[str, Any] = field(default_factory=dict)

    def at(self, key: Any) -> _At:
        """The top-level setting ``key``."""
        return _At(str(key), self.data, key, self)


@dataclass(frozen=True, slots=True)
class _At:
    """A value being read: the name its messages give it, and where it is, for the error's line."""

    name: str
    node: Any            #: the mapping or list that holds the value
    key: Any             #: its key or index there
    reading: _Reading

    def fail(self, message: str, hint: str | None = None) -> ConfigError:
        """A ConfigError at this value's line."""
        return ConfigError(message, path=self.reading.path, line=_line(self.node, self.key), hint=hint)

    def inner(self, node: Any, key: Any, name: str | None = None) -> _At:
        """The value at ``key`` of ``node``, a part of this one."""
        return _At(str(key) if name is None else name, node, key, self.reading)


#: A setting's parser: its YAML value (or default) -> the Config field's value; ConfigError if invalid.
Parse = Callable[[Any, _At], Any]
#: A check run once every setting is read, on the parsed value.
Check = Callable[[Any, _At], None]


# One parser per type of value: each type's error message is written here once.

def _is_number(value: Any) -> bool:
    """An int or float, not a bool (YAML's true is no number)."""
    return not isinstance(value, bool) and isinstance(value, (int, float))


def _text(value: Any, at: _At) -> str:
    """A non-empty string."""
    if not isinstance(value, str) or not value.strip():
        raise at.fail(f"{at.name} must be a non-empty string")
    return str(value)


def _optional_text(value: Any, at: _At) -> str:
    """Any text, empty if unset."""
    return str(value or "")


def _language(value: Any, at: _At) -> str:
    """A language code, in lower case."""
    return _text(value, at).lower()


def _fraction(value: Any, at: _At) -> float:
    """A number from 0 to 1."""
    if not _is_number(value) or not 0 <= value <= 1:
        raise at.fail(f"{at.name} must be a number from 0 to 1, not {value!r}")
    return float(value)


def _flag(value: Any, at: _At) -> bool:
    """true or false."""
    if not isinstance(value, bool):
        raise at.fail(f"{at.name} must be true or false")
    return value


def _byte_count(value: Any, at: _At) -> int:
    """A positive whole number of bytes."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise at.fail(f"{at.name} must be a positive whole number of bytes")
    return value


def _folder(value: Any, at: _At) -> Path:
    """A relative folder inside the project -> its absolute path."""
    folder = Path(_text(value, at))
    root = at.reading.root
    resolved = (root / folder).resolve()
    if folder.is_absolute() or (resolved != root and root not in resolved.parents):
        raise at.fail(f"{at.name} must be a folder inside the project, not {str(folder)!r}")
    return resolved


def _selector_list(value: Any, at: _At, *, blank: bool = True) -> tuple[str, ...]:
    """A list of CSS selectors (``blank``: empty ones pass here, and fail the CSS check)."""
    if not isinstance(value, list) or not all(isinstance(s, str) and (blank or s.strip()) for s in value):
        raise at.fail(f"{at.name} must be a list of CSS selectors")
    return tuple(str(s) for s in value)


def _property_names(value: Any, at: _At) -> tuple[str, ...]:
    """A list of JSON-LD property names."""
    if not isinstance(value, list) or not all(isinstance(f, str) and f.strip() for f in value):
        raise at.fail(f"{at.name} must be a list of JSON-LD property names (headline, description, ...)")
    return tuple(str(f).strip() for f in value)


def _plain(value: Any) -> Any:
    """ruamel's commented containers -> plain dicts and lists."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _plain_data(value: Any, at: _At) -> Any:
    """Any YAML, as plain data (validated by the module that owns the setting)."""
    return _plain(value)


def _plain_mapping(value: Any, at: _At) -> dict[str, Any]:
    """A mapping as plain data, empty if unset (validated by the module that owns the setting)."""
    return cast(dict[str, Any], _plain(value) or {})


def _valid_css(selectors: Iterable[str], at: _At) -> None:
    """Each selector parses as CSS."""
    # what lxml.cssselect.CSSSelector(selector, translator="html") runs before compiling the XPath: the same
    # errors, without loading lxml for a command that segments nothing
    from cssselect import HTMLTranslator, SelectorError

    for selector in selectors:
        try:
            HTMLTranslator().css_to_xpath(selector)
        except SelectorError as exc:
            raise at.fail(f"invalid CSS selector {selector!r}: {exc}") from None


def _valid_selector(value: str, at: _At) -> None:
    """The selector parses as CSS."""
    _valid_css((value,), at)


# The composite settings.

def _base_url(value: Any, at: _At) -> str:
    """An absolute http(s) URL without a trailing slash (or empty: no site)."""
    from urllib.parse import urlsplit

    if value in ("", None):
        return ""
    parts = urlsplit(str(value)) if isinstance(value, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise at.fail(f"base_url must be an absolute http(s) URL such as https://example.org/health, not {value!r}")
    return str(value).rstrip("/")


def _url_pattern(value: Any, at: _At, *, lang: bool = True) -> str:
    """A URL pattern with {slug} and (the project's) {lang}, usually {base_url}; nothing else in braces."""
    needs = "{lang} and {slug}" if lang else "{slug}"
    message = (f"url_pattern must be a text with {needs} (and {{base_url}}), such as {DEFAULT_URL_PATTERN}, "
               f"not {value!r}")
    if not isinstance(value, str) or "{slug}" not in value or (lang and "{lang}" not in value):
        raise at.fail(message)
    try:
        value.format(base_url="", lang="", slug="")
    except (KeyError, IndexError, ValueError):
        raise at.fail(message) from None
    return value


def _review_mode(value: Any, at: _At) -> str:
    """One of REVIEW_MODES (YAML 1.1 reads a bare ``off`` as false: that is ``off`` too)."""
    if value is False:
        return "off"
    if not isinstance(value, str) or value not in REVIEW_MODES:
        raise at.fail(f"review must be one of {', '.join(REVIEW_MODES)}, not {value!r}")
    return value


def _review(value: Any, at: _At) -> ReviewSettings:
    """``review:`` -> ReviewSettings: a mode alone (``review: required``), or a mapping with ``mode``,
    ``sections`` (CSS selectors), ``weights`` (minor, major, critical) and ``max_penalty``."""
    default = ReviewSettings()
    if value is None:
        return default
    if not isinstance(value, dict):
        return ReviewSettings(mode=_review_mode(value, at))
    unknown = set(value) - {"mode", "sections", "weights", "max_penalty"}
    if unknown:
        raise at.inner(value, sorted(unknown)[0]).fail(f"unknown review setting {sorted(unknown)[0]!r}",
                                                       hint="review settings: mode, sections, weights, max_penalty")
    mode = _review_mode(value.get("mode", default.mode), at.inner(value, "mode"))
    sections = _selector_list(value.get("sections", list(default.sections)),
                              at.inner(value, "sections", "review sections"), blank=False)
    weights = dict(default.weights)
    given = value.get("weights", {})
    if not isinstance(given, dict) or set(given) - set(weights):
        raise at.inner(value, "weights").fail("review weights are a mapping of minor, major and critical to "
                                              "penalty points")
    for severity, points in given.items():
        if not _is_number(points) or points < 0:
            raise at.inner(given, severity).fail(f"the weight of {severity} must be a number of points, 0 or more")
        weights[severity] = float(points)
    limit = value.get("max_penalty", default.max_penalty)
    if not _is_number(limit) or limit < 0:
        raise at.inner(value, "max_penalty").fail("review max_penalty is penalty points per 1,000 reviewed words, "
                                                  "0 or more")
    return ReviewSettings(mode, sections, tuple(weights.items()), float(limit))


def _valid_review_sections(value: ReviewSettings, at: _At) -> None:
    """The review sections parse as CSS."""
    _valid_css(value.sections, at)


def _locales(value: Any, at: _At) -> tuple[LocaleConfig, ...]:
    """``locales:`` -> a LocaleConfig per code, or per mapping with ``code`` and the locale's own
    ``publish_threshold``, ``url_pattern`` and ``review`` (else the project's, read before it)."""
    if not isinstance(value, list):
        raise at.fail("locales must be a list of locale codes")
    source_language: str = at.reading.values["source_language"]
    locales: list[LocaleConfig] = []
    for index, item in enumerate(value):
        loc = _locale(item, at.inner(value, index))
        if loc.code.lower() == source_language.replace("-", "_"):
            raise at.inner(value, index).fail(
                f"locale {_code(item)!r} is the source language",
                hint=f"a target is another language, or a regional variant such as {source_language}_GB")
        if any(loc.code == seen.code for seen in locales):
            raise at.inner(value, index).fail(f"locale {_code(item)!r} is listed twice")
        locales.append(loc)
    return tuple(locales)


def _code(item: Any) -> Any:
    """The code of a locale entry, as written."""
    return item["code"] if isinstance(item, dict) else item


def _locale(item: Any, at: _At) -> LocaleConfig:
    """One entry of ``locales:``: a code, or a mapping with ``code`` and the locale's own settings."""
    read = at.reading.values
    threshold: float = read["publish_threshold"]
    pattern = None
    mode: str = read["review"].mode
    if isinstance(item, dict):
        if set(item) - {"code", "publish_threshold", "url_pattern", "review"} or "code" not in item:
            raise at.fail("a locale entry is a code, or a mapping with `code`, `publish_threshold`, "
                          "`url_pattern` and `review`")
        if "review" in item:
            mode = _review_mode(item["review"], at.inner(item, "review"))
        if "publish_threshold" in item:
            threshold = _fraction(item["publish_threshold"], at.inner(item, "publish_threshold"))
        if "url_pattern" in item:
            pattern = _url_pattern(item["url_pattern"], at.inner(item, "url_pattern"), lang=False)
    try:
        info = parse_locale(str(_code(item)))
    except LocaleError as exc:
        raise at.fail(exc.message, hint=exc.hint) from None
    return LocaleConfig(info, threshold, pattern, mode)


def _count_phrases(value: Any, at: _At) -> tuple[CountPhrase, ...]:
    """``count_phrases:`` -> a CountPhrase per text with {count}, or per mapping with singular and plural."""
    if not isinstance(value, list):
        raise at.fail("count_phrases must be a list")
    phrases = []
    for index, item in enumerate(value):
        forms = (item, item) if isinstance(item, str) else (
            (item.get("singular"), item.get("plural", item.get("singular"))) if isinstance(item, dict) else (None, None))
        if not all(isinstance(f, str) and f.count("{count}") == 1 for f in forms):
            raise at.inner(value, index).fail("a count phrase is a text with {count} once (\"{count} min read\"), "
                                              "or a mapping with singular and plural")
        phrases.append(CountPhrase(*forms))
    return tuple(phrases)


@dataclass(frozen=True, slots=True)
class Setting:
    """A top-level setting of ``l10n.yaml``."""

    key: str
    parse: Parse             #: its value, or the default -> the Config field of the same name
    default: Any             #: the value when the key is absent, as YAML reads it (the README's table shows it)
    about: str               #: what it sets, in a line (the README says more)
    check: Check | None = None  #: run on the parsed value once every setting is read


#: The top-level settings, in the order they are read and their errors reported: ``locales`` reads
#: ``source_language``, ``publish_threshold`` and ``review``, so it comes after them; the CSS selectors are
#: checked once all settings are read.
SETTINGS: tuple[Setting, ...] = (
    Setting("source_language", _language, "en", "language of the sources"),
    Setting("publish_threshold", _fraction, 0.5, "share of its units an article needs translated to be published "
            "for a locale (a page mostly in English is no Korean page); 0 publishes every article"),
    Setting("review", _review, "off", "clinical review: a mode, or mode, sections, weights and max_penalty",
            check=_valid_review_sections),
    Setting("locales", _locales, [], "the target locales: codes, or mappings with their own settings"),
    Setting("ignore_selectors", _selector_list, [], "CSS selectors of regions passed through untranslated",
            check=_valid_css),
    Setting("jsonld_fields", _property_names, ["headline", "alternativeHeadline", "description", "name"],
            "JSON-LD properties translated (of the page's own objects; see html.extract.jsonld_texts)"),
    Setting("reference_lines", _flag, False, "#: references with line numbers"),
    Setting("format_dates", _flag, True, "<time datetime> dates written in each locale's format"),
    Setting("max_source_bytes", _byte_count, 5_000_000, "the largest source article read"),
    Setting("count_phrases", _count_phrases, [], "phrases with a number, a plural entry each"),
    Setting("project", _text, "Health Library", "Project-Id-Version of the catalogs"),
    Setting("bugs_address", _optional_text, "", "Report-Msgid-Bugs-To of the catalogs"),
    Setting("source_dir", _folder, "source_articles", "the English articles"),
    Setting("locales_dir", _folder, "locales", "the templates and catalogs"),
    Setting("output_dir", _folder, "output", "the built pages"),
    Setting("disclaimer_selector", _text, ".disclaimer, [data-l10n-role=disclaimer]",
            "the blocks holding the medical disclaimer", check=_valid_selector),
    Setting("base_url", _base_url, "", "where the site publishes the pages; empty: no sitemap or URLs"),
    Setting("url_pattern", _url_pattern, DEFAULT_URL_PATTERN, "a published page's URL (see DEFAULT_URL_PATTERN)"),
    Setting("fuzzy_threshold", _fraction, 0.6,
            "similarity an old translation of the same catalog needs to be offered as fuzzy"),
    Setting("memory_threshold", _fraction, 0.8, "similarity a translation memory match needs to be offered as fuzzy"),
    Setting("checks", _plain_mapping, {}, "settings of `l10n check`, validated by pipeline.checks.settings"),
    Setting("glossary", _plain_data, None, "the glossary, or a file holding it, validated by pipeline.checks.terms"),
)
_KNOWN = frozenset(setting.key for setting in SETTINGS)


def _validate(data: CommentedMap, path: Path) -> Config:
    """Every setting of SETTINGS, read from ``data`` or its default, in order; then their checks."""
    reading = _Reading(path, data, path.parent.resolve())
    for key in data:
        if key not in _KNOWN:
            raise reading.at(key).fail(f"unknown setting {key!r}", hint="known settings: " + ", ".join(sorted(_KNOWN)))
    for setting in SETTINGS:
        reading.values[setting.key] = setting.parse(data.get(setting.key, setting.default), reading.at(setting.key))
    for setting in SETTINGS:
        if setting.check is not None:
            setting.check(reading.values[setting.key], reading.at(setting.key))
    return Config(root=reading.root, path=path.resolve(), raw=data, **reading.values)


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
