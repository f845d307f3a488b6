"""The code's shape: no import cycles, the engine never imports telegram, word tables key the keyword cache."""

from __future__ import annotations

import ast
import logging
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("index", "bot")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, module: str, known: set[str]) -> set[str]:
    """Project modules a file imports anywhere (top level, functions, TYPE_CHECKING blocks)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            # "from .x import y" may name a module y or a symbol of x: keep whichever is a module.
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != module:
                found.add(name)
    return found


def import_graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports."""
    files = {(_module_name(p)): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}
    known = set(files)
    # A package's __init__ is not a cycle with its own submodules' "from . import" of siblings.
    return {m: {d for d in _imports(p, m, known) if not m.startswith(d + ".")} for m, p in files.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == 1:
                return [*stack[stack.index(dep):], dep]
            if dep not in state and (cycle := visit(dep)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_there_is_no_import_cycle() -> None:
    graph = import_graph()
    assert len(graph) > 20 and "index.engine" in graph and "bot.cli" in graph
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph) or [])


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_engine_never_imports_telegram_and_bot_has_no_flat_telegram_modules() -> None:
    for path in (ROOT / "index").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                assert not any(n.split(".")[0] in ("telegram", "bot") for n in names), path
    assert not list((ROOT / "bot").glob("telegram_*.py"))


@pytest.mark.slow
def test_changing_a_word_table_rebuilds_the_keyword_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    from conftest import CORPUS

    import index.terms
    from index import Briefbot, Settings, lexicon

    settings = Settings(data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]
    Briefbot(settings).ingest([CORPUS])

    def load_in_a_new_engine() -> tuple[bool, set[str]]:
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="index.keyword"):
            index = Briefbot(settings).keywords.get()
        rebuilt = any("rebuilt" in r.getMessage() for r in caplog.records)
        return rebuilt, set(index.bm25.vocab_dict)  # type: ignore[attr-defined]

    load_in_a_new_engine()  # whatever the ingest left, the cache now holds this lexicon's index
    rebuilt, vocab = load_in_a_new_engine()
    assert not rebuilt and "suspend" in vocab  # served from the cache

    # A new stopword: the tables' hash moves, so the cached tokens are stale.
    stopwords = lexicon.STOPWORDS | {"suspended", "suspends", "suspend"}
    old_hash = lexicon.lexicon_hash()
    monkeypatch.setattr(lexicon, "STOPWORDS", stopwords)
    monkeypatch.setattr(index.terms, "STOPWORDS", stopwords)
    lexicon.lexicon_hash.cache_clear()
    try:
        assert lexicon.lexicon_hash() != old_hash
        rebuilt, vocab = load_in_a_new_engine()
        assert rebuilt and "suspend" not in vocab
        rebuilt, _ = load_in_a_new_engine()
        assert not rebuilt  # and the rebuilt index is cached under the new hash
    finally:
        monkeypatch.undo()
        lexicon.lexicon_hash.cache_clear()
    assert lexicon.lexicon_hash() == old_hash
