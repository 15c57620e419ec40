"""Article files: finding them in folders and reading them, safely.

- **What is found.** Every `*.txt` and `*.md` under a folder (recursively, in a stable order), and every
  file named directly. Entries that are not plain files are found too, so that each becomes an error
  record instead of vanishing: FIFOs, sockets and devices are refused (reading a FIFO would block for
  ever); a symbolic link is followed only when its target is inside the folder it was found in, unless
  `follow_symlinks` (`--follow-symlinks`); loops and dangling links are refused with their reason.
- **How a source is named.** The absolute path, as a string; a name that is not valid UTF-8 (a GBK file
  name on a Linux disk) has its bytes escaped (`\\xbd`), so the record serialises, and the exact bytes are
  kept as hex in `source_bytes` (`source_name`).
- **How it is read.** Opened without blocking, checked to be a regular file on the open descriptor (no
  race with a file swapped for a FIFO), read once.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import ReadError

ARTICLE_SUFFIXES = (".txt", ".md")


@dataclass(frozen=True)
class ArticleFile:
    """One file to read: its path as found, and the folder it was found under (None: named directly)."""

    path: Path
    root: Path | None = None

    @property
    def source(self) -> str:
        return source_name(self.path)

    def __fspath__(self) -> str:
        return os.fspath(self.path)

    def __str__(self) -> str:
        return self.source


def source_name(path: str | os.PathLike) -> str:
    """The canonical, serialisable name of a source: the absolute path, with any byte that is not UTF-8
    escaped (`\\xbd`)."""
    raw = os.fsencode(os.path.abspath(os.fspath(path)))
    return raw.decode("utf-8", "backslashreplace")


def source_bytes(path: str | os.PathLike) -> str | None:
    """The path's bytes as hex when its name is not valid UTF-8 (None otherwise): kept so that nothing is
    lost by escaping."""
    raw = os.fsencode(os.path.abspath(os.fspath(path)))
    try:
        raw.decode("utf-8")
        return None
    except UnicodeDecodeError:
        return raw.hex()


def find_articles(paths, *, follow_symlinks: bool = False) -> list[ArticleFile]:
    """Files named, and `*.txt` / `*.md` entries under folders named (recursively, sorted). A folder is
    walked without following links to folders unless `follow_symlinks` (then each real folder once)."""
    out: list[ArticleFile] = []
    for p in map(Path, paths):
        if p.is_dir():
            root = Path(os.path.abspath(p))
            found = []
            seen: set[tuple[int, int]] = set()
            for folder, dirs, names in os.walk(root, followlinks=follow_symlinks):
                if follow_symlinks:  # a loop of linked folders is walked once
                    st = os.stat(folder)
                    if (st.st_dev, st.st_ino) in seen:
                        dirs[:] = []
                        continue
                    seen.add((st.st_dev, st.st_ino))
                dirs.sort()
                found += [Path(folder) / n for n in names if n.lower().endswith(ARTICLE_SUFFIXES)]
            out += [ArticleFile(f, root) for f in sorted(found, key=os.fsencode)]
        else:
            out.append(ArticleFile(Path(os.path.abspath(p))))
    return out


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def read_article(article: ArticleFile | str | os.PathLike, *, follow_symlinks: bool = False) -> bytes:
    """The bytes of one article file, or a `ReadError` naming it and saying why not."""
    if not isinstance(article, ArticleFile):
        article = ArticleFile(Path(os.path.abspath(os.fspath(article))))
    path, name = article.path, article.source
    try:
        if path.is_symlink():
            try:
                target = path.resolve(strict=True)
            except RuntimeError as exc:  # Python < 3.13 reports a loop as RuntimeError
                raise ReadError("a symbolic link loop", source=name) from exc
            except OSError as exc:
                reason = "a symbolic link loop" if exc.errno == 40 else f"a dangling symbolic link ({exc.strerror})"
                raise ReadError(reason, source=name) from exc
            root = article.root.resolve() if article.root is not None else None
            if root is not None and not follow_symlinks and not target.is_relative_to(root):
                raise ReadError(f"a symbolic link to {source_name(target)}, outside the input folder "
                                "(--follow-symlinks follows it)", source=name)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except ReadError:
        raise
    except OSError as exc:
        raise ReadError(f"cannot read: {exc.strerror or exc}", source=name) from exc
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise ReadError(f"{_kind(mode)}, not an article file: refused", source=name)
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)
    except ReadError:
        raise
    except OSError as exc:
        raise ReadError(f"cannot read: {exc.strerror or exc}", source=name) from exc
    finally:
        os.close(fd)
