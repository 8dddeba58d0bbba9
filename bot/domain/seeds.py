"""Reading and validating the curated source files in `seeds/`.

A seed file is checked whole before anything touches the database: schema, known topics, and
faithfulness to the source text it cites (every figure's evidence and every quote must be found
in the text; every number in titles, summaries and labels must occur there).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot.domain.catalogue import Catalogue
from bot.domain.models import SourceFile, fingerprint
from bot.domain.faithfulness import check_faithful
from bot.domain.validation import ContentError, describe_validation_error
from bot.domain.voices import VoiceReader, Voices

SEED_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class LoadedSource:
    path: Path
    content: SourceFile
    text: str | None
    fingerprint: str
    voices: Voices | None = None  # who says what in the text, read when it was loaded


def seed_files(seeds_dir: Path) -> list[Path]:
    if not seeds_dir.is_dir():
        raise ContentError(f"{seeds_dir}: seeds folder not found (set SEEDS_DIR)")
    return sorted(
        path
        for path in seeds_dir.iterdir()
        if path.suffix in SEED_SUFFIXES and path.is_file() and not path.name.startswith((".", "_"))
    )


MAX_VALUES = 100_000  # values one document may hold, an alias counted each time it is used
MAX_DEPTH = 24  # nesting a seed document needs: source → snippets → figure → field is 5


def parse_document(raw_text: str, name: str) -> Any:
    """YAML or JSON text into data; syntax errors name the line.

    Bounded whatever the text: libyaml's parser when PyYAML has it (several times faster than
    the pure-Python one), and before anything is built, the document's size with every alias
    expanded and its depth are checked, so a few kilobytes of anchors cannot become millions of
    values to validate ("billion laughs")."""
    try:
        if name.endswith(".json"):
            data = json.loads(raw_text)
            _check_data_shape(data, name)
            return data
        return _load_yaml(raw_text, name)
    except json.JSONDecodeError as exc:
        raise ContentError(f"{name}: not valid JSON at line {exc.lineno}: {exc.msg}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ContentError(f"{name}: not valid YAML{line}: {problem}") from None
    except RecursionError:
        raise ContentError(f"{name}: nested too deeply (a seed document needs at most {MAX_DEPTH} levels)") from None
    except ValueError as exc:  # what the parsers let through: an integer of more than 4,300 digits
        if "integer string conversion" in str(exc):
            raise ContentError(f"{name}: a number has too many digits to be a figure") from None
        raise ContentError(f"{name}: a value cannot be read ({str(exc).splitlines()[0][:120]})") from None


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_yaml(raw_text: str, name: str) -> Any:
    loader = _Loader(raw_text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_node_shape(node, name)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _node_children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_node_shape(root: yaml.Node, name: str) -> None:
    """The size of the document with aliases expanded, and its depth, without expanding it:
    each node is measured once (an alias is the same node object met again)."""
    measured: dict[int, tuple[int, int]] = {}  # id(node) → (values, depth) below and including it
    started: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            children = [measured[id(child)] for child in _node_children(node)]
            values = 1 + sum(size for size, _ in children)
            depth = 1 + max((d for _, d in children), default=0)
            if values > MAX_VALUES:
                raise ContentError(f"{name}: too large once its aliases are expanded "
                                   f"(more than {MAX_VALUES:,} values)")
            if depth > MAX_DEPTH:
                raise ContentError(f"{name}: nested too deeply (a seed document needs at most {MAX_DEPTH} levels)")
            measured[key] = (values, depth)
            started.discard(key)
            continue
        if key in measured:
            continue
        if key in started:
            raise ContentError(f"{name}: an alias refers to the value that contains it")
        started.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _node_children(node) if id(child) not in measured)


def _check_data_shape(data: Any, name: str) -> None:
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ContentError(f"{name}: nested too deeply (a seed document needs at most {MAX_DEPTH} levels)")
        if isinstance(value, dict):
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)


def validate_source(raw: Any, name: str, catalogue: Catalogue, text: str | None,
                    voices: Voices | None = None) -> SourceFile:
    """Schema, topics and faithfulness checks for one parsed source document (with the text's
    `voices`, quotes and figures are held to who says them)."""
    if not isinstance(raw, dict):
        raise ContentError(f"{name}: expected a mapping with `source` and `snippets`")
    try:
        content = SourceFile.model_validate(raw)
    except ValidationError as exc:
        raise ContentError(f"{name}: {describe_validation_error(exc, raw)}") from None
    for snippet in content.snippets:
        if snippet.topic is not None and catalogue.by_slug(snippet.topic) is None:
            known = ", ".join(topic.slug for topic in catalogue)
            raise ContentError(
                f"{name}: snippet {snippet.id!r}, field 'topic': unknown topic "
                f"{snippet.topic!r} (known: {known})"
            )
    if text is not None:
        check_faithful(content, text, name, voices)
    return content


def people_named(content: SourceFile) -> list[str]:
    """The people a content file credits: its author and its quotes' authors."""
    names = [content.source.author.name] + [q.author.name for s in content.snippets for q in s.quotes if q.author]
    return list(dict.fromkeys(names))


def read_voices(raw: Any, text: str | None, reader: VoiceReader | None) -> Voices | None:
    """The voices of a document's text, read before it is validated (None without a reader)."""
    if reader is None or text is None or not isinstance(raw, dict):
        return None
    try:
        content = SourceFile.model_validate(raw)
    except ValidationError:
        return None  # validate_source names the problem
    interviewee = content.source.author.name if content.source.kind == "interview" else None
    return reader(text, interviewee, people_named(content))


def load_source_file(path: Path, seeds_dir: Path, catalogue: Catalogue, voice_reader: VoiceReader | None = None) -> LoadedSource:
    name = path.name
    try:
        raw_text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentError(f"{name}: not UTF-8 text") from None
    return load_document(raw_text, path, seeds_dir, catalogue, voice_reader)


def load_document(raw_text: str, path: Path, seeds_dir: Path, catalogue: Catalogue,
                  voice_reader: VoiceReader | None = None) -> LoadedSource:
    """A seed document from text (a file in seeds/, or one an admin uploaded), validated whole;
    its `source.text` must name a file inside `seeds_dir`."""
    name = path.name
    raw = parse_document(raw_text, name)
    text = None
    if isinstance(raw, dict) and isinstance(raw.get("source"), dict) and raw["source"].get("text"):
        text_path = (seeds_dir / str(raw["source"]["text"])).resolve()
        if not text_path.is_relative_to(seeds_dir.resolve()) or not text_path.is_file():
            raise ContentError(f"{name}: field 'source.text': file {raw['source']['text']!r} not found in {seeds_dir}")
        text = text_path.read_text(encoding="utf-8")
    voices = read_voices(raw, text, voice_reader)
    content = validate_source(raw, name, catalogue, text, voices)
    return LoadedSource(path=path, content=content, text=text, fingerprint=fingerprint(content), voices=voices)


def load_seeds(seeds_dir: Path, catalogue: Catalogue, voice_reader: VoiceReader | None = None) -> list[LoadedSource]:
    """All seed files, validated; the first problem raises ContentError naming file and field.
    `voice_reader` reads who says what in each text, so quotes are held to their speakers."""
    loaded = [load_source_file(path, seeds_dir, catalogue, voice_reader) for path in seed_files(seeds_dir)]
    owners: dict[str, str] = {}
    for item in loaded:
        other = owners.setdefault(item.content.source.id, item.path.name)
        if other != item.path.name:
            raise ContentError(
                f"{item.path.name}: field 'source.id': {item.content.source.id!r} is already used by {other}"
            )
    return loaded
