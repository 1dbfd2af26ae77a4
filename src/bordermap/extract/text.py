"""Reading a report: bytes to text (with clear errors), sentences and word tokens.

Offsets everywhere are indices into the decoded text (Python ``str``, code
points), so ``text[m.start:m.end]`` is a mention's surface form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bordermap.errors import BordermapError

__all__ = ["MAX_TEXT_BYTES", "Sentence", "Token", "decode_article", "read_article", "sentences",
           "tokens"]

#: Largest report read (bytes).  A 10,000-word report is about 70 KB; 512 KB is about
#: 80,000 words, and is read in bounded time (tens of seconds at worst).
MAX_TEXT_BYTES = 512 * 1024


class ArticleError(BordermapError, ValueError):
    """A report that cannot be read as text (empty, binary, not UTF-8, too large)."""


def decode_article(data: bytes, path: str = "<text>") -> str:
    """Text of a report given as bytes, or an :class:`ArticleError` saying why not.

    Examples
    --------
    >>> decode_article("Sarāvān".encode())
    'Sarāvān'
    >>> try:
    ...     decode_article(b"\\xff\\xfeA", "report.txt")
    ... except ArticleError as exc:
    ...     print(exc)  # doctest: +ELLIPSIS
    report.txt, line 1: not UTF-8 text (byte 0xff at offset 0) (convert it first, ...)
    """
    if len(data) > MAX_TEXT_BYTES:
        raise ArticleError(
            f"{len(data):,} bytes is more than the {MAX_TEXT_BYTES:,}-byte limit for one report",
            path=path, suggestion="split the text into reports of a few pages each",
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        raise ArticleError("the report is empty", path=path,
                           suggestion="give a text file with the report's words")
    if b"\x00" in data[:65536]:
        raise ArticleError("binary data, not text (a NUL byte)", path=path, line=1,
                           suggestion="give the report as plain UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ArticleError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start:,})",
            path=path, line=line,
            suggestion="convert it first, e.g. iconv -f WINDOWS-1252 -t UTF-8 FILE",
        ) from None
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(8, len(text[:65536]) // 100):
        raise ArticleError("binary data, not text (control characters)", path=path, line=1,
                           suggestion="give the report as plain UTF-8 text")
    return text


def read_article(path: str | Path) -> str:
    """Read a report file (UTF-8) with the checks of :func:`decode_article`."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_TEXT_BYTES:
            raise ArticleError(
                f"{size:,} bytes is more than the {MAX_TEXT_BYTES:,}-byte limit for one report",
                path=str(p), suggestion="split the text into reports of a few pages each",
            )
        with open(p, "rb") as fh:
            data = fh.read(MAX_TEXT_BYTES + 1)
    except IsADirectoryError:
        raise ArticleError("is a folder, not a text file", path=str(p)) from None
    except FileNotFoundError:
        raise ArticleError("no such file", path=str(p),
                           suggestion="check the path, or give - to read standard input") from None
    except PermissionError:
        raise ArticleError("cannot be read (permission denied)", path=str(p)) from None
    return decode_article(data, str(p))


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence: its index and character span in the text."""

    index: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Token:
    """A word: its span, surface text and sentence index."""

    start: int
    end: int
    text: str
    sentence: int

    @property
    def capitalised(self) -> bool:
        """First character an upper-case letter."""
        return self.text[:1].isupper()


# A sentence ends at . ! ? (not after a one-letter initial or a common abbreviation) followed
# by space and an upper-case letter, a quote or a digit; or at a blank line.
_ABBREV_TEXT = ("mr mrs ms dr st gen col lt maj capt jan feb mar apr jun jul aug sep sept oct nov "
                "dec no vs etc approx e.g i.e u.s u.k")
_ABBREV = frozenset(_ABBREV_TEXT.split())
_END_RE = re.compile(r"[.!?]+[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n\s*\n")
_WORD_RE = re.compile(r"[^\W_]+(?:['’ʼ][^\W_]+)*")


def sentences(text: str) -> list[Sentence]:
    """Sentence spans of ``text``.

    Examples
    --------
    >>> t = "Gen. Khan spoke on Jan. 5 in Quetta. Shelling followed."
    >>> [t[s.start:s.end] for s in sentences(t)]
    ['Gen. Khan spoke on Jan. 5 in Quetta.', 'Shelling followed.']
    """
    out: list[Sentence] = []
    start = 0
    for m in _END_RE.finditer(text):
        before = text[start : m.start() + 1]
        word = re.search(r"([\w.]+)[.!?]*$", before.rstrip("\"'”’)"))
        w = word.group(1).lower().rstrip(".") if word else ""
        if m.group(0)[0] == "." and (w in _ABBREV or (len(w) == 1 and w.isalpha())):
            continue
        end = m.start() + len(m.group(0).rstrip())
        if text[start:end].strip():
            out.append(Sentence(len(out), *_trim(text, start, end)))
        start = m.end()
    if text[start:].strip():
        out.append(Sentence(len(out), *_trim(text, start, len(text))))
    return out


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def tokens(text: str, sents: list[Sentence]) -> list[Token]:
    """Word tokens (letters and digits, with inner apostrophes) and their sentence."""
    out: list[Token] = []
    for s in sents:
        for m in _WORD_RE.finditer(text, s.start, s.end):
            out.append(Token(m.start(), m.end(), m.group(0), s.index))
    return out
