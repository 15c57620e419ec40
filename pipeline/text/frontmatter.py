"""YAML front matter: split off into metadata, with the title's span when it appears verbatim.

The YAML is an article's, so it is hostile until proven otherwise: it is parsed with the safe loader and
within limits — at most `MAX_BYTES` of front matter, `MAX_DEPTH` levels of nesting and `MAX_NODES` nodes
once aliases are expanded (a "billion laughs" of 347 bytes would otherwise expand to gigabytes), and no
alias that refers to itself. Front matter beyond a limit, or that does not parse, is kept as text
(`metadata["front_matter_text"]`) with a `front_matter_invalid` warning; the body is read as usual."""

from __future__ import annotations

import re as _re
from typing import Any

import yaml

from pipeline.text.offsets import Note

_FRONT = _re.compile(r"\A(?:\ufeff)?[ \t]*\r?\n?---[ \t]*\r?\n(.*?)^---[ \t]*$\r?\n?", _re.S | _re.M)


MAX_BYTES = 65_536
MAX_DEPTH = 64
MAX_NODES = 10_000


class _Limit(yaml.YAMLError):
    """The front matter is beyond a limit."""


class _NoDatesLoader(yaml.SafeLoader):
    """Safe YAML that keeps timestamps as written (a `+08:00` date must not move to UTC), with a bound on
    nesting while the document is composed (the composer recurses once per level)."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Limit(f"nested deeper than {MAX_DEPTH} levels")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_NoDatesLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _expanded_size(node: yaml.Node) -> int:
    """How many nodes the document has once every alias is expanded, counted on the composed graph (shared
    nodes are counted once per use, computed once); raises `_Limit` for a cycle or beyond `MAX_NODES`."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(n: yaml.Node) -> int:
        key = id(n)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise _Limit("an alias refers to itself")
        active.add(key)
        if isinstance(n, yaml.MappingNode):
            total = 1 + sum(size(k) + size(v) for k, v in n.value)
        elif isinstance(n, yaml.SequenceNode):
            total = 1 + sum(size(v) for v in n.value)
        else:
            total = 1
        active.discard(key)
        if total > MAX_NODES:
            raise _Limit(f"more than {MAX_NODES:,} nodes once aliases are expanded")
        sizes[key] = total
        return total

    return size(node)


def _load(text: str) -> Any:
    """The front matter's data, within the limits (raises `yaml.YAMLError`, `_Limit` among them)."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise _Limit(f"larger than {MAX_BYTES:,} bytes")
    loader = _NoDatesLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _expanded_size(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def front_matter(original: str) -> tuple[dict[str, Any], int, tuple[int, int] | None, list[Note]]:
    """(metadata, body offset, title span in the original or None, notes)."""
    m = _FRONT.match(original)
    if not m:
        return {}, 0, None, []
    notes: list[Note] = []
    kept = {"front_matter_text": m.group(1)[:MAX_BYTES]}
    try:
        data = _load(m.group(1))
    except _Limit as exc:
        notes.append(Note("front_matter_invalid", f"YAML front matter kept as text: {exc}", m.start(1), m.end(1)))
        return kept, m.end(), None, notes
    except (yaml.YAMLError, RecursionError) as exc:
        notes.append(Note("front_matter_invalid", f"YAML front matter does not parse: {exc}".splitlines()[0],
                          m.start(1), m.end(1)))
        return kept, m.end(), None, notes
    if not isinstance(data, dict):
        notes.append(Note("front_matter_invalid", "YAML front matter is not a mapping", m.start(1), m.end(1)))
        return kept, m.end(), None, notes
    meta = _jsonable(data)
    title_span = None
    title = meta.get("title")
    if isinstance(title, str) and title.strip():
        # find the title's characters verbatim on its own `title:` line; quoted or folded titles that
        # do not appear verbatim stay metadata only
        tm = _re.search(r"^title:[ \t]*(['\"]?)(.*?)\1[ \t]*$", m.group(1), _re.M)
        if tm and tm.group(2) == title:
            title_span = (m.start(1) + tm.start(2), m.start(1) + tm.end(2))
    return meta, m.end(), title_span, notes
