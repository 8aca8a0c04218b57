"""The layering holds beyond what import-linter's layers contract checks: no module of the
core takes part in an import cycle, wherever its imports sit (grimp sees the ones inside
functions too, which is where cycles used to hide), and no service runs SQL of its own.
docs/adr/0007-layers.md."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import grimp

CORE_EXCLUDED = ("annotator.gui", "annotator.cli")


def _cycles(graph: grimp.ImportGraph, modules: set[str]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def edges(m: str) -> list[str]:
        return sorted(i for i in graph.find_modules_directly_imported_by(m) if i in modules)

    for root in sorted(modules):
        if root in index:
            continue
        work = [(root, iter(edges(root)))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        m = stack.pop()
                        on_stack.discard(m)
                        component.append(m)
                        if m == node:
                            break
                    if len(component) > 1:
                        out.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(edges(child))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return out


def test_no_module_of_the_core_is_in_an_import_cycle():
    graph = grimp.build_graph("annotator")
    core = {m for m in graph.modules
            if m != "annotator" and not m.startswith(CORE_EXCLUDED)}
    assert _cycles(graph, core) == []


def test_the_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for m in ("p", "p.a", "p.b", "p.c"):
        graph.add_module(m)
    graph.add_import(importer="p.a", imported="p.b")
    graph.add_import(importer="p.b", imported="p.a")
    graph.add_import(importer="p.c", imported="p.a")
    assert _cycles(graph, {"p.a", "p.b", "p.c"}) == [["p.a", "p.b"]]


# --- SQL only in storage -----------------------------------------------------------------

SERVICES = Path(__file__).resolve().parents[2] / "annotator" / "services"
# what runs SQL on a connection or a cursor
SQL_CALLS = {"execute", "executemany", "executescript", "query"}
SQL_TEXT = re.compile(
    r"\bSELECT\b[\s\S]*\bFROM\b|\bINSERT\s+(OR\s+\w+\s+)?INTO\b|\bUPDATE\s+\w+\s+SET\b"
    r"|\bDELETE\s+FROM\b|\b(CREATE|DROP|ALTER)\s+(TEMP\s+)?(TABLE|INDEX|VIEW|TRIGGER)\b"
    r"|\bPRAGMA\s+\w+|\b(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|ANALYZE)\b\s*$")


def sql_in(source: str) -> list[str]:
    """Where a module runs SQL itself: calls of execute() and the like, and string
    literals (f-strings too; not docstrings) that are SQL."""
    tree = ast.parse(source)
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef,
                                       ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and (node.func.attr in SQL_CALLS
                     or node.func.attr == "cursor" and not node.args and not node.keywords):
            found.append(f"line {node.lineno}: .{node.func.attr}()")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and id(node) not in docstrings and SQL_TEXT.search(node.value):
            found.append(f"line {node.lineno}: {node.value[:40]!r}")
    return found


def test_services_run_no_sql_of_their_own():
    found = {str(p.relative_to(SERVICES)): hits for p in sorted(SERVICES.rglob("*.py"))
             if (hits := sql_in(p.read_text(encoding="utf-8")))}
    assert found == {}, "SQL belongs in annotator/storage (a named repository function)"


def test_the_sql_finder_finds_sql():
    assert sql_in('def f(db):\n    """SELECT x FROM y in a docstring is prose."""\n'
                  '    return 1\n') == []
    assert len(sql_in("def f(db, t):\n    return db.execute(f'SELECT id FROM {t}')\n")) == 2
    assert sql_in("ROWS = 'SELECT id, text\\n FROM claims'\n")
    assert sql_in("def f(c):\n    c.cursor()\n")
    assert sql_in("X = 'PRAGMA data_version'\n")
    assert sql_in("X = 'UPDATE datasets SET required = 1'\n")
    assert sql_in("X = 'COMMIT'\n")
    assert not sql_in("X = 'select the figures from the list'\n")


# --- one name per function ----------------------------------------------------------------

ANNOTATOR = SERVICES.parent


def test_no_two_functions_of_services_and_storage_share_a_name():
    """A name says where a function is: two public functions (or classes) of one name in
    services, storage and the top-level modules (index_tokens, index_article) read as one.
    The text functions are kept to this by their own package. The hub's two stores
    (storage/hub.py over PostgreSQL, storage/hub_local.py over this database) still
    mirror each other's names and are not yet held to it."""
    where: dict[str, list[str]] = {}
    for path in sorted([*ANNOTATOR.glob("*.py"), *(ANNOTATOR / "services").rglob("*.py"),
                        *(ANNOTATOR / "storage").rglob("*.py")]):
        if path.name in ("hub.py", "hub_local.py"):
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and \
                    not node.name.startswith("_"):
                where.setdefault(node.name, []).append(str(path.relative_to(ANNOTATOR)))
    assert {n: files for n, files in where.items() if len(files) > 1} == {}
