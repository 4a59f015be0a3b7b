"""Byte streams for importers: zip members read in place, progress, XML clean-up.

* :func:`open_input` opens a plain file or one member of a zip *as a stream* (nothing is
  extracted to disk) and wraps it in a :class:`ProgressReader`, which reports how much of the
  file on disk has been consumed (for a zip member the uncompressed position is scaled to the
  zip's size, so a progress bar can always use ``path.stat().st_size`` as its total).
* :class:`XmlCleaner` sits between that stream and lxml. It blanks out the document type
  declaration (``<!DOCTYPE HealthData [...]>``): some iOS versions write a broken internal DTD
  subset that libxml2 rejects even with DTD loading off, and a real export is untrusted input
  anyway. The declaration is replaced by as many newlines as it spanned, so line numbers in
  error messages still match the file. It also turns the control characters XML 1.0 forbids
  (iOS exports contain stray ``\\x0b``) into spaces.
* :func:`open_lines` streams a text file (or zip member) as lines of bounded length for the
  ``csv`` module, so a CSV of any size is read in constant memory.

Hostile files are refused before they can exhaust memory or time: a zip member that would
unpack to more than :data:`MAX_MEMBER_BYTES`, or that is compressed more than
:data:`MAX_RATIO` times (a "zip bomb"; real exports compress 5-20 times), and a text line
longer than :data:`MAX_LINE_CHARS`.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from bedside.importers.base import ImportFileError, Progress

STREAM_ERRORS = (EOFError, zlib.error, zipfile.BadZipFile, OSError)
_CONTROL = bytes(range(0x20)).translate(None, b"\t\n\r")  # C0 controls XML 1.0 forbids
_CLEAN_TABLE = bytes.maketrans(_CONTROL, b" " * len(_CONTROL))
_DOCTYPE = re.compile(rb"<!DOCTYPE\b")
_ELEMENT_START = re.compile(rb"<[A-Za-z_]")
_HEAD_LIMIT = 4 << 20
#: The largest uncompressed zip member Bedside reads (a decade of Apple Watch data is ~10 GB).
MAX_MEMBER_BYTES = 32 << 30
#: The highest compression ratio accepted for members above :data:`RATIO_FLOOR` bytes.
MAX_RATIO = 100
RATIO_FLOOR = 8 << 20
#: The longest line a text importer reads (a Sleep as Android row with a night of
#: actigraphy is well under 100 000 characters).
MAX_LINE_CHARS = 4 << 20


class ProgressReader(io.RawIOBase):
    """A read-only stream that reports consumed bytes (scaled) after every read.

    ``limit`` (bytes) stops a stream that yields more than its zip header promised.
    """

    def __init__(
        self,
        raw: IO[bytes],
        progress: Progress | None,
        scale: float = 1.0,
        limit: int | None = None,
    ) -> None:
        super().__init__()
        self._raw = raw
        self._progress = progress
        self._scale = scale
        self._limit = limit
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self.consumed += len(data)
        if self._limit is not None and self.consumed > self._limit:
            raise zipfile.BadZipFile("a member is larger than its zip header says")
        if self._progress is not None and data:
            self._progress(int(self.consumed * self._scale))
        return data

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._raw.close()
        super().close()


class XmlCleaner:
    """File-like filter for lxml: drop the DOCTYPE, replace forbidden control characters."""

    def __init__(self, raw: ProgressReader) -> None:
        self._raw = raw
        self._head: bytes | None = None
        self.at_end = False
        self.tail = b""
        #: True when the blanked DOCTYPE declared entities (never expanded: see apple.py).
        self.declared_entities = False

    @property
    def consumed(self) -> int:
        """Bytes of XML read so far (uncompressed, for a zip member)."""
        return self._raw.consumed

    def ends_with(self, closing: bytes) -> bool:
        """True if the whole stream was read and its last bytes are ``closing`` (+ space)."""
        return self.at_end and self.tail.rstrip().endswith(closing)

    def read(self, size: int | None = -1) -> bytes:
        if self._head is None:
            self._head = self._read_head()
        if self._head:
            cut = len(self._head) if size is None or size < 0 else size
            data, self._head = self._head[:cut], self._head[cut:]
        else:
            data = self._raw.read(-1 if size is None else size)
        if data:
            self.tail = (self.tail + data[-256:])[-256:]
        else:
            self.at_end = True
        return data.translate(_CLEAN_TABLE)

    def _read_head(self) -> bytes:
        """Read until the root element starts, then blank the DOCTYPE in what was read."""
        head = b""
        while len(head) < _HEAD_LIMIT:
            chunk = self._raw.read(64 * 1024)
            head += chunk
            if not chunk or _root_start(head) >= 0:
                break
        match = _DOCTYPE.search(head)
        root = _root_start(head)
        if match is None or (root >= 0 and match.start() > root):
            return head
        end = root if root >= 0 else len(head)
        doctype = head[match.start() : end]
        self.declared_entities = b"<!ENTITY" in doctype
        return head[: match.start()] + b"\n" * doctype.count(b"\n") + head[end:]


def _root_start(head: bytes) -> int:
    """Offset of the first element start tag (``<`` then a letter), or -1.

    Declarations, comments and the DTD's own markup all start with ``<!`` or ``<?``.
    """
    match = _ELEMENT_START.search(head)
    return -1 if match is None else match.start()


@contextmanager
def open_input(
    path: Path, progress: Progress | None, member: Callable[[list[str]], str | None] | None = None
) -> Iterator[ProgressReader]:
    """Open ``path`` (or, if it is a zip, the member ``member(names)`` picks) as a stream."""
    size = path.stat().st_size
    if member is not None and zipfile.is_zipfile(path):
        try:
            archive = zipfile.ZipFile(path)
        except STREAM_ERRORS as exc:
            raise ImportFileError(path, f"cannot open the zip file: {exc}") from None
        with archive:
            name = member(archive.namelist())
            if name is None:
                raise ImportFileError(path, "the zip file does not contain the expected file")
            info = archive.getinfo(name)
            check_member(path, info)
            scale = size / info.file_size if info.file_size else 1.0
            try:
                raw = archive.open(info)
            except STREAM_ERRORS as exc:
                raise ImportFileError(path, f"cannot read {name} in the zip: {exc}") from None
            with ProgressReader(raw, progress, scale, limit=info.file_size) as reader:
                yield reader
        return
    if member is not None and path.suffix.lower() == ".zip":
        raise ImportFileError(path, "not a zip file, or a truncated one (no zip directory found)")
    with ProgressReader(path.open("rb"), progress) as reader:
        yield reader


def check_member(path: Path, info: zipfile.ZipInfo) -> None:
    """Refuse a zip member too large once unpacked, or compressed like a zip bomb."""
    unpacked, packed = info.file_size, max(info.compress_size, 1)
    if unpacked > MAX_MEMBER_BYTES:
        raise ImportFileError(
            path,
            f"{info.filename} would unpack to {unpacked / 2**30:,.1f} GiB, more than the "
            f"{MAX_MEMBER_BYTES >> 30} GiB Bedside reads; nothing was imported",
        )
    if unpacked > RATIO_FLOOR and unpacked > MAX_RATIO * packed:
        raise ImportFileError(
            path,
            f"{info.filename} is compressed {unpacked // packed:,} to 1, far more than any real "
            "export (a zip bomb?); nothing was imported",
        )


class TextLines:
    """UTF-8 lines (BOM dropped, line ends kept as the ``csv`` module wants) of bounded length.

    Iterating raises :class:`ImportFileError` naming the line for invalid UTF-8, a line longer
    than :data:`MAX_LINE_CHARS` and a truncated or corrupt stream. ``line`` is the number of
    the last line read.
    """

    def __init__(self, path: Path, stream: ProgressReader) -> None:
        self.path = path
        self.line = 0
        self._bytes = io.BufferedReader(stream, 1 << 16)

    def __iter__(self) -> TextLines:
        return self

    def __next__(self) -> str:
        try:
            data = self._bytes.readline(MAX_LINE_CHARS + 1)
        except STREAM_ERRORS as exc:
            raise ImportFileError(
                self.path, f"the file is truncated or corrupt ({exc})", line=self.line + 1
            ) from None
        if not data:
            raise StopIteration
        self.line += 1
        if len(data) > MAX_LINE_CHARS and not data.endswith(b"\n"):
            raise ImportFileError(
                self.path,
                f"a line longer than {MAX_LINE_CHARS:,} bytes; this is not a text export",
                line=self.line,
            )
        try:
            return data.decode("utf-8-sig" if self.line == 1 else "utf-8")
        except UnicodeDecodeError:
            raise ImportFileError(
                self.path, "not UTF-8 text (save or export it as UTF-8)", line=self.line
            ) from None


@contextmanager
def open_lines(
    path: Path, progress: Progress | None, member: str | None = None
) -> Iterator[TextLines]:
    """Stream ``path`` (or its zip member named ``member``) as :class:`TextLines`."""
    pick = (lambda names: find_member(names, member)) if member else None
    with open_input(path, progress, pick) as stream:
        yield TextLines(path, stream)


def csv_failure(path: Path, exc: csv.Error, line: int) -> ImportFileError:
    """A ``csv`` module error (e.g. an enormous quoted field) as a one-line file error."""
    return ImportFileError(path, f"not readable as CSV: {exc}", line=line or None)


def find_member(names: list[str], wanted: str) -> str | None:
    """The member whose base name is ``wanted``, ignoring macOS ``__MACOSX/`` junk."""
    for name in names:
        if name.startswith("__MACOSX/"):
            continue
        if name == wanted or name.endswith("/" + wanted):
            return name
    return None


def peek(path: Path, size: int = 64 * 1024) -> bytes:
    """The first ``size`` bytes of ``path`` (empty if it cannot be read); for ``sniff``."""
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError:
        return b""


def zip_names(path: Path) -> list[str]:
    """Member names of a zip file, or ``[]`` if ``path`` is not a readable zip."""
    try:
        if not zipfile.is_zipfile(path):
            return []
        with zipfile.ZipFile(path) as archive:
            return archive.namelist()
    except STREAM_ERRORS:
        return []
