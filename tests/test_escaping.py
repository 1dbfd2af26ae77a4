"""The escaping of analyst text, function by function, against parsers that are not ours.

HTML text is read back with :func:`html.unescape`, XML with :mod:`xml.etree` (expat),
JSON-in-script with :func:`json.loads`; the Content-Security-Policy hashes are those
the CSP specification defines (base64 of the SHA-256 of the script's text).  Fast:
``mutation/run.py map-escaping`` runs this file first for every mutant.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from bordermap._assets import js_json
from bordermap.errors import ExportError
from bordermap.incidents import Claim, Range, Source, parse_date
from bordermap.io._escape import XML_BAD, html_text, spreadsheet_cell, spreadsheet_cells, xml_text
from bordermap.maps.elements import _control_name
from bordermap.maps.payload import _claim_json, _source_row
from bordermap.maps.render import _with_csp

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "a & b \" c ' d",
    "{{7*7}} {% if %} {# c #}",
    "</script><!--",
    "\u2028\u2029 line separators",
    "=cmd|' /C calc'!A0",
    "plain Saravan",
]


# --- HTML ----------------------------------------------------------------------------------


def test_html_text_each_special_character():
    # html.escape's entities (quote=True) and braces as numeric references
    table = {"<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&#x27;",
             "{": "&#123;", "}": "&#125;", "a": "a", "é": "é"}  # fmt: skip
    for raw, esc in table.items():
        assert html_text(raw) == esc
    assert html_text(42) == "42"  # any value, as its str


@pytest.mark.parametrize("text", HOSTILE)
def test_html_text_reads_back_and_holds_no_markup(text):
    out = html_text(text)
    assert html.unescape(out) == text
    assert not set(out) & set("<>\"'{}")
    assert _control_name(text) == out  # layer-control labels use the same rule


# --- XML (KML) -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", [*HOSTILE, "tab\tnew\nline\rcr", "\x7f\x85 \ud7ff \ue000"])
def test_xml_text_reads_back_as_text_and_as_attribute(text):
    out = xml_text(text)
    doc = ET.fromstring(f'<a b="{out}">{out}</a>')
    assert doc.text == text.replace("\r", "\n")  # XML end-of-line handling, as parsed
    # attribute-value normalisation turns tab, newline and CR into spaces
    assert doc.get("b") == re.sub(r"[\t\n\r]", " ", text.replace("\r\n", "\n"))


def test_xml_text_refuses_exactly_what_xml_cannot_carry():
    # XML 1.0, production [2] Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | ...
    for cp in [*range(0x20), 0xFFFE, 0xFFFF]:
        allowed = cp in (0x9, 0xA, 0xD)
        assert (XML_BAD.search(chr(cp)) is None) == allowed, hex(cp)
        if allowed:
            xml_text(f"a{chr(cp)}b")
        else:
            with pytest.raises(ExportError) as e:
                xml_text(f"a{chr(cp)}b")
            assert e.value.message == "text holds control characters that XML cannot carry"
            assert e.value.suggestion == "remove them before exporting to KML"
    for cp in (0x20, 0x7E, 0x7F, 0xD7FF, 0xE000, 0xFFFD):
        assert XML_BAD.search(chr(cp)) is None


# --- spreadsheets ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+1 555 0100", "'+1 555 0100"),
        ("-3 km", "'-3 km"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-", "'-"),
        ("--3", "'--3"),
        ("-3e", "'-3e"),
        ("-1.2.3", "'-1.2.3"),
        ("-.", "'-."),
        ("+e5", "'+e5"),
        ("-3 ", "'-3 "),
        # numbers a spreadsheet reads as numbers are left alone
        ("-3", "-3"),
        ("+1.5e3", "+1.5e3"),
        ("-.5", "-.5"),
        ("-3.", "-3."),
        ("-2E-7", "-2E-7"),
        ("+12e+4", "+12e+4"),
        ("-0.25", "-0.25"),
        # and text that does not start a formula
        ("Saravan", "Saravan"),
        ("a=b", "a=b"),
        (" =x", " =x"),
        ("", ""),
    ],
)
def test_spreadsheet_cell(cell, expected):
    assert spreadsheet_cell(cell) == expected


def test_spreadsheet_cells_copies_only_when_something_changes():
    empty = np.array([], dtype=object)
    assert spreadsheet_cells(empty) is empty
    plain = np.array(["a", "3", "", "b=c"], dtype=object)
    assert spreadsheet_cells(plain) is plain  # nothing starts like a formula
    assert spreadsheet_cells(np.array(["-3", "x"], dtype=object)).tolist() == ["-3", "x"]
    mixed = np.array(["=A1", "ok", "-3", "@x", "-x"], dtype=object)
    out = spreadsheet_cells(mixed)
    assert out.tolist() == ["'=A1", "ok", "-3", "'@x", "'-x"]
    assert mixed.tolist() == ["=A1", "ok", "-3", "@x", "-x"]  # the input is not changed


# --- JSON inside a <script> ------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_js_json_parses_back_and_cannot_leave_the_script(text):
    value = {"t": text, "list": [text, 1.5, None, True], text: {"x": "{%y"}}
    out = js_json(value)
    assert json.loads(out) == value
    for bad in ("<", ">", "&", "\u2028", "\u2029", "{{", "{%", "{#"):
        assert bad not in out
    assert js_json({}) == "{}" and js_json({"a": {}}) == '{"a":{}}'  # structure untouched
    assert js_json("é") == '"é"'  # not ASCII-escaped
    with pytest.raises(ValueError, match="JSON"):
        js_json(float("nan"))  # NaN is not JSON


# --- the page's Content-Security-Policy ------------------------------------------------------


def _sha(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


PAGE = (
    "<!DOCTYPE html><html><head><title>t</title></head><body>"
    "<script>var a = 1;</script>"
    '<script src="https://cdn.jsdelivr.net/x.js"></script>'
    '<SCRIPT type="text/javascript">\nvar b = "é";\n</SCRIPT>'
    "<script>var a = 1;</script>"  # the same script twice: one hash
    "<p><head></p></body></html>"
)


@pytest.mark.parametrize("offline", [True, False])
def test_csp_allows_exactly_the_inline_scripts(offline):
    out = _with_csp(PAGE, offline=offline)
    metas = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', out)
    assert len(metas) == 1
    assert out.index("<head>\n    <meta http-equiv") == PAGE.index("<head>")
    assert out.replace(f'\n    <meta http-equiv="Content-Security-Policy" content="{metas[0]}">',
                       "", 1) == PAGE  # fmt: skip
    policy = dict(d.strip().split(" ", 1) for d in metas[0].split(";"))
    scripts = policy["script-src"].split()
    hashes = [_sha("var a = 1;"), _sha('\nvar b = "é";\n')]
    assert policy["default-src"] == "'none'"
    assert policy["base-uri"] == "'none'" and policy["form-action"] == "'none'"
    assert policy["font-src"] == "data:"
    if offline:
        assert scripts == hashes
        assert policy["style-src"] == "'unsafe-inline'"
        assert policy["img-src"] == "data:"
    else:
        # exactly the files of Leaflet and Leaflet.markercluster on the CDN, not the host
        cdn = "https://cdn.jsdelivr.net/npm/"
        assert scripts == [*hashes, cdn + "leaflet@1.9.4/dist/leaflet.js",
                           cdn + "leaflet.markercluster@1.5.3/dist/leaflet.markercluster.js"]
        assert policy["style-src"] == (
            f"'unsafe-inline' {cdn}leaflet@1.9.4/dist/leaflet.css "
            f"{cdn}leaflet.markercluster@1.5.3/dist/MarkerCluster.css")
        assert policy["img-src"] == "data: https:"
    assert set(policy) == {"default-src", "script-src", "style-src", "img-src", "font-src",
                           "base-uri", "form-action"}  # fmt: skip


# --- popup rows --------------------------------------------------------------------------------


def test_source_row_keeps_only_http_links():
    d = parse_date("2024-01-17")
    rows = {
        url: _source_row(Source("Wire", "Title", date=d, url=url, authors="A. B."))
        for url in ("https://e.org/a", "HTTP://E.ORG/b", "javascript:alert(1)",
                    "data:text/html,x", "ftp://e.org/c", " https://e.org", None)
    }  # fmt: skip
    assert rows["https://e.org/a"] == ["Wire", "Title", "2024-01-17", "https://e.org/a", "A. B."]
    assert rows["HTTP://E.ORG/b"][3] == "HTTP://E.ORG/b"
    for bad in ("javascript:alert(1)", "data:text/html,x", "ftp://e.org/c", " https://e.org"):
        assert rows[bad][3] is None
    assert rows[None][3] is None
    assert _source_row(Source("Wire", "Title"))[2] is None  # no date


def test_claim_json_carries_the_set_fields_only():
    s1, s2 = Source("P1", "T1"), Source("P2", "T2")
    full = Claim(
        "<b>Army</b>",
        casualties=(("killed", Range(2, 2, 2)), ("seriously_injured", Range(1, None, 4))),
        hit="<i>depot</i>",
        outcome="{{x}}",
        sources=(s2, s1),
        notes="n & m",
    )
    out = _claim_json(full, {s1: 0, s2: 7})
    assert out == {
        "c": "<b>Army</b>",
        "cas": [["killed", "2"], ["seriously injured", str(Range(1, None, 4))]],
        "h": "<i>depot</i>",
        "o": "{{x}}",
        "n": "n & m",
        "s": [7, 0],
    }
    assert _claim_json(Claim("Only"), {}) == {"c": "Only"}


def test_csp_lists_each_linked_asset_by_exact_url_and_its_origin_for_fonts():
    """Plugin assets that bordermap does not vendor: each URL is allowed exactly (path
    percent-encoded where CSP would read it as a separator, query dropped) for scripts
    and styles, and each origin once for fonts, every source separated by one space."""
    linked = ["https://unpkg.com/a@1/a.js", "https://unpkg.com/b@2/b;c.css?v=3",
              "http://example.org/x y.js"]  # fmt: skip
    out = _with_csp(PAGE, offline=False, linked=linked)
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', out)[1]
    policy = dict(d.strip().split(" ", 1) for d in meta.split(";"))
    exact = ["https://unpkg.com/a@1/a.js", "https://unpkg.com/b@2/b%3Bc.css",
             "http://example.org/x%20y.js"]  # fmt: skip
    assert policy["script-src"].split()[-3:] == exact
    assert policy["style-src"].split()[-3:] == exact
    assert policy["script-src"].endswith(" " + " ".join(exact))
    assert policy["font-src"] == "data: https://unpkg.com http://example.org"
    with pytest.raises(ExportError, match="http"):
        _with_csp(PAGE, offline=False, linked=["javascript:alert(1)"])
