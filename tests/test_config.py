"""l10n.yaml: validation with file and line, and edits that keep comments."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from pipeline.core.config import SETTINGS, add_locale, load_config
from pipeline.core.errors import ConfigError, LocaleError

from .helpers import ROOT


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "l10n.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_bundled_config_loads():
    config = load_config(ROOT / "l10n.yaml")
    assert [loc.code for loc in config.locales] == ["ko", "ja"]
    assert config.locale("ja").publish_threshold == 0.5
    assert config.locale("ko").publish_threshold == 0.5     # the default: a page mostly in English is not published as Korean


@pytest.mark.parametrize("text, line, phrase", [
    ("locales: [ko]\nsource_dir: source_articles\nbogus: 1\n", 3, "unknown setting 'bogus'"),
    ("locales:\n  - ko\n  - xx\n", 3, "unknown locale 'xx'"),
    ("locales:\n  - ko\n  - ../ko\n", 3, "is not a locale code"),
    ("locales: [ko, ko]\n", 1, "listed twice"),
    ("locales: [ko]\npublish_threshold: 2\n", 2, "from 0 to 1"),
    ("locales: [ko\n", 2, "invalid YAML"),
    ("locales: [ko]\noutput_dir: ../elsewhere\n", 2, "inside the project"),
    ("locales: [ko]\nignore_selectors: ['p[']\n", 2, "invalid CSS selector"),
    ("- just\n- a list\n", 1, "mapping"),
])
def test_invalid_config_is_reported_with_file_and_line(tmp_path, text, line, phrase):
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.path == str(path) and info.value.line == line
    assert phrase in info.value.message


def test_missing_config_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "l10n.yaml")


def test_add_locale_keeps_comments_and_spelling(tmp_path):
    path = _write(tmp_path, "# top comment\nlocales:\n  - ko   # first locale\n# tail comment\n")
    info, added = add_locale(path, "pt-BR")
    assert added and info.gettext == "pt_BR"
    text = path.read_text(encoding="utf-8")
    assert "# top comment" in text and "# first locale" in text and "# tail comment" in text
    assert [loc.code for loc in load_config(path).locales] == ["ko", "pt_BR"]
    assert add_locale(path, "pt_BR")[1] is False


def test_add_locale_refuses_unknown_codes_and_leaves_the_file_alone(tmp_path):
    path = _write(tmp_path, "locales: [ko]\n")
    with pytest.raises(LocaleError):
        add_locale(path, "zz")
    assert path.read_text(encoding="utf-8") == "locales: [ko]\n"


def _readme_defaults() -> dict[str, str]:
    """The settings table of the README's "Configuration" section: each setting's default, as written there."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Configuration: `l10n.yaml`\n", 1)[1].split("\n## ", 1)[0]
    found: dict[str, str] = {}
    for row in (line for line in section.splitlines() if line.startswith("| `")):
        keys_cell, default_cell = (cell.strip() for cell in row.strip("|").split("|")[:2])
        keys = re.findall(r"`([^`]+)`", keys_cell)                   # `source_dir`, `locales_dir`, ...
        defaults = re.findall(r"`([^`]*)`", default_cell) or [default_cell]
        assert len(keys) == len(defaults), f"one default per setting in: {row}"
        found.update(zip(keys, defaults))
    return found


def _as_the_readme_writes(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(value) + "]"
    if value == "":
        return "empty"
    return str(value)


def test_the_readme_lists_every_setting_with_its_default():
    table = {setting.key: _as_the_readme_writes(setting.default) for setting in SETTINGS}
    assert _readme_defaults() == table
