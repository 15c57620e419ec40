"""YAML front matter: split off into metadata, with the title's span when it appears verbatim."""

from __future__ import annotations

import re as _re
from typing import Any

import yaml

from pipeline.text.offsets import Note

_FRONT = _re.compile(r"\A(?:\ufeff)?[ \t]*\r?\n?---[ \t]*\r?\n(.*?)^---[ \t]*$\r?\n?", _re.S | _re.M)


class _NoDatesLoader(yaml.SafeLoader):
    """Safe YAML that keeps timestamps as written (a `+08:00` date must not move to UTC)."""


_NoDatesLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


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
    try:
        data = yaml.load(m.group(1), Loader=_NoDatesLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        notes.append(Note("front_matter_invalid", f"YAML front matter does not parse: {exc}".splitlines()[0],
                          m.start(1), m.end(1)))
        return {}, m.end(), None, notes
    if not isinstance(data, dict):
        notes.append(Note("front_matter_invalid", "YAML front matter is not a mapping", m.start(1), m.end(1)))
        return {}, m.end(), None, notes
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
