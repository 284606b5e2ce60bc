"""The import rules of docs/architecture.md, checked against the source.

The rooms table is read from the page itself, so the page and the code cannot drift apart. Imports are
found with `ast` anywhere in a file (inside functions and `if` blocks too), because a lazy import ties two
modules together as firmly as one at the top.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
PAGE = ROOT / "docs" / "architecture.md"
INTERFACE_LIBRARIES = {"typer", "rich", "click"}
RESERVED: set[str] = set()
"""Named in the table before they exist (none now: the web interface's package has landed)."""


# --- the import graph --------------------------------------------------------------------------------


@dataclass
class Graph:
    modules: dict[str, Path]
    packages: set[str]
    edges: dict[str, set[str]] = field(default_factory=dict)
    """Module -> modules of the package it imports."""
    libraries: dict[str, set[str]] = field(default_factory=dict)
    """Module -> top-level names of the outside libraries it imports."""


def build_graph(src: Path, package: str) -> Graph:
    modules: dict[str, Path] = {}
    packages: set[str] = set()
    for path in sorted((src / package).rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
            packages.add(".".join(parts))
        modules[".".join(parts)] = path
    graph = Graph(modules, packages)

    def known(name: str) -> str | None:
        """The module a dotted name refers to: itself, or the nearest enclosing module."""
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    for name, path in modules.items():
        edges, libraries = set(), set()
        here = name if name in packages else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here.split(".")[: len(here.split(".")) - (node.level - 1)]
                    origin = ".".join(base + ([node.module] if node.module else []))
                else:
                    origin = node.module or ""
                # `from a import b` imports the module a.b when there is one, else a name of module a.
                targets = [
                    f"{origin}.{a.name}" if f"{origin}.{a.name}" in modules else origin for a in node.names
                ]
            for target in targets:
                top = target.split(".")[0]
                if top != package:
                    libraries.add(top)
                    continue
                resolved = known(target)
                if resolved and resolved != name:
                    edges.add(resolved)
        graph.edges[name] = edges
        graph.libraries[name] = libraries
    return graph


def cycles(graph: Graph) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan). A package's __init__ importing its own
    submodules is how a registry finds them, not a cycle, so those edges are left out."""
    edges = {
        m: {t for t in ts if not (m in graph.packages and t.startswith(m + "."))}
        for m, ts in graph.edges.items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def reachable(graph: Graph, start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for t in graph.edges.get(todo.pop(), ()):
            if t not in seen:
                seen.add(t)
                todo.append(t)
    return seen


# --- the rooms table of docs/architecture.md ---------------------------------------------------------


@dataclass
class Rooms:
    members: dict[str, str]
    """Module or package name -> room."""
    allowed: dict[str, set[str]]
    """Room -> rooms it may import (its own included)."""
    default: str
    """The room of a module no row names."""

    def of(self, module: str, root: str = "qiframe") -> str:
        if module in self.members:
            return self.members[module]
        # The longest enclosing subpackage named in the table (the root package names only itself).
        parts = module.split(".")
        for i in range(len(parts) - 1, 1, -1):
            if ".".join(parts[:i]) in self.members:
                return self.members[".".join(parts[:i])]
        return self.default


def read_rooms(text: str) -> Rooms:
    section = text.split("## Rooms", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    members: dict[str, str] = {}
    allowed: dict[str, set[str]] = {}
    default = ""
    for row in rows[2:]:  # after the header and its rule
        room, modules, may = (cell.strip() for cell in row.strip("|").split("|"))
        for name in re.findall(r"`([\w.]+)`", modules):
            assert name not in members, f"{name} is in two rooms of the table"
            members[name] = room
        if "every module not named" in modules:
            default = room
        allowed[room] = {r.strip() for r in may.split(",")} | {room}
    assert default, "one row of the table must hold 'every module not named in another row'"
    unknown = set().union(*allowed.values()) - set(allowed)
    assert not unknown, f"the table lets rooms import rooms it does not define: {sorted(unknown)}"
    return Rooms(members, allowed, default)


@pytest.fixture(scope="module")
def graph() -> Graph:
    return build_graph(SRC, "qiframe")


@pytest.fixture(scope="module")
def rooms() -> Rooms:
    return read_rooms(PAGE.read_text(encoding="utf-8"))


def test_the_table_names_only_modules_that_exist(graph, rooms):
    ghosts = sorted(n for n in rooms.members if n not in graph.modules and n not in RESERVED)
    assert not ghosts, f"docs/architecture.md names modules that do not exist: {ghosts}"


def test_every_import_follows_the_rooms_table(graph, rooms):
    wrong = []
    for module, targets in sorted(graph.edges.items()):
        room = rooms.of(module)
        for target in sorted(targets):
            if rooms.of(target) not in rooms.allowed[room]:
                wrong.append(f"{module} ({room}) imports {target} ({rooms.of(target)})")
    assert not wrong, (
        "imports that docs/architecture.md does not allow (move the shared piece down, or "
        "change the table if the design changed):\n" + "\n".join(wrong)
    )


def test_no_import_cycles(graph):
    found = cycles(graph)
    assert not found, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in found)


def test_core_modules_do_not_import_the_interface(graph, rooms):
    interface = {name for name, room in rooms.members.items() if room == "interface"}
    assert {"qiframe.cli", "qiframe.__main__"} <= interface
    wrong = []
    for module in sorted(graph.modules):
        if rooms.of(module) == "interface":
            continue
        for library in sorted(graph.libraries[module] & INTERFACE_LIBRARIES):
            wrong.append(f"{module} imports {library}")
        for target in sorted(graph.edges[module]):
            if any(target == i or target.startswith(i + ".") for i in interface):
                wrong.append(f"{module} imports {target}")
    assert not wrong, "core modules reaching into the interface:\n" + "\n".join(wrong)


def test_checks_only_read(graph):
    wrong = []
    for module in sorted(
        m for m in graph.modules if m == "qiframe.checks" or m.startswith("qiframe.checks.")
    ):
        for target in sorted(reachable(graph, module) & {"qiframe.store", "qiframe.editor"}):
            wrong.append(f"{module} reaches {target}")
    assert not wrong, "checks must not reach the store:\n" + "\n".join(wrong)


def dynamic_imports(graph: Graph) -> list[str]:
    """Imports the graph cannot see (importlib.import_module, __import__) that load anything but a submodule
    of the importing module's own subpackage -- the registries of checks and commands."""
    wrong = []
    for module, path in sorted(graph.modules.items()):
        package = module if module in graph.packages else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name not in ("import_module", "__import__"):
                continue
            arg = node.args[0] if node.args else None
            start = ""
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                start = arg.value
            elif isinstance(arg, ast.JoinedStr) and arg.values:
                first = arg.values[0]
                if isinstance(first, ast.Constant):
                    start = first.value
                elif (
                    isinstance(first, ast.FormattedValue)
                    and isinstance(first.value, ast.Name)
                    and first.value.id == "__name__"
                    and module in graph.packages
                    and len(arg.values) > 1
                    and isinstance(arg.values[1], ast.Constant)
                ):
                    start = module + arg.values[1].value
            if "." not in package or not start.startswith(package + "."):
                wrong.append(f"{module}:{node.lineno} imports {ast.unparse(arg) if arg else '?'} dynamically")
    return wrong


def test_dynamic_imports_stay_inside_their_package(graph):
    wrong = dynamic_imports(graph)
    assert not wrong, "dynamic imports hide edges from this test:\n" + "\n".join(wrong)


INTERNALS = {
    "qiframe.yaml_loader": ("ruamel", {"cyaml", "CParser", "VersionedResolver", "implicit_resolvers"}),
    "qiframe.exports.xlsx_stream": (
        "openpyxl",
        {"_write_only", "WriteOnlyWorksheet", "_cell_styles", "_add_sheet", "_values_to_row", "StyleArray"},
    ),
}
"""The one module allowed each library's internals, and the names that mark them."""


def internals_outside(graph: Graph) -> list[str]:
    wrong = []
    for module, path in sorted(graph.modules.items()):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: set[str] = set()
            if isinstance(node, ast.ImportFrom) and node.module:
                names = set(node.module.split(".")) | {a.name for a in node.names}
                library = node.module.split(".")[0]
            elif isinstance(node, ast.Import):
                names = {part for a in node.names for part in a.name.split(".")}
                library = next(iter(node.names)).name.split(".")[0]
            elif isinstance(node, ast.Attribute):
                names, library = {node.attr}, ""
            for owner, (lib, marks) in INTERNALS.items():
                if module != owner and names & marks and library in (lib, ""):
                    wrong.append(
                        f"{module}:{node.lineno} uses {sorted(names & marks)} of {lib} (keep it in {owner})"
                    )
    return wrong


def test_library_internals_stay_in_their_module(graph):
    wrong = internals_outside(graph)
    assert not wrong, "\n".join(wrong)


# --- the checker itself can fail ---------------------------------------------------------------------


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = tmp_path / "pkg" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_a_lazy_import_cycle_is_found(tmp_path):
    src = _package(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "from pkg import b\n",
            "sub/__init__.py": "from pkg.sub import c\n",  # a registry importing its child: not a cycle
            "sub/c.py": "from pkg.sub import d\n",
            "sub/d.py": "def f():\n    from . import c\n",
            "b.py": "def f():\n    from pkg.sub.c import thing\n    import pkg.a\n",
        },
    )
    graph = build_graph(src, "pkg")
    assert graph.edges["pkg.b"] == {"pkg.sub.c", "pkg.a"}
    assert sorted(cycles(graph)) == [["pkg.a", "pkg.b"], ["pkg.sub.c", "pkg.sub.d"]]


def test_a_dynamic_import_out_of_its_package_is_found(tmp_path):
    src = _package(
        tmp_path,
        {
            "__init__.py": "",
            "out.py": "",
            "reg/__init__.py": "import importlib\nimportlib.import_module(f'{__name__}.x')\n",
            "reg/x.py": "import importlib\nimportlib.import_module('pkg.reg.x')\n",
            "top.py": "import importlib\ndef f(m):\n    return importlib.import_module(f'pkg.{m}')\n",
            "reg/y.py": "def f():\n    return __import__('pkg.out')\n",
        },
    )
    found = dynamic_imports(build_graph(src, "pkg"))
    assert [w.split(":")[0] for w in found] == ["pkg.reg.y", "pkg.top"]


def test_interface_libraries_and_room_breaches_are_found(tmp_path):
    src = _package(
        tmp_path,
        {
            "__init__.py": "",
            "model.py": "def f():\n    import rich.console\n",
            "shop.py": "from pkg.model import f\n",
        },
    )
    graph = build_graph(src, "pkg")
    assert graph.libraries["pkg.model"] == {"rich"}
    rooms = read_rooms(
        "## Rooms\n\n| Room | Modules | May import |\n|--|--|--|\n"
        "| base | `pkg.model` | base |\n| domain | every module not named | base, domain |\n"
    )
    assert rooms.of("pkg.shop") == "domain" and rooms.of("pkg.model") == "base"
    assert rooms.of("pkg.shop") in rooms.allowed["domain"]
    assert rooms.of("pkg.shop") not in rooms.allowed["base"]
