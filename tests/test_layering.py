"""Dependencies point one way: cli -> workflow -> the rest -> inline/model/errors; libraries stay in their modules."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"


def _imports(path: Path) -> set[str]:
    """Absolute module names a file imports (relative imports resolved inside the package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parts = ["pipeline", *path.relative_to(PACKAGE).with_suffix("").parts]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = parts[:-node.level] if parts[-1] != "__init__" else parts[:-node.level]
                found.add(".".join(base + ([node.module] if node.module else [])))
            else:
                found.add(node.module or "")
    return found


MODULES = {p: _imports(p) for p in PACKAGE.rglob("*.py")}


def _name(path: Path) -> str:
    return ".".join(["pipeline", *path.relative_to(PACKAGE).with_suffix("").parts]).removesuffix(".__init__")


def test_nothing_below_the_cli_imports_it():
    for path, imported in MODULES.items():
        if path.name in ("cli.py", "cli_check.py", "cli_report.py", "__main__.py"):
            continue
        assert not any(m in ("pipeline.cli", "pipeline.cli_check") for m in imported), _name(path)


def test_only_the_cli_and_the_workflow_package_import_the_workflow():
    for path, imported in MODULES.items():
        if path.name in ("cli.py", "cli_check.py", "cli_report.py") or "workflow" in path.parts:
            continue
        assert not any(m == "pipeline.workflow" or m.startswith("pipeline.workflow.") for m in imported), _name(path)


def test_the_core_types_import_nothing_of_ours_but_each_other():
    core = {"pipeline.model", "pipeline.errors"}
    for path, imported in MODULES.items():
        if _name(path) in core:
            assert not any(m.startswith("pipeline") and m not in core for m in imported), _name(path)


def test_each_third_party_library_lives_in_few_modules():
    allowed = {
        "polib": {"pofile", "catalog", "articles", "handoff", "memory", "workflow", "checks", "xliff"},
        "click": {"cli", "cli_check", "cli_report", "cli_options"},
        "ruamel": {"config"},
        "lxml": {"segment", "assemble", "inline", "tmx", "config", "checks", "report", "xliff"},
    }
    for path, imported in MODULES.items():
        owner = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        for library, modules in allowed.items():
            if any(m == library or m.startswith(library + ".") for m in imported):
                assert owner in modules, f"{_name(path)} imports {library}"
