"""The package's layers, and dependencies that point one way (README "Layout"):

    core -> text -> po -> xliff -> memory -> html -> checks, reporting -> workflow -> reviewapp -> cli

A module imports only from its own package and from packages to its left; no import cycles between
modules, ``TYPE_CHECKING`` and function-level imports included; each third-party library in few places, and
polib only in ``po``, which owns the catalog model (``po/model.py``) every other package works with.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"
#: The layers, lowest first. Packages on one line may not import each other.
LAYERS: list[set[str]] = [{"core"}, {"text"}, {"po"}, {"xliff"}, {"memory"}, {"html"}, {"checks", "reporting"},
                          {"workflow"}, {"reviewapp"}, {"cli"}]
RANK = {package: rank for rank, layer in enumerate(LAYERS) for package in layer}


def _name(path: Path) -> str:
    return ".".join(["pipeline", *path.relative_to(PACKAGE).with_suffix("").parts]).removesuffix(".__init__")


def _imports(path: Path) -> set[str]:
    """Every module of ours or library a file imports, anywhere in it (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _name(path).split(".") if path.name == "__init__.py" else _name(path).split(".")[:-1]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                found.add(".".join(base + ([node.module] if node.module else [])))
            else:
                found.add(node.module or "")
            if node.module and (node.module.startswith("pipeline") or node.level):
                prefix = ".".join(package[: len(package) - node.level + 1] + [node.module]) if node.level \
                    else node.module
                found.update(f"{prefix}.{alias.name}" for alias in node.names)
    return found


MODULES = {path: _imports(path) for path in PACKAGE.rglob("*.py")}
NAMES = {_name(path) for path in MODULES}


def _layer_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "pipeline" and parts[1] in RANK else None


def test_every_module_lives_in_a_layer():
    loose = sorted(_name(p) for p in MODULES if p.parent == PACKAGE and p.name not in ("__init__.py", "__main__.py"))
    assert loose == [], "put these modules in a layer package"
    assert {p.relative_to(PACKAGE).parts[0] for p in MODULES if p.parent != PACKAGE} == set(RANK)


def test_dependencies_point_one_way():
    wrong = []
    for path, imported in MODULES.items():
        own = _layer_of(_name(path))
        if own is None:
            continue
        for module in imported:
            other = _layer_of(module)
            if other is not None and other != own and RANK[other] >= RANK[own]:
                wrong.append(f"{_name(path)} imports {module}")
    assert wrong == []


def test_no_import_cycles_between_modules():
    graph = {name: set() for name in NAMES}
    for path, imported in MODULES.items():
        graph[_name(path)] = {m for m in imported if m in NAMES and m != _name(path)}
    # __init__ files re-export their package's modules: an edge into a package is an edge into its __init__
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            path = trail + [node]
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt):] + [nxt]
                if not _allowed(cycle):
                    cycles.append(" -> ".join(cycle))
            elif nxt not in state:
                visit(nxt, trail + [node])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])
    assert cycles == [], "\n".join(cycles)


def _allowed(cycle: list[str]) -> bool:
    """A package's ``__init__`` importing its own modules, which import each other through it, is no cycle
    of the code; the click commands registering themselves on the group are the one deliberate loop."""
    members = set(cycle)
    if members <= {"pipeline.cli.main", "pipeline.cli.check_command", "pipeline.cli.report_command"}:
        return True
    return any(name.count(".") == 1 or name in {"pipeline.checks", "pipeline.workflow", "pipeline.xliff",
                                                 "pipeline.reporting", "pipeline.checks.languages", "pipeline.cli"}
               for name in members)


def test_each_third_party_library_lives_in_few_packages():
    allowed = {
        "click": {"cli"},
        "ruamel": {"core"},
        "lxml": {"text", "html", "memory", "xliff", "checks", "core"},
        "babel": {"core", "text", "html", "checks"},
        "kiwipiepy": {"checks"},
        "flask": {"reviewapp"},
        "werkzeug": {"reviewapp"},
    }
    for path, imported in MODULES.items():
        owner = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        for library, packages in allowed.items():
            if any(m == library or m.startswith(library + ".") for m in imported):
                assert owner in packages, f"{_name(path)} imports {library}"


def _imports_polib(imported: set[str]) -> bool:
    return any(m == "polib" or m.startswith("polib.") for m in imported)


def test_polib_is_imported_only_by_the_catalog_package():
    """Every module outside ``pipeline/po/`` works with ``po.model``'s Catalog and Entry, never polib's classes."""
    outside = {_name(path) for path, imported in MODULES.items()
               if _imports_polib(imported) and path.relative_to(PACKAGE).parts[0] != "po"}
    assert outside == set(), "use pipeline.po.model (Catalog, Entry) instead of polib"
    assert any(_imports_polib(imported) for path, imported in MODULES.items() if _name(path) == "pipeline.po.model")


def test_the_core_types_import_nothing_of_ours_but_each_other():
    core = {"pipeline.core.model", "pipeline.core.errors"}
    for path, imported in MODULES.items():
        if _name(path) in core:
            assert not any(m.startswith("pipeline") and not any(m == c or m.startswith(c + ".") for c in core)
                           for m in imported), _name(path)


def test_the_workflow_package_names_each_of_its_names_once_where_it_lives():
    """``pipeline.workflow`` imports its names on first use (``_HOMES``): the table, ``__all__`` and the imports
    mypy reads must list the same names, each found in the module the table names."""
    import importlib

    import pipeline.workflow as workflow

    assert sorted(workflow.__all__) == sorted(workflow._HOMES)
    for name, home in workflow._HOMES.items():
        assert hasattr(importlib.import_module(home), name), (name, home)
    typed = {alias.asname or alias.name for node in ast.walk(ast.parse((PACKAGE / "workflow" / "__init__.py")
                                                                         .read_text(encoding="utf-8")))
             if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pipeline.")
             for alias in node.names}
    assert typed == set(workflow._HOMES)
