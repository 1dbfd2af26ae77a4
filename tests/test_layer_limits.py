"""Hostile and careless input to the layer readers: bounded, one clear line each (issue 9)."""

from __future__ import annotations

import json
import time

import pytest

from bordermap import incidents
from bordermap.errors import LayerError, shorten
from bordermap.incidents import load_layer, parse_date, readers
from test_incidents import FakeGazetteer, good_layer, write


def one_line_error(path, **kw) -> LayerError:
    with pytest.raises(LayerError) as info:
        load_layer(path, gazetteer=FakeGazetteer(), **kw)
    text = str(info.value)
    assert "\n" not in text and "Traceback" not in text, text
    assert len(text) < 600, text
    assert "_Seq" not in text and "_Map" not in text and "Lined" not in text, text
    return info.value


def laughs(levels: int) -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for k in range(1, levels):
        refs = ", ".join([f"*l{k - 1}"] * 9)
        lines.append(f"l{k}: &l{k} [{refs}]")
    return "\n".join(lines)


# --- row 3: billion laughs ------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("lat: 27.0", "lat: *l8"),
        ("precision_m: 50000", "precision_m: *l8"),
        ("date: 2024-01-16", "date: *l8"),
        ("killed: 2", "killed: *l8"),
    ],
)
def test_billion_laughs_refused_before_expansion(tmp_path, old, new):
    body = good_layer().replace(old, new)
    # the anchors go in the layer's description, which takes any text
    body = body.replace(
        "title: Test layer",
        "title: Test layer\nx-anchors:\n" + "\n".join("  " + ln for ln in laughs(9).splitlines()),
    )
    path = write(tmp_path, body)
    assert path.stat().st_size < 2000
    t0 = time.perf_counter()
    err = one_line_error(path)
    assert time.perf_counter() - t0 < 5
    assert "aliases expand to more than" in err.message


def test_moderate_aliases_give_a_short_message(tmp_path):
    # 9**6 values once expanded: under the cap, so the loader accepts it and the
    # field check must describe the value, not print it
    body = good_layer().replace("lat: 27.0", "lat: *l5")
    body = body.replace(
        "title: Test layer",
        "title: Test layer\nanchors:\n" + "\n".join("  " + ln for ln in laughs(6).splitlines()),
    )
    with pytest.raises(LayerError) as info:
        load_layer(write(tmp_path, body), gazetteer=FakeGazetteer())
    text = str(info.value)
    assert "expected a number, got a list of 9 items" in text
    assert "unknown field 'anchors'" in text
    assert len(text) < 2000


def test_shorten_never_expands_a_value():
    assert shorten(["x"] * 10**6) == "a list of 1000000 items"
    assert len(shorten("y" * 10**7)) < 120
    assert shorten(10**5000) == "an integer of about 5000 digits"


# --- row 5: a column or a key given twice ---------------------------------------------

CSV_HEAD = "id,title,date,kind,actor,lon,lat,precision_m,source_publisher,source_title,source_date"
CSV_ROW = "c1,T,2024-01-01,shelling,PAK,74.1,33.7,5000,W,T,2024-01-01"


def test_csv_column_twice(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text(CSV_HEAD + ",lat\n" + CSV_ROW + ",9\n")
    err = one_line_error(path)
    assert (err.line, err.field) == (1, "lat")
    assert "column 'lat' appears twice (columns 7 and 12)" in err.message


def feature(**props) -> dict:
    base = {
        "id": "g1",
        "title": "T",
        "date": "2024-01-01",
        "kind": "shelling",
        "actor": "PAK",
        "precision_m": 4000,
        "sources": [{"publisher": "W", "title": "T", "date": "2024-01-01"}],
    }
    base.update(props)
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [74.1, 33.7]},
        "properties": base,
    }


def test_geojson_key_twice(tmp_path):
    text = json.dumps({"type": "FeatureCollection", "features": [feature()]}, indent=1)
    text = text.replace('"kind": "shelling",', '"kind": "shelling",\n "kind": "air strike",')
    path = tmp_path / "dup.geojson"
    path.write_text(text)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "air strike" in t)
    err = one_line_error(path)
    assert err.line == line and err.field == "kind"
    assert "key 'kind' appears twice" in err.message


# --- row 7 and 8: dates out of the supported range ------------------------------------


@pytest.mark.parametrize(
    "written",
    ["1000", "2300", "9999-12-31", "1799-12-31", "2024-01-01/2200-01-01", "1800-01-01T00:30+01:00"],
)
def test_dates_outside_the_supported_range(tmp_path, written):
    with pytest.raises(ValueError, match=r"supported range|must lie between"):
        parse_date(written)
    path = write(tmp_path, good_layer().replace("date: 2024-01-16", f"date: '{written}'"))
    err = one_line_error(path)
    assert err.line == 5 and err.field.endswith(".date")


def test_dates_at_the_ends_of_the_range():
    assert parse_date("1800-01-01").start == incidents.DATE_MIN
    assert parse_date("2199-12-31").end == incidents.DATE_MAX
    assert parse_date(1800).precision == "year"


# --- row 8: huge fields, deep nesting, huge integers ----------------------------------


def test_csv_field_too_long(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text(CSV_HEAD + "\n" + CSV_ROW.replace(",T,", "," + "t" * 140_000 + ",", 1) + "\n")
    err = one_line_error(path)
    assert err.line == 2 and "longer than 131,072 characters" in err.message


def test_yaml_text_too_long(tmp_path):
    path = write(
        tmp_path, good_layer().replace("title: A strike near Panjgur", "title: " + "t" * 140_000)
    )
    err = one_line_error(path)
    assert err.line == 4 and "140,000 characters is longer than the limit" in err.message


def test_geojson_nested_3000_deep(tmp_path):
    path = tmp_path / "deep.geojson"
    path.write_text('{"type": "FeatureCollection", "features": ' + "[" * 3000 + "]" * 3000 + "}")
    err = one_line_error(path)
    assert "nested" in err.message


def test_yaml_nested_3000_deep(tmp_path):
    path = write(tmp_path, "title: x\nincidents: " + "[" * 3000 + "]" * 3000 + "\n")
    err = one_line_error(path)
    assert "nested more than 64 levels" in err.message


@pytest.mark.parametrize("suffix", ["yaml", "geojson"])
def test_integer_of_4300_digits(tmp_path, suffix):
    big = "7" * 4300
    if suffix == "yaml":
        path = write(tmp_path, good_layer().replace("killed: 2", f"killed: {big}"))
        line = 21
    else:
        text = json.dumps({"type": "FeatureCollection", "features": [feature()]}, indent=1)
        text = text.replace('"precision_m": 4000', f'"precision_m": {big}')
        path = tmp_path / "big.geojson"
        path.write_text(text)
        line = next(i for i, t in enumerate(text.splitlines(), 1) if big in t)
    err = one_line_error(path)
    assert err.line == line and "a number of 4300 digits" in err.message


def test_file_size_and_row_limits(tmp_path, monkeypatch):
    path = tmp_path / "rows.csv"
    path.write_text(
        CSV_HEAD + "\n" + "\n".join(CSV_ROW.replace("c1", f"c{i}") for i in range(5)) + "\n"
    )
    assert len(load_layer(path, gazetteer=FakeGazetteer())) == 5
    monkeypatch.setattr(readers, "MAX_INCIDENTS", 3)
    from bordermap.incidents import table  # the column-by-column reader steps aside there

    monkeypatch.setattr(table, "MAX_INCIDENTS", 3)
    err = one_line_error(path)
    assert err.line == 5 and "more than 3 rows" in err.message
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 100)
    err = one_line_error(path)
    assert "over the limit for a layer" in err.message


# --- row 11: a UTF-8 byte-order mark --------------------------------------------------


def test_bom_accepted_in_csv_and_geojson(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (CSV_HEAD + "\n" + CSV_ROW + "\n").encode())
    assert load_layer(path, gazetteer=FakeGazetteer()).get("c1").impacts[0].lat == 33.7
    gpath = tmp_path / "bom.geojson"
    text = json.dumps({"type": "FeatureCollection", "features": [feature()]})
    gpath.write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert load_layer(gpath, gazetteer=FakeGazetteer()).get("g1").impacts[0].lon == 74.1


# --- row 12: values as given, no base 60, no internal names, real URLs ----------------


def test_out_of_range_lat_shown_as_given(tmp_path):
    path = write(tmp_path, good_layer().replace("lat: 27.0", "lat: 90.0000001"))
    err = one_line_error(path)
    assert "lat 90.0000001 is out of range" in err.message
    path = tmp_path / "lat.csv"
    path.write_text(CSV_HEAD + "\n" + CSV_ROW.replace("33.7", "90.00000010") + "\n")
    assert "lat 90.00000010 is out of range" in one_line_error(path).message


@pytest.mark.parametrize("written", ["190:30", "1:30", "010"])
def test_yaml_11_base_60_and_octal_are_not_numbers(tmp_path, written):
    path = write(tmp_path, good_layer().replace("lat: 27.0", f"lat: {written}"))
    if written == "010":  # YAML 1.2 reads it as ten, not as octal eight
        assert load_layer(path, gazetteer=FakeGazetteer()).incidents[0].origin.lat == 10.0
        return
    err = one_line_error(path)
    assert f"expected a number, got {written}" in err.message
    assert "11430" not in err.message


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("title: A strike near Panjgur", "title: [a, b]", "expected text, got a list"),
        ("title: A strike near Panjgur", "title: {a: b}", "expected text, got a mapping"),
        (
            "- place: Panjgur\n        country: PAK",
            "- [74.1, 33.7]",
            "a location must be a mapping of fields, got a list",
        ),
        ("date: 2024-01-16", "date: [2024]", "expected a date, got a list"),
    ],
)
def test_messages_name_no_internal_classes(tmp_path, old, new, words):
    err = one_line_error(write(tmp_path, good_layer().replace(old, new)))
    assert words in err.message


@pytest.mark.parametrize("url", ["https://", "http://", "https:///path", "http://:80/x"])
def test_url_without_a_host_refused(tmp_path, url):
    body = good_layer().replace('url: "https://example.org/a"', f'url: "{url}"')
    err = one_line_error(write(tmp_path, body))
    assert "names no web site" in err.message and err.field == "sources[0].url"
