"""The documentation cannot fall behind the code (in the manner of sqlite-utils'
tests/test_docs.py): every command and option is in docs/cli.md, every command is shown in
the README, the README's module map is the tree, and the package list in pyproject.toml
names every package."""

from __future__ import annotations

import importlib.util
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


reference = _script("cli_reference")


def test_the_command_reference_is_current():
    current = reference.REFERENCE.read_text(encoding="utf-8")
    assert current == reference.render(), \
        "docs/cli.md is out of date: run python scripts/cli_reference.py"


@pytest.mark.parametrize("words,command", [
    pytest.param(w, c, id=" ".join(w)) for w, c in reference.commands(
        __import__("annotator.cli", fromlist=["main"]).main)])
def test_every_option_is_in_the_reference(words, command):
    text = reference.REFERENCE.read_text(encoding="utf-8")
    heading = "#" * (1 + len(words)) + f" annotator {' '.join(words)}\n"
    section = text.split("\n" + heading, 1)[1].split("```\n", 2)[1]
    for param in command.params:
        for opt in getattr(param, "opts", []):
            if opt.startswith("-"):
                assert opt in section, f"{opt} of annotator {' '.join(words)}"


def test_every_command_is_shown_in_the_readme():
    from annotator.cli import main

    missing = [name for name in main.commands
               if not re.search(rf"\bannotator {re.escape(name)}\b", README)]
    assert not missing, f"README shows no example of: {', '.join(missing)}"
    assert "docs/cli.md" in README


# --- the module map --------------------------------------------------------------------

def _module_map() -> dict[str, set[str]]:
    """README's module map: each bullet `annotator/PKG/` names its modules in backticks."""
    section = README.split("### Modules", 1)[1].split("\n## ", 1)[0]
    found: dict[str, set[str]] = {}
    for item in re.split(r"\n(?=\s*- `)", section):
        head = re.match(r"\s*- `(annotator(?:/[\w/]*\w)?)/?`", item)
        if head:
            found[head.group(1)] = set(re.findall(r"`([a-z_][a-z0-9_]*)`", item))
    return found


def _tree() -> dict[str, set[str]]:
    tree: dict[str, set[str]] = {}
    for init in sorted((ROOT / "annotator").rglob("__init__.py")):
        pkg = init.parent
        if "__pycache__" in pkg.parts:
            continue
        names = {p.stem for p in pkg.glob("*.py") if p.stem not in ("__init__", "__main__")}
        names |= {p.name for p in pkg.iterdir() if (p / "__init__.py").exists()}
        tree[str(pkg.relative_to(ROOT))] = names
    return tree


def test_the_readme_module_map_is_the_tree():
    mapped, tree = _module_map(), _tree()
    assert set(mapped) == set(tree), \
        f"packages mapped but absent: {sorted(set(mapped) - set(tree))}; " \
        f"present but not mapped: {sorted(set(tree) - set(mapped))}"
    for pkg, names in tree.items():
        assert mapped[pkg] == names, \
            f"{pkg}: named but absent {sorted(mapped[pkg] - names)}, " \
            f"present but not named {sorted(names - mapped[pkg])}"


def test_pyproject_lists_every_package():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(project["tool"]["setuptools"]["packages"])
    on_disk = {pkg.replace("/", ".") for pkg in _tree()}
    assert on_disk <= listed, f"not in pyproject.toml: {sorted(on_disk - listed)}"
