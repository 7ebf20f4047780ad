"""The shape of the house, read from the source (plain AST, module-level imports):

- no import cycle among the modules of roi/ and tui/;
- roi/ never imports the terminal app (tui, textual), and the core never imports the CLI;
- no SQL outside the storage layer roi/db/.

Imports inside functions are lazy by design (the CLI opens the TUI inside the command
that starts it) and do not count for cycles; `if TYPE_CHECKING:` blocks never run.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("roi", "tui")

# The command-line modules: front ends of the core, which the core must not import.
CLI_MODULES = ("roi.cli", "roi.entry")
STORAGE = "roi.db"
# The arithmetic and the ranking: pure, they know nothing of storage or front ends.
PURE_CORE = ("roi.errors", "roi.explanation", "roi.flags", "roi.fmt", "roi.models", "roi.payback",
             "roi.ranking", "roi.roadmap", "roi.settled", "roi.uncertainty")
SQL_CALLS = ("execute", "executemany", "executescript")
SQL_WORDS = ("SELECT ", "INSERT ", "UPDATE ", "DELETE FROM", "CREATE ", "PRAGMA")


@dataclass(frozen=True)
class Import:
    target: str  # the dotted name imported (a module, or a module's attribute)
    line: int
    lazy: bool  # inside a function: runs only when called


@dataclass(frozen=True)
class Module:
    name: str
    path: Path
    tree: ast.Module

    @property
    def is_package(self) -> bool:
        return self.path.name == "__init__.py"


@functools.cache  # parsed once for all the tests here (each reads, none changes them)
def modules() -> dict[str, Module]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            name = ".".join(parts)
            found[name] = Module(name, path, ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports(module: Module) -> tuple[Import, ...]:
    """Every import statement of a module, marked lazy when inside a function; the
    `if TYPE_CHECKING:` branch is left out."""
    return _imports(module.name)


@functools.cache
def _imports(name: str) -> tuple[Import, ...]:
    module = modules()[name]

    def walk(node: ast.AST, lazy: bool) -> Iterator[Import]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                for other in child.orelse:
                    yield from walk_one(other, lazy)
                continue
            yield from walk_one(child, lazy)

    def walk_one(node: ast.AST, lazy: bool) -> Iterator[Import]:
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(alias.name, node.lineno, lazy)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, node)
            for alias in node.names:
                yield Import(f"{base}.{alias.name}" if base else alias.name, node.lineno, lazy)
        else:
            inner = lazy or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if isinstance(node, ast.If) and _is_type_checking(node.test):
                for other in node.orelse:
                    yield from walk_one(other, inner)
                return
            yield from walk(node, inner)

    return tuple(walk(module.tree, False))


def _absolute(module: Module, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    parts = module.name.split(".")
    keep = len(parts) - node.level + (1 if module.is_package else 0)
    base = parts[:keep]
    return ".".join(base + ([node.module] if node.module else []))


def resolve(target: str, known: dict[str, Module]) -> str | None:
    """The project module a dotted import name lands in (a.b.name -> a.b), or None."""
    while target:
        if target in known:
            return target
        target = target.rpartition(".")[0]
    return None


def import_graph(known: dict[str, Module]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in known}
    for name, module in known.items():
        for imp in imports(module):
            target = resolve(imp.target, known)
            if not imp.lazy and target is not None and target != name:
                graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def test_no_import_cycles():
    assert cycles(import_graph(modules())) == []


def every_import(module: Module) -> Iterator[str]:
    """Every module a module names in an import, inside functions and `if TYPE_CHECKING:` too."""
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, node)
            yield from (f"{base}.{alias.name}" if base else alias.name for alias in node.names)


def test_no_two_modules_import_each_other_even_lazily():
    known = modules()
    edges = {name: {t for t in map(lambda x: resolve(x, known), every_import(m)) if t and t != name}
             for name, m in known.items()}
    assert sorted({tuple(sorted((a, b))) for a, bs in edges.items() for b in bs if a in edges.get(b, ())}) == []


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_roi_never_imports_the_terminal_app():
    offenders = [
        f"{m.name}:{imp.line} imports {imp.target}"
        for m in modules().values() if _within(m.name, "roi")
        for imp in imports(m)
        if _within(imp.target, "tui") or _within(imp.target, "textual")
    ]
    assert offenders == []


def test_the_core_never_imports_the_cli():
    offenders = [
        f"{m.name}:{imp.line} imports {imp.target}"
        for m in modules().values()
        if _within(m.name, "roi") and not any(_within(m.name, c) for c in CLI_MODULES)
        for imp in imports(m)
        if any(_within(imp.target, c) for c in CLI_MODULES)
    ]
    assert offenders == []


def test_the_pure_core_imports_no_storage_and_no_front_end():
    known = modules()
    offenders = [
        f"{name}:{imp.line} imports {imp.target}"
        for name in PURE_CORE
        for imp in imports(known[name])
        if any(_within(imp.target, layer) for layer in (STORAGE, "roi.importers", "roi.report", *CLI_MODULES))
    ]
    assert offenders == []


def _docstrings(tree: ast.Module) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def sql_outside_storage() -> list[str]:
    offenders = []
    for m in modules().values():
        if _within(m.name, STORAGE):
            continue
        docs = _docstrings(m.tree)
        for node in ast.walk(m.tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SQL_CALLS:
                offenders.append(f"{m.path.relative_to(ROOT)}:{node.lineno}: .{node.func.attr}(")
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
                words = [w for w in SQL_WORDS if w in node.value]
                if words:
                    offenders.append(f"{m.path.relative_to(ROOT)}:{node.lineno}: {words[0].strip()} in a string")
    return offenders


def test_no_sql_outside_the_storage_layer():
    assert sql_outside_storage() == []


def test_the_sql_finder_finds_sql(tmp_path: Path):
    tree = ast.parse('"""A docstring may say SELECT freely."""\nconn.execute("SELECT 1")\nq = f"DELETE FROM {t}"\n')
    words = [n for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
             and id(n) not in _docstrings(tree) and any(w in n.value for w in SQL_WORDS)]
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
             and n.func.attr in SQL_CALLS]
    assert len(words) == 2 and len(calls) == 1


def test_an_import_runs_in_one_process() -> None:
    """No reading subprocesses, no pickled or marshalled chunks: one process reads and stores."""
    banned = ("subprocess", "multiprocessing", "concurrent", "pickle", "marshal")
    found = [
        (m.name, imp.target, imp.line)
        for m in modules().values()
        if _within(m.name, "roi.importers") or m.name == "roi.db.imports"
        for imp in imports(m)
        if any(_within(imp.target, b) for b in banned)
    ]
    assert found == []
