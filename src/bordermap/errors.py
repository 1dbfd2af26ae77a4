"""Exceptions raised by bordermap.

Every error is a :class:`BordermapError`.  Errors about a record in a file
carry the file, the line or record number and the field, so that the message
points the user at what to fix; the CLI prints ``str(error)`` as one line.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AmbiguousPlaceError",
    "BordermapError",
    "BordermapWarning",
    "BoundaryError",
    "CoordinateError",
    "ExportError",
    "FrontierError",
    "LayerError",
    "LayerWarning",
    "Problem",
    "UnknownPlaceError",
    "shorten",
]

#: Longest text of a value quoted in a message (longer values are cut in the middle).
MAX_SHOWN_CHARS = 80


def shorten(value: object, limit: int = MAX_SHOWN_CHARS) -> str:
    """``repr`` of a value for a message, cut to about ``limit`` characters.

    Containers are described, never expanded (an aliased YAML structure can be
    enormous), and long text keeps its start and end.

    Examples
    --------
    >>> shorten("ab" * 100, 20)
    "'ababababab…ababababab' (200 characters)"
    >>> shorten([1, 2, 3]), shorten({"a": 1}), shorten(90.0000001)
    ('a list of 3 items', 'a mapping of 1 item', '90.0000001')
    """
    if isinstance(value, dict):
        n = len(value)
        return f"a mapping of {n} item{'s' * (n != 1)}"
    if isinstance(value, list | tuple | set | frozenset):
        n = len(value)
        return f"a list of {n} item{'s' * (n != 1)}"
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return f"an integer of about {int(value.bit_length() * 0.30103)} digits"
    if isinstance(value, str | bytes) and len(value) > limit:
        half = limit // 2
        head, tail = repr(value[:half])[:-1], repr(value[-half:])
        tail = tail[tail.index(tail[-1]) + 1 :]  # drop the opening quote (and b prefix)
        return f"{head}…{tail} ({len(value)} characters)"
    text = repr(value)
    if len(text) > limit:
        return text[: limit // 2] + "…" + text[-(limit // 2) :]
    return text


class BordermapWarning(UserWarning):
    """Base class of the warnings bordermap emits (likely mistakes that still load)."""


class LayerWarning(BordermapWarning):
    """A likely mistake in an incident layer, e.g. lon and lat that look swapped."""


@dataclass(frozen=True)
class Problem:
    """One problem found in a file: where, which field, what, how bad.

    ``str(problem)`` is ``file:line: field: message (suggestion)``.

    Examples
    --------
    >>> str(Problem("x.yaml", 4, "incidents[0].date", "bad date", "error"))
    'x.yaml:4: incidents[0].date: bad date'
    """

    path: str | None
    line: int | None
    field: str | None
    message: str
    severity: str = "error"
    suggestion: str | None = None

    def __str__(self) -> str:
        where = self.path or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        text = f"{where}: {self.field}: " if self.field else f"{where}: "
        if self.severity != "error":
            text += f"{self.severity}: "
        text += self.message
        if self.suggestion:
            text += f" ({self.suggestion})"
        return text


class BordermapError(Exception):
    """Base class of every error bordermap raises on purpose.

    Parameters
    ----------
    message : str
        What went wrong, in one sentence.
    path : str, optional
        File the bad input came from.
    line : int, optional
        1-based line (text files) or record (tables) number.
    field : str, optional
        Name of the offending field or column.
    suggestion : str, optional
        What the user could do instead.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        field: str | None = None,
        suggestion: str | None = None,
    ) -> None:
        self.message = message
        self.path = None if path is None else str(path)
        self.line = line
        self.field = field
        self.suggestion = suggestion
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        if self.path is not None:
            where.append(self.path)
        if self.line is not None:
            where.append(f"line {self.line}" if self.path else f"row {self.line}")
        if self.field is not None:
            where.append(f"field '{self.field}'")
        text = f"{', '.join(where)}: {self.message}" if where else self.message
        if self.suggestion:
            text += f" ({self.suggestion})"
        return text


class UnknownPlaceError(BordermapError, LookupError):
    """A place name matched nothing; ``suggestions`` holds the nearest names."""

    def __init__(self, name: str, suggestions: list[str] | tuple[str, ...] = (), **kw) -> None:
        self.name = name
        self.suggestions = tuple(suggestions)
        hint = kw.pop("suggestion", None)
        if hint is None and self.suggestions:
            hint = "did you mean: " + ", ".join(self.suggestions) + "?"
        super().__init__(f"unknown place {name!r}", suggestion=hint, **kw)


#: Characters of candidates an ambiguity lists (the rest are counted): with the name and
#: the suggestion the message stays within what one error line shows (800 characters).
_LISTED_CHARS = 560


class AmbiguousPlaceError(BordermapError, LookupError):
    """A name matched several places equally well; ``candidates`` lists them all."""

    def __init__(self, name: str, candidates: tuple = (), **kw) -> None:
        self.name = name
        self.candidates = tuple(candidates)
        shown: list[str] = []
        for c in self.candidates[:10]:  # short enough that the suggestion stays on the line
            text = str(c)
            if shown and sum(len(s) + 2 for s in shown) + len(text) > _LISTED_CHARS:
                break
            shown.append(text)
        listed = "; ".join(shown)
        rest = len(self.candidates) - len(shown)
        more = f" and {rest} more" if rest else ""
        kw.setdefault("suggestion", "add a country hint or use a more specific name")
        super().__init__(f"{name!r} matches {len(self.candidates)} places: {listed}{more}", **kw)


class CoordinateError(BordermapError, ValueError):
    """Coordinates out of range, non-finite, swapped or in an unexpected CRS."""


class BoundaryError(BordermapError, ValueError):
    """A boundary file or country code that cannot be used."""


class FrontierError(BordermapError, LookupError):
    """An unknown frontier name or two countries that share no boundary."""


class LayerError(BordermapError, ValueError):
    """An incident layer that fails validation.

    ``problems`` lists every :class:`Problem` found in the file (errors and
    warnings, in file order); ``path``, ``line`` and ``field`` are those of the
    first error.  With more than one problem, ``str(error)`` is a count line
    (``layers/x.yaml: 5 problems``) followed by one problem per line.
    """

    def __init__(
        self,
        message: str,
        *,
        problems: list[Problem] | None = None,
        n_errors: int | None = None,
        **kw,
    ) -> None:
        self.problems: list[Problem] = list(problems or [])
        self.n_errors = n_errors
        super().__init__(message, **kw)
        if not self.problems:
            self.problems = [
                Problem(self.path, self.line, self.field, message, "error", self.suggestion)
            ]

    def __str__(self) -> str:
        problems = getattr(self, "problems", None) or []
        if len(problems) <= 1:
            return super().__str__()
        errors = sum(p.severity == "error" for p in problems)
        warned = len(problems) - errors
        if self.n_errors is not None:  # some were not listed
            errors = self.n_errors
        head = f"{self.path or '<input>'}: {errors} problem{'s' * (errors != 1)}"
        if warned:
            head += f" and {warned} warning{'s' * (warned != 1)}"
        return "\n".join([head, *(str(p) for p in problems)])


class ExportError(BordermapError, OSError):
    """An export that cannot be written without losing data."""


# --- one-line, bounded messages for the command line (cli helper) -------------------------

#: Longest value an error line repeats; longer values are cut with "…".
ECHO_LIMIT = 80


def clip_value(text: str, limit: int = ECHO_LIMIT) -> str:
    """``text`` cut to about ``limit`` characters, saying how long it was.

    Examples
    --------
    >>> clip_value("x" * 10_000_000)
    'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… (10,000,000 characters)'
    >>> clip_value("Saravan")
    'Saravan'
    """
    if len(text) <= limit:
        return text
    return f"{text[: max(1, limit - 11)]}… ({len(text):,} characters)"


def one_line(message: object, limit: int = ECHO_LIMIT) -> str:
    """A message as one line in which no quoted value or word runs past ``limit``.

    Line breaks become "; ", quoted values and words longer than ``limit`` are
    cut (:func:`clip_value`), and the whole line is capped at 10 × ``limit``.

    Examples
    --------
    >>> one_line("unknown place '" + "a" * 500 + "'\\nsecond line")
    "unknown place 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa… (502 characters); second line"
    """  # noqa: E501
    import re

    text = "; ".join(part.strip() for part in str(message).splitlines() if part.strip())
    if len(text) <= limit:
        return text
    n = limit + 1
    # a quote opens a value only where no letter or digit precedes it and closes one only
    # where none follows, so the text *between* two quoted values is never taken for one
    quoted = re.compile(
        rf"(?<!\w)'(?:[^'\\\n]|\\.){{{n},}}'(?!\w)|(?<!\w)\"(?:[^\"\\\n]|\\.){{{n},}}\"(?!\w)"
    )
    text = quoted.sub(lambda m: clip_value(m.group(0), limit), text)
    text = re.sub(rf"\S{{{n},}}", lambda m: clip_value(m.group(0), limit), text)
    cap = 10 * limit
    if len(text) > cap:
        text = f"{text[:cap]}… (message cut at {cap} of {len(text):,} characters)"
    return text
