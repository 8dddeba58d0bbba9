"""The shape of the code, checked from the code: layers import only downwards, handlers never
touch storage, SQL lives only in storage, and no test module imports another."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "bot"

# A part may import its own modules and those of parts with a lower rank, nothing else.
RANKS = {
    "domain": 0,
    "config": 1, "storage": 1, "presentation": 1,
    "services": 2,
    "web": 2,  # what the HTTP doors share: capped bodies, bounded JSON, refusals logged by kind
    "telegram": 3, "desk": 3,  # the Telegram adapter and the Mini App's web adapter, side by side
    "handlers": 4,
    "app": 5,  # the composition root
    "__main__": 6,  # the command line, over the composition root
}  # fmt: skip
SQL = re.compile(r"\b(SELECT\b.+\bFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+(OR\s+\w+\s+)?\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX))\b", re.I | re.S)
DB_CALLS = {"execute", "execute_fetchall", "executemany", "executescript"}


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def part_of(module: str) -> str | None:
    pieces = module.split(".")
    if pieces[0] != "bot" or len(pieces) < 2:
        return None
    return pieces[1]


def imports_of(path: Path, module: str) -> set[str]:
    """Every bot module this file imports, at any depth of the file (imports inside functions count)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
    return {name for name in found if name == "bot" or name.startswith("bot.")}


def edges() -> list[tuple[str, str, str]]:
    """(module, imported module, file) for every import between the bot's modules."""
    result = []
    for module, path in modules().items():
        for target in imports_of(path, module):
            result.append((module, target, str(path.relative_to(ROOT))))
    return result


def test_every_part_has_a_rank() -> None:
    parts = {part_of(module) for module in modules()} - {None}
    assert parts <= set(RANKS), f"parts without a place in the layers: {parts - set(RANKS)}"


def test_imports_point_down_the_layers() -> None:
    wrong = []
    for module, target, file in edges():
        source, destination = part_of(module), part_of(target)
        if destination is None or source is None or source == destination:
            continue
        if RANKS[destination] >= RANKS[source]:
            wrong.append(f"{file}: {source} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_the_parts_import_graph_has_no_cycle() -> None:
    graph: dict[str, set[str]] = {}
    for module, target, _file in edges():
        source, destination = part_of(module), part_of(target)
        if source and destination and source != destination:
            graph.setdefault(source, set()).add(destination)
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                raise AssertionError("import cycle: " + " -> ".join([*trail, node, nxt]))
            if nxt not in state:
                visit(nxt, [*trail, node])
        state[node] = 2

    for node in list(graph):
        if node not in state:
            visit(node, [])


def test_handlers_never_import_storage() -> None:
    wrong = [f"{file}: {target}" for module, target, file in edges()
             if part_of(module) == "handlers" and part_of(target) == "storage"]  # fmt: skip
    assert not wrong, "\n".join(wrong)


def test_domain_imports_nothing_else_of_the_bot() -> None:
    wrong = [f"{file}: {target}" for module, target, file in edges()
             if part_of(module) == "domain" and part_of(target) != "domain"]  # fmt: skip
    assert not wrong, "\n".join(wrong)


def test_sql_is_written_only_in_storage() -> None:
    wrong = []
    for module, path in modules().items():
        if part_of(module) == "storage":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value):
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}: SQL text {node.value[:40]!r}")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in DB_CALLS:
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}: .{node.func.attr}() outside storage")
    assert not wrong, "\n".join(wrong)


def test_no_test_module_imports_another() -> None:
    wrong = []
    for path in (ROOT / "tests").rglob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                if re.match(r"(tests\.)?test_\w+", name) or ".test_" in name:
                    wrong.append(f"{path.relative_to(ROOT)}: imports {name}")
    assert not wrong, "\n".join(wrong)


def test_the_checks_see_a_violation_when_there_is_one(tmp_path: Path) -> None:
    """The walk above is not vacuous: a handler importing storage and running SQL is caught."""
    source = "from bot.storage.chats import ChatRepository\nasync def f(db):\n    await db.execute('SELECT 1 FROM chats')\n"
    path = tmp_path / "handler.py"
    path.write_text(source)
    assert imports_of(path, "bot.handlers.handler") == {"bot.storage.chats"}
    tree = ast.parse(source)
    assert any(isinstance(n, ast.Constant) and isinstance(n.value, str) and SQL.search(n.value) for n in ast.walk(tree))
