"""bordermap.extract and `bordermap extract`: mentions, resolution, dates, distances, drafts.

Oracles: the gazetteer's own resolve() for places, the calendar (datetime) for weekdays,
the international mile (1,609.344 m) for miles, `bordermap check` (console script) for the
draft layer, and a labelled set written by hand for precision, recall and resolution.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from pathlib import Path

import pytest
import yaml

from bordermap.extract import ArticleError, decode_article, extract
from bordermap.extract.evaluate import GOLD_DIR, evaluate, parse_gold
from bordermap.gazetteer import country_codes, geocode, get_gazetteer
from test_cli import cli

REPORT = (
    "QUETTA, 18 January 2024 - Iranian missiles and drones struck the Green Mountains near "
    "Panjgur on the night of January 16, about 50 km inside Pakistan, Pakistan's Foreign "
    "Office said. The next day shells fell in Chah Bahar and across Siestan-o-Baluchistan. "
    "Imran Khan's party said Police had not been told. Most residents can leave. "
    "Indian and Pakistani troops exchanged fire across the Line of Control on Tuesday, "
    "2 miles from the LoC, while the Durand Line and the LAC near the Zorawar Valley were quiet."
)


@pytest.fixture(scope="module")
def ex():
    return extract(REPORT)


def _by_text(ex, text):
    found = [m for m in ex.mentions if m.text == text]
    assert found, f"no mention {text!r} in {[m.text for m in ex.mentions]}"
    return found[0]


def test_offsets_are_the_surface_in_the_text(ex):
    for m in ex.mentions:
        assert REPORT[m.start : m.end] == m.text
        s = ex.sentences[m.sentence]
        assert s.start <= m.start < m.end <= s.end
    chah = _by_text(ex, "Chah Bahar")
    assert chah.start == REPORT.index("Chah Bahar")
    # the possessive is not part of the name
    assert [m.text for m in ex.mentions].count("Pakistan") == 2
    assert "Pakistan's" not in [m.text for m in ex.mentions]


@pytest.mark.parametrize(("text", "name"), [
    ("Chah Bahar", "Chabahar"),
    ("Siestan-o-Baluchistan", "Sistan and Baluchestan"),
    ("Green Mountains", "Koh-e-Sabz"),
    ("Panjgur", "Panjgur"),
])  # fmt: skip
def test_transliterations_resolve_to_the_gazetteers_place(ex, text, name):
    m = _by_text(ex, text)
    oracle = geocode(name)  # the gazetteer's own resolution of the standard spelling
    assert (m.status, m.id) == ("resolved", oracle.id)
    assert (m.best.lon, m.best.lat) == (oracle.lon, oracle.lat)
    assert m.best.confidence >= 0.8


@pytest.mark.parametrize(("text", "iso"), [
    ("Iranian", "IRN"), ("Pakistan", "PAK"), ("Indian", "IND"), ("Pakistani", "PAK"),
])  # fmt: skip
def test_demonyms_and_countries(ex, text, iso):
    m = _by_text(ex, text)
    assert m.kind == "country" and m.id == f"country:{iso}"
    assert m.best.name == country_codes()[iso]


@pytest.mark.parametrize(("text", "frontier"), [
    ("Line of Control", "india-pakistan"), ("LoC", "india-pakistan"),
    ("Durand Line", "afghanistan-pakistan"), ("LAC", "india-china"),
])  # fmt: skip
def test_frontier_names(ex, text, frontier):
    from bordermap.frontiers import get_frontier

    m = _by_text(ex, text)
    assert m.kind == "frontier" and m.id == f"frontier:{frontier}"
    assert get_frontier(text.replace(" ", "-")).name == frontier  # the catalogue agrees


def test_common_words_and_names_of_people_are_not_places(ex):
    texts = {m.text for m in ex.mentions}
    for word in ("Police", "Most", "Khan", "Imran", "Foreign", "Office", "Tuesday", "can"):
        assert word not in texts
    # ... though each of them is a gazetteer name
    gaz = get_gazetteer()
    for word in ("Police", "Most", "Khan"):
        assert gaz.search(word, fuzzy=False, limit=1), word


def test_more_common_words_refused():
    ex = extract("Of the soldiers, most were from Asia. Mobile phones can work. May is hot. "
                 "Officials in Asia and in Europe said so.")
    assert [m.text for m in ex.mentions] == []
    gaz = get_gazetteer()
    for word in ("Of", "Mobile", "Asia", "May", "Can"):  # every one a GeoNames name
        assert gaz.search(word, fuzzy=False, limit=1), word


def test_a_common_word_is_a_place_when_the_context_supports_it():
    ex = extract("Poland said the fire began in Police on Monday. Police said little.")
    places = [m for m in ex.mentions if m.kind == "place"]
    assert [(m.text, m.start) for m in places] == [("Police", 30)]
    assert places[0].best.country == "POL"


def test_a_place_the_gazetteer_lacks_is_shown_unresolved(ex):
    m = _by_text(ex, "Zorawar Valley")  # an invented valley: in no gazetteer
    assert (m.status, m.candidates, m.id) == ("unresolved", (), None)
    kashmir = extract("Talks were held in Kashmir and in Jammu.").mentions[0]
    # "Kashmir" is only a GeoNames alias of Cashmere, Washington: not offered
    assert (kashmir.text, kashmir.status, kashmir.id) == ("Kashmir", "unresolved", None)


def test_ambiguous_names_stay_ambiguous_with_their_candidates():
    m = extract("Officials in Springfield said nothing.").mentions[0]
    assert m.status == "ambiguous"
    assert len(m.candidates) >= 5
    assert {c.country for c in m.candidates} >= {"USA"}
    conf = [c.confidence for c in m.candidates]
    assert conf == sorted(conf, reverse=True) and sum(conf) <= 1.0


def test_context_picks_the_place_in_the_reports_countries():
    # Sāmba exists in Angola (365,000 people) and in Jammu and Kashmir (27,000)
    alone = extract("Drones were seen over Samba.").mentions[0]
    indian = next(m for m in extract("Indian officials said drones were seen over Samba, near "
                                 "Jammu.").mentions if m.text == "Samba")
    assert alone.best.country == "AGO"
    assert indian.best.country == "IND" and indian.status == "resolved"


def test_dates_anchored_to_the_dateline(ex):
    assert ex.report_date == dt.date(2024, 1, 18)
    got = {d.text: d.value for d in ex.dates}
    assert got["January 16"] == "2024-01-16"
    assert got["The next day"] == "2024-01-17"
    # the calendar: 2024-01-16 was a Tuesday, the last one on or before the 18th
    tuesday = dt.date(2024, 1, 18) - dt.timedelta(days=(dt.date(2024, 1, 18).weekday() - 1) % 7)
    assert tuesday.strftime("%A") == "Tuesday"
    assert got["Tuesday"] == tuesday.isoformat() == "2024-01-16"
    night = next(d for d in ex.dates if d.text == "January 16")
    assert night.night


@pytest.mark.parametrize(("text", "report", "value"), [
    ("Shelling on May 6-7 hit Poonch.", "2025-05-08", "2025-05-06/2025-05-07"),
    ("Shelling on 6–7 May hit Poonch.", "2025-05-08", "2025-05-06/2025-05-07"),
    ("It began on December 30.", "2025-01-03", "2024-12-30"),  # the year before the report
    ("It began last Friday.", "2024-01-19", "2024-01-12"),  # a Friday report: the week before
    ("It began yesterday.", "2024-03-01", "2024-02-29"),
    ("It began in January 2024.", "2025-05-08", "2024-01"),
    ("It began on 2024-02-30.", "2025-05-08", None),  # no such day
])  # fmt: skip
def test_date_forms(text, report, value):
    ex = extract(text, report_date=report)
    assert [d.value for d in ex.dates] == [value]


def test_dates_without_a_report_date_are_left_empty():
    ex = extract("Shelling on May 6-7 and the next day.")
    assert ex.report_date is None
    assert [d.value for d in ex.dates] == [None, None]


def test_distances(ex):
    got = [(d.low_km, d.high_km, d.measured_from, d.side) for d in ex.distances]
    assert got[0] == (50.0, 50.0, "border", "PAK")
    miles = 2 * 1609.344 / 1000.0  # the international mile
    assert got[1][:3] == (pytest.approx(miles, abs=5e-4), pytest.approx(miles, abs=5e-4), "loc")
    assert ex.distances[0].text == "about 50 km inside Pakistan"
    t = "The drone came down 3-4 km from the border and some 12 km beyond the Durand Line."
    d = extract(t).distances
    assert [(x.low_km, x.high_km, x.measured_from) for x in d] == [
        (3.0, 4.0, "border"), (12.0, 12.0, "afghanistan-pakistan")]


def test_draft_layer_lists_what_a_person_must_fill_in(ex, tmp_path):
    path = tmp_path / "draft.yaml"
    path.write_text(ex.draft_yaml(name="draft-test", source_title="test report"))
    layer = yaml.safe_load(path.read_text())
    incs = layer["incidents"]
    first = incs[0]
    assert first["date"] == "2024-01-16"
    assert first["kind"] == "missile and drone strike"
    assert first["title"] is None and first["actor"] is None
    assert [i["label"] for i in first["impact"]] == ["Koh-e-Sabz", "Panjgur"]
    rd = first["impact"][0]["reported_distance_km"]
    assert rd == {"km": 50.0, "from": "border", "quote": "about 50 km inside Pakistan",
                  "source": "article"}
    quote = first["draft"]["quote"]
    assert REPORT[first["draft"]["start"] : first["draft"]["end"]] == quote
    assert {i["draft"]["quote"] for i in incs} <= {REPORT[s.start : s.end] for s in ex.sentences}
    r = cli("check", str(path))
    assert r.returncode == 1
    out = r.stdout + r.stderr
    for fld in ("sources[0].publisher", "incidents[0](draft-001-green-mountains).title",
                "incidents[0](draft-001-green-mountains).actor"):
        assert f"{fld}: missing required field" in out, out
    assert "draft incident extracted from a text" in out
    # a person fills the empty fields and removes `draft`: the layer checks clean
    layer["sources"][0]["publisher"] = "Test"
    for inc in incs:
        inc.update(title="t", actor="IRN", kind=inc["kind"] or "other", date=inc["date"]
                   or "2024-01-17")
        inc.pop("draft")
        inc["impact"] = [i for i in inc["impact"] if "lon" in i] or [{"lon": 64.1, "lat": 27.0,
                                                                      "precision_m": 5000}]
    path.write_text(yaml.safe_dump(layer, sort_keys=False))
    r = cli("check", str(path))
    assert r.returncode == 0, r.stdout + r.stderr


def test_a_draft_field_of_the_wrong_shape_is_an_error(tmp_path):
    from bordermap.errors import LayerError
    from bordermap.incidents import load_layer

    path = tmp_path / "d.yaml"
    path.write_text(
        "title: t\nsources: [{id: a, publisher: p, title: t, date: 2024}]\nincidents:\n"
        "  - {id: x, title: t, date: 2024-01-16, kind: other, actor: PAK,\n"
        "     impact: {lon: 64.1, lat: 27.0, precision_m: 10}, sources: [a], draft: 7}\n")
    with pytest.raises(LayerError, match=r"draft': expected true or a mapping"):
        load_layer(path)
    path.write_text(path.read_text().replace("draft: 7", "draft: {quote: q, start: 0, end: 1}"))
    with pytest.warns(UserWarning, match="draft incident extracted from a text"):
        load_layer(path)


# --- the labelled set ------------------------------------------------------------------


def test_labelled_set_meets_the_targets_and_beats_the_baseline():
    system, base = evaluate()
    assert system.n_gold >= 150
    assert system.precision >= 0.9, system.errors
    assert system.recall >= 0.9, system.errors
    assert system.resolution >= 0.9, system.errors
    held, _ = evaluate(subset="held-out")
    assert held.n_gold >= 40
    assert min(held.precision, held.recall, held.resolution) >= 0.9, held.errors
    assert base.precision < 0.5 < system.precision  # the plain string match is no match
    assert system.recall > base.recall


def test_labelled_set_covers_four_borders_and_its_ids_exist():
    from bordermap.frontiers import list_frontiers

    gaz = get_gazetteer()
    borders = set()
    for path in sorted(GOLD_DIR.glob("*.txt")):
        marked = path.read_text(encoding="utf-8")
        borders.add(re.search(r"# border: ([a-z-]+)", marked).group(1))
        text, gold = parse_gold(marked)
        for g in gold:
            assert text[g.start : g.end] == g.text
            if g.id is None:
                continue
            kind, _, code = g.id.partition(":")
            if kind == "country":
                assert code in country_codes(), g
            elif kind == "frontier":
                assert code in list_frontiers(), g
            else:  # a gazetteer id that an exact search of the surface finds
                ids = {c.place.id for c in gaz.search(g.text, limit=None, fuzzy=False)}
                assert g.id in ids, (path.name, g)
    assert {"iran-pakistan", "india-pakistan", "afghanistan-pakistan"} <= borders
    assert borders & {"thailand-cambodia", "armenia-azerbaijan", "india-china"}


def test_the_scorer_counts_what_it_should():
    from bordermap.extract.evaluate import GoldMention, Scores

    s = Scores("x")
    gold = [GoldMention(0, 3, "abc", "a"), GoldMention(5, 8, "def", None)]
    s.add("t", gold, [(0, 3, "a"), (5, 8, "z"), (9, 10, "q")], "abc  def  q")
    assert (s.matched, s.resolved_right, s.n_system, s.n_gold) == (2, 1, 3, 2)
    assert (s.precision, s.recall, s.resolution) == (pytest.approx(2 / 3), 1.0, 0.5)


def test_a_long_report_is_fast():
    words = REPORT.split()
    text = " ".join(words * (10_000 // len(words) + 1))
    get_gazetteer()
    extract(REPORT)  # warm
    t0 = time.perf_counter()
    ex = extract(text)
    took = time.perf_counter() - t0
    assert len(ex.mentions) > 500
    assert took < 5.0  # the benchmark (benchmarks/bench_extract.py) measures ~0.3 s


# --- bad input and the command line ----------------------------------------------------


@pytest.mark.parametrize(("data", "message"), [
    (b"", "the report is empty"),
    (b"  \n\t ", "the report is empty"),
    (b"\x7fELF\x02\x01\x00\x00", "binary data, not text"),
    (b"Caf\xe9 in Quetta", "not UTF-8 text (byte 0xe9 at offset 3)"),
])  # fmt: skip
def test_bad_bytes(data, message):
    with pytest.raises(ArticleError, match=re.escape(message)):
        decode_article(data, "r.txt")


def _one_error_line(r, *words):
    assert r.returncode == 1, (r.returncode, r.stderr)
    err = r.stderr.decode() if isinstance(r.stderr, bytes) else r.stderr
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("bordermap: error: "), r.stderr
    for w in words:
        assert w in lines[0], lines[0]
    assert not r.stdout


def test_cli_bad_files(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bin.dat").write_bytes(bytes(range(256)))
    (tmp_path / "latin1.txt").write_bytes("Quetta\nCafé".encode("latin-1"))
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # 50 MB (sparse)
    _one_error_line(cli("extract", str(tmp_path / "empty.txt")), "empty.txt", "empty")
    _one_error_line(cli("extract", str(tmp_path / "bin.dat")), "bin.dat", "binary")
    _one_error_line(cli("extract", str(tmp_path / "latin1.txt")), "latin1.txt, line 2",
                    "not UTF-8", "iconv")
    t0 = time.perf_counter()
    _one_error_line(cli("extract", str(big)), "big.txt", "52,428,800 bytes", "524,288-byte limit")
    assert time.perf_counter() - t0 < 30
    _one_error_line(cli("extract", str(tmp_path / "missing.txt")), "missing.txt", "no such file")
    _one_error_line(cli("extract", str(tmp_path)), "is a folder")
    _one_error_line(cli("extract", "-", input=b""), "<stdin>", "empty")
    _one_error_line(cli("extract", "-", input=b"\xff\xfe\x00Q"), "<stdin>")


@pytest.mark.parametrize("args", [
    ("extract",), ("extract", "x.txt", "--bogus"), ("extract", "x.txt", "--date", "2024-13-01"),
    ("extract", "x.txt", "--date"), ("extract", "x.txt", "--json", "-o", "-"),
    ("extract", "x.txt", "--map", "-"),
])  # fmt: skip
def test_cli_usage_errors(args):
    r = cli(*args)
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("bordermap: error: "), r.stderr
    assert "Traceback" not in r.stderr


def test_cli_pipe_json_yaml_and_map(tmp_path):
    r = cli("extract", "-", "--json", input=REPORT)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["report_date"] == "2024-01-18"
    m = next(x for x in data["mentions"] if x["text"] == "Chah Bahar")
    assert (m["id"], REPORT[m["start"] : m["end"]]) == ("chabahar", "Chah Bahar")
    assert m["quote"] in REPORT and "Chah Bahar" in m["quote"]
    r = cli("extract", "-", "-o", "-", input=REPORT)
    assert r.returncode == 0, r.stderr
    layer = yaml.safe_load(r.stdout)
    assert layer["incidents"][0]["draft"]["quote"].startswith("QUETTA")
    hostile = ("Shelling near Panjgur <img src=x onerror=alert(1)> ${alert(1)} "
               "</script><script>alert(2)</script> and in Ladakh on January 16, 2024.")
    (tmp_path / "evil.txt").write_text(hostile)
    page = tmp_path / "m.html"
    r = cli("extract", str(tmp_path / "evil.txt"), "--map", str(page), "--offline")
    assert r.returncode == 0, r.stderr
    html = page.read_text()
    assert "<img src=x" not in html and "</script><script>alert(2)" not in html
    payload = re.search(r'<script type="application/json" id="bordermap-mentions">(.*?)'
                        r"</script>", html, re.S).group(1)
    data = json.loads(payload)
    assert data["points"][0]["quote"] == hostile  # the text itself, shown with textContent
    assert [m["text"] for m in data["unmapped"]] == ["Ladakh"]


def test_ctrl_c_exits_130(monkeypatch, tmp_path, capsys):
    import bordermap.extract as bx
    from bordermap.cli import main

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(bx, "extract", interrupted)
    (tmp_path / "r.txt").write_text(REPORT)
    out = tmp_path / "draft.yaml"
    assert main(["extract", str(tmp_path / "r.txt"), "-o", str(out)]) == 130
    assert capsys.readouterr().err.strip() == "bordermap: interrupted"
    assert not out.exists()


def test_command_is_listed_in_help():
    r = cli("--help")
    assert "extract" in r.stdout
    assert Path(GOLD_DIR).is_dir()


@pytest.mark.browser
def test_mentions_map_in_a_browser_shows_hostile_quotes_as_text(chromium_browser, tmp_path):
    from bordermap.maps.mentions import mentions_map
    from conftest import INJECTION_CORPUS

    hostile = "Shelling near Panjgur on January 16, 2024: " + " ".join(INJECTION_CORPUS)
    page_path = mentions_map(extract(hostile + " Also in Ladakh."), tmp_path / "m.html",
                             offline=True)
    context = chromium_browser.new_context()
    page = context.new_page()
    errors, dialogs = [], []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                  else r.abort())
    page.goto(Path(page_path).as_uri())
    page.wait_for_timeout(500)
    assert errors == [] and dialogs == []
    assert page.locator("path.leaflet-interactive").count() >= 2  # circle and marker
    page.locator("path.leaflet-interactive").last.click(force=True)
    popup = page.locator(".leaflet-popup-content").inner_text()
    assert f"“{hostile}" in popup
    side = page.locator("#list").inner_text()
    assert "Ladakh" in side and "not in the gazetteer" in side
    context.close()
