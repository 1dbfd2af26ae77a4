"""bordermap.charts: each chart's data against values computed here, and figures that render.

The expected values are computed independently of the library: date bins with plain
``datetime`` arithmetic, distances by brute-force geodesy (geographiclib), sides from where
the test towns are, casualty sums by hand.  Every figure is rendered to PNG (pytest turns
warnings into errors) and checked for overlapping tick labels.
"""

from __future__ import annotations

import itertools
import math
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bordermap.charts import (
    OKABE_ITO,
    Chart,
    band_chart,
    casualty_chart,
    distance_chart,
    timeline_chart,
)
from bordermap.errors import BordermapError
from bordermap.incidents import Claim, Incident, Layer, Location, Range, load_layer, parse_date

ROOT = Path(__file__).resolve().parents[1]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------


def _incident(id_, date, kind="drone strike", actor="IRN", impacts=((61.0, 27.0),)):
    return Incident(
        id=id_,
        title=id_,
        date=parse_date(date),
        kind=kind,
        actor=actor,
        impacts=tuple(Location(lon, lat, 1000.0) for lon, lat in impacts),
    )


def _render(chart: Chart, path: Path) -> bytes:
    """Render to PNG (any warning is an error under pytest) and check the labels."""
    chart.figure.savefig(path, dpi=100)
    data = path.read_bytes()
    assert data.startswith(PNG_MAGIC)
    assert chart._repr_png_().startswith(PNG_MAGIC)
    _assert_no_overlapping_labels(chart.figure)
    return data


def _assert_no_overlapping_labels(fig) -> None:
    """No two visible tick labels of one axis overlap, and every axes has a label or title."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            boxes = [
                t.get_window_extent(renderer)
                for t in axis.get_ticklabels()
                if t.get_visible() and t.get_text()
            ]
            for a, b in itertools.combinations(boxes, 2):
                assert not a.overlaps(b), f"tick labels overlap on {ax.get_title(loc='left')!r}"
    assert fig.get_suptitle()


def _bar_heights(ax) -> float:
    from matplotlib.patches import Rectangle

    return sum(p.get_height() for p in ax.patches if isinstance(p, Rectangle))


def _overlap_days(a: datetime, b: datetime, s: datetime, e: datetime) -> float:
    lo, hi = max(a, s), min(b, e)
    return max((hi - lo).total_seconds(), 0.0) / 86400.0


def _expected_bins(events, bins):
    """{(group, bin_start): weight}: an event of n points is 1/n at each; an interval is
    spread evenly over its days; an instant falls in the bin holding it."""
    out: dict = {}
    for group, s, e, w in events:
        for a, b in bins:
            if e > s:
                share = _overlap_days(a, b, s, e) / ((e - s).total_seconds() / 86400.0)
            else:
                share = 1.0 if a <= s < b else 0.0
            if share:
                out[(group, a)] = out.get((group, a), 0.0) + w * share
    return out


def _months(year: int) -> list[tuple[datetime, datetime]]:
    starts = [datetime(year, m, 1, tzinfo=UTC) for m in range(1, 13)]
    return list(itertools.pairwise([*starts, datetime(year + 1, 1, 1, tzinfo=UTC)]))


# --------------------------------------------------------------------------------------
# incidents over time
# --------------------------------------------------------------------------------------

# (id, date, kind, impacts): day, month and year precision, a time, a 4-day interval
# straddling March/April, and one incident with two impact points on different sides.
EVENTS = [
    ("day", "2024-03-15", "drone strike", ((61.0, 27.0),)),
    ("month", "2024-03", "air strike", ((61.0, 27.0),)),
    ("year", "2024", "air strike", ((61.0, 27.0),)),
    ("time", "2024-02-10T23:30+03:30", "drone strike", ((61.0, 27.0),)),
    ("interval", "2024-03-30/2024-04-02", "drone strike", ((61.0, 27.0),)),
    ("two-sides", "2024-06-05", "missile strike", ((61.0, 27.0), (64.0, 27.0))),
]


@pytest.fixture(scope="module")
def timeline_table():
    layer = Layer(
        name="t",
        title="t",
        incidents=tuple(_incident(i, d, kind=k, impacts=p) for i, d, k, p in EVENTS),
    )
    table = layer.to_geodataframe()
    # the side of each impact point, as analyse() would give it (set here by hand)
    table["side"] = ["IRN", "IRN", "PAK", "IRN", "PAK", "IRN", "PAK"]
    return table


def _timeline_events(group_of):
    out = []
    for id_, date, kind, impacts in EVENTS:
        d = parse_date(date)
        for k in range(len(impacts)):
            out.append((group_of(id_, kind, k), d.start, d.end, 1 / len(impacts)))
    return out


def test_timeline_months_respect_date_precision(timeline_table, tmp_path):
    chart = timeline_chart(timeline_table, freq="M", title="Test timeline")
    data = chart.data
    for by in ("kind", "side"):
        part = data[data["by"] == by]
        assert part["incidents"].sum() == pytest.approx(len(EVENTS))
        assert (part["bin_end"] > part["bin_start"]).all()
    kinds = data[data["by"] == "kind"]
    got = {(r.group, r.bin_start.to_pydatetime()): r.incidents for r in kinds.itertuples()}
    want = _expected_bins(_timeline_events(lambda i, kind, k: kind), _months(2024))
    assert got.keys() == want.keys()
    for key, value in want.items():
        assert got[key] == pytest.approx(value, abs=1e-9), key
    # by hand: the year-precision air strike puts 31/366 in March; the month one all of it
    march = datetime(2024, 3, 1, tzinfo=UTC)
    assert got[("air strike", march)] == pytest.approx(1 + 31 / 366)
    # the drone strikes in March: the day, and half of the 4-day interval (30, 31 March)
    assert got[("drone strike", march)] == pytest.approx(1.5)
    # 2024-02-10T23:30+03:30 is 20:00 UTC on 10 February: one whole drone strike in February
    assert got[("drone strike", datetime(2024, 2, 1, tzinfo=UTC))] == pytest.approx(1.0)

    # the hatched (imprecise) part is that of the month, year and interval events only
    imprecise = kinds.groupby("group")["imprecise"].sum()
    assert imprecise["air strike"] == pytest.approx(2.0)
    assert imprecise["drone strike"] == pytest.approx(1.0)
    assert imprecise.get("missile strike", 0) == 0

    # the bars drawn hold the same weight as the data, panel by panel
    kind_ax, side_ax = chart.figure.axes[:2]
    assert _bar_heights(kind_ax) == pytest.approx(len(EVENTS))
    assert _bar_heights(side_ax) == pytest.approx(len(EVENTS))
    _render(chart, tmp_path / "timeline.png")


def test_timeline_sides_split_an_incident_over_its_points(timeline_table):
    data = timeline_chart(timeline_table, by="side", freq="M").data
    sides = {"IRN": "Iran (IRN)", "PAK": "Pakistan (PAK)"}
    table_sides = list(timeline_table["side"])
    events, row = [], 0
    for _, date, _, impacts in EVENTS:
        d = parse_date(date)
        for _ in impacts:
            events.append((sides[table_sides[row]], d.start, d.end, 1 / len(impacts)))
            row += 1
    want = _expected_bins(events, _months(2024))
    got = {(r.group, r.bin_start.to_pydatetime()): r.incidents for r in data.itertuples()}
    assert got.keys() == want.keys()
    for key, value in want.items():
        assert got[key] == pytest.approx(value, abs=1e-9)
    june = datetime(2024, 6, 1, tzinfo=UTC)
    assert got[("Iran (IRN)", june)] == pytest.approx(0.5)
    assert got[("Pakistan (PAK)", june)] == pytest.approx(0.5 + 30 / 366)  # + the year event


@pytest.mark.parametrize("freq", ["D", "W"])
def test_timeline_days_and_weeks(timeline_table, freq):
    data = timeline_chart(timeline_table, by="kind", freq=freq).data
    assert data["incidents"].sum() == pytest.approx(len(EVENTS))
    step = timedelta(days=1 if freq == "D" else 7)
    first = datetime(2024, 1, 1, tzinfo=UTC)  # a Monday: weeks start on Mondays
    assert first.weekday() == 0
    bins = [(first + k * step, first + (k + 1) * step) for k in range(367 // step.days + 1)]
    want = _expected_bins(_timeline_events(lambda i, kind, k: kind), bins)
    got = {(r.group, r.bin_start.to_pydatetime()): r.incidents for r in data.itertuples()}
    assert got.keys() == want.keys()
    for key, value in want.items():
        assert got[key] == pytest.approx(value, abs=1e-9)
    assert (data["bin_end"] - data["bin_start"] == pd.Timedelta(step)).all()
    if freq == "D":  # the month-precision air strike: 1/31 on each day of March
        day = data[(data["group"] == "air strike")]
        mid_march = day[day["bin_start"] == pd.Timestamp("2024-03-15", tz="UTC")]
        assert mid_march["incidents"].item() == pytest.approx(1 / 31 + 1 / 366)


def test_timeline_default_bins_follow_the_span():
    short = Layer("s", "s", (_incident("a", "2025-05-07"), _incident("b", "2025-05-10")))
    data = timeline_chart(short, by="kind").data
    assert set(data["bin_end"] - data["bin_start"]) == {pd.Timedelta(days=1)}
    long = Layer("l", "l", (_incident("a", "2017-06-19"), _incident("b", "2024-01-16")))
    data = timeline_chart(long, by="kind").data
    assert set(data["bin_start"].dt.day) == {1}  # calendar months
    assert data["incidents"].sum() == pytest.approx(2)


def test_timeline_side_needs_a_frontier_or_analysis():
    layer = Layer("s", "s", (_incident("a", "2025-05-07"),))
    with pytest.raises(BordermapError, match="side") as err:
        timeline_chart(layer)
    assert "frontier" in str(err.value)
    with pytest.raises(BordermapError, match="bin size"):
        timeline_chart(layer, by="kind", freq="Q")


def test_timeline_computes_sides_with_a_frontier():
    # Saravan (Iran) and Panjgur (Pakistan)
    layer = Layer(
        "s",
        "s",
        (
            _incident("a", "2024-01-18", impacts=((62.33, 27.37),)),
            _incident("b", "2024-01-16", impacts=((64.09, 26.97),)),
        ),
    )
    data = timeline_chart(layer, by="side", frontier="iran-pakistan").data
    assert sorted(data["group"]) == ["Iran (IRN)", "Pakistan (PAK)"]


# --------------------------------------------------------------------------------------
# distances and bands, against brute-force geodesy
# --------------------------------------------------------------------------------------

# Towns on both sides of the Iran–Pakistan border: (name, lon, lat, country they are in)
TOWNS = [
    ("Saravan", 62.33, 27.37, "IRN"),
    ("Rask", 61.30, 26.23, "IRN"),
    ("Chabahar", 60.64, 25.29, "IRN"),
    ("Zahedan", 60.86, 29.50, "IRN"),
    ("Iranshahr", 60.68, 27.20, "IRN"),
    ("Panjgur", 64.09, 26.97, "PAK"),
    ("Turbat", 63.05, 26.00, "PAK"),
    ("Dalbandin", 64.40, 28.89, "PAK"),
    ("Gwadar", 62.33, 25.12, "PAK"),
]


def _brute_km(lon: float, lat: float, line, step_km: float = 0.5) -> float:
    """Distance to a lon/lat polyline with geodesic edges: sample every edge every step_km
    with geographiclib and keep the nearest sample."""
    import shapely
    from geographiclib.geodesic import Geodesic

    g = Geodesic.WGS84
    best = math.inf
    for part in shapely.get_parts(line):
        xy = shapely.get_coordinates(part)
        for (x1, y1), (x2, y2) in itertools.pairwise(xy):
            edge = g.InverseLine(y1, x1, y2, x2)
            n = max(1, math.ceil(edge.s13 / (step_km * 1000)))
            for k in range(n + 1):
                pos = edge.Position(edge.s13 * k / n)
                best = min(best, g.Inverse(lat, lon, pos["lat2"], pos["lon2"])["s12"])
    return best / 1000.0


@pytest.fixture(scope="module")
def towns():
    import geopandas as gpd

    from bordermap.frontiers import get_frontier

    line = get_frontier("iran-pakistan").geometry
    frame = gpd.GeoDataFrame(
        {
            "place": [t[0] for t in TOWNS],
            "precision_m": [5000.0] * len(TOWNS),
            "expected_side": [t[3] for t in TOWNS],
            "brute_km": [_brute_km(t[1], t[2], line) for t in TOWNS],
        },
        geometry=gpd.points_from_xy([t[1] for t in TOWNS], [t[2] for t in TOWNS]),
        crs="EPSG:4326",
    )
    return frame


def test_distance_chart_data_is_the_geodesic_distance(towns, tmp_path):
    from bordermap.analysis import analyse

    table = analyse(towns, frontier="iran-pakistan")
    chart = distance_chart(table, max_km=150, title="Distances")
    data = chart.data
    assert list(data["place"]) == [t[0] for t in TOWNS]
    assert data["distance_km"].to_numpy() == pytest.approx(towns["brute_km"].to_numpy(), abs=0.01)
    assert list(data["side"]) == list(towns["expected_side"])
    # the uncertainty range: 5 km either side of the distance here (no point is that close)
    assert (towns["brute_km"] > 6).all()
    assert data["min_distance_km"].to_numpy() == pytest.approx(towns["brute_km"] - 5, abs=0.02)
    assert data["max_distance_km"].to_numpy() == pytest.approx(towns["brute_km"] + 5, abs=0.02)
    assert list(data["drawn"]) == list(towns["brute_km"] <= 150)
    assert not data["drawn"].all() and data["drawn"].any()

    # each drawn point is one error bar from min to max; in both panels
    for ax in chart.figure.axes[:2]:
        spans = sorted(
            (round(seg[0][0], 6), round(seg[1][0], 6))
            for coll in ax.collections
            for seg in coll.get_segments()
        )
        drawn = data[data["drawn"]]
        want = sorted(
            (round(a, 6), round(b, 6))
            for a, b in zip(drawn["min_distance_km"], drawn["max_distance_km"], strict=True)
        )
        assert spans == want
    note = chart.figure.get_supxlabel()
    assert f"{(~data['drawn']).sum()} point(s) farther than 150 km not shown" in note
    _render(chart, tmp_path / "distance.png")


def test_distance_chart_needs_analysis():
    with pytest.raises(BordermapError, match="distance_km"):
        distance_chart(pd.DataFrame({"side": ["IRN"], "segment": ["x"]}))


def test_band_chart_counts_against_geodesy(towns, tmp_path):
    bands_km = (25, 50, 100, 200)
    edges = [0, *bands_km]
    for d in towns["brute_km"]:  # no town within 0.5 km of a band edge
        assert min(abs(d - e) for e in edges) > 0.5
    chart = band_chart(towns, frontier="iran-pakistan", bands_km=bands_km)
    data = chart.data
    got = {(r.inner_km, r.outer_km, r.side): r.count for r in data.itertuples()}
    for inner, outer in itertools.pairwise(edges):
        for side in ("IRN", "PAK"):
            want = sum(
                inner < d <= outer and s == side
                for d, s in zip(towns["brute_km"], towns["expected_side"], strict=True)
            )
            assert got[(inner, outer, side)] == want, (inner, outer, side)
    assert "on_line" not in set(data["side"])  # none on the line: not drawn
    # the bars drawn carry the counts, and their labels say them
    ax = chart.figure.axes[0]
    assert _bar_heights(ax) == data["count"].sum()
    labels = [t.get_text() for t in ax.texts]
    assert sorted(labels) == sorted(str(c) for c in data["count"])
    _render(chart, tmp_path / "bands.png")


def test_band_chart_takes_a_band_counts_table_with_areas():
    table = pd.DataFrame(
        {
            "band": ["0-10 km", "10-25 km"],
            "inner_km": [0.0, 10.0],
            "outer_km": [10.0, 25.0],
            "IND": [2, 0],
            "PAK": [1, 5],
            "on_line": [1, 0],
            "total": [4, 5],
            "area_km2": [1e4, 2e4],
            "area_IND_km2": [5e3, 1e4],
        }
    )
    data = band_chart(table).data
    assert set(data["side"]) == {"IND", "PAK", "on_line"}
    assert data.groupby("band")["count"].sum().to_dict() == {"0-10 km": 4, "10-25 km": 5}
    with pytest.raises(BordermapError, match="frontier"):
        band_chart(pd.DataFrame({"lon": [1.0], "lat": [2.0]}))


# --------------------------------------------------------------------------------------
# casualties
# --------------------------------------------------------------------------------------


def _claims_layer():
    def inc(id_, *claims):
        i = _incident(id_, "2024-01-16")
        return Incident(**{**i.__dict__, "claims": claims})

    return Layer(
        "c",
        "c",
        (
            inc(
                "one",
                Claim("IRN", (("killed", Range(7, 9, 9)), ("injured", Range(10, 12, None)))),
                Claim("PAK", (("killed_civilians", Range(2, 2, 2)),)),
            ),
            inc(
                "two",
                Claim("IRN", (("killed", Range(None, 4, 6)),)),
                Claim("PAK", (("killed_civilians", Range(3, None, 8)),)),
            ),
        ),
    )


def test_casualty_chart_sums_per_claimant_and_category(tmp_path):
    chart = casualty_chart(_claims_layer(), title="Claims")
    rows = {(r.claimant, r.category): r for r in chart.data.itertuples()}
    assert set(rows) == {("IRN", "killed"), ("IRN", "injured"), ("PAK", "killed_civilians")}
    k = rows[("IRN", "killed")]  # 7/9/9 + (no low)/4/6: low falls back to best
    assert (k.low, k.best, k.high, k.high_open, k.incidents) == (11, 13, 15.0, False, 2)
    i = rows[("IRN", "injured")]  # no high: the upper end is open
    assert (i.low, i.best, i.high_open) == (10, 12, True) and math.isnan(i.high)
    c = rows[("PAK", "killed_civilians")]  # 2/2/2 + 3/(no best)/8: best falls back to low
    assert (c.low, c.best, c.high, c.high_open) == (5, 5, 10.0, False)

    ax = chart.figure.axes[0]
    from matplotlib.patches import Rectangle

    widths = sorted(p.get_width() for p in ax.patches if isinstance(p, Rectangle))
    assert widths == [5, 12, 13]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "injured",
        "killed",
        "killed (civilians)",
    ]
    _render(chart, tmp_path / "casualties.png")


def test_casualty_chart_of_the_shipped_layers_matches_the_claims(tmp_path):
    layers = [
        load_layer(ROOT / "layers" / f)
        for f in ("iran-pakistan-2024.yaml", "india-pakistan-2025.yaml")
    ]
    sums: dict = {}
    for layer in layers:
        for inc in layer.incidents:
            for claim in inc.claims:
                for category, r in claim.casualties:
                    s = sums.setdefault((claim.claimant, category), [0, 0])
                    s[0] += r.best
                    s[1] += r.low
    data = casualty_chart(layers).data
    got = {(r.claimant, r.category): [r.best, r.low] for r in data.itertuples()}
    assert got == sums
    assert got[("IND", "killed")] == [26, 26]  # Pahalgam


def test_casualty_chart_without_figures_says_so(tmp_path):
    layer = Layer("e", "e", (_incident("a", "2024-01-01"),))
    chart = casualty_chart(layer)
    assert chart.data.empty
    assert "no casualty figures" in chart.figure.axes[0].texts[0].get_text()
    chart.figure.savefig(tmp_path / "empty.png")


# --------------------------------------------------------------------------------------
# the shipped layers, end to end; palette; import cost; explore()
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "frontier"),
    [("iran-pakistan-2024", "iran-pakistan"), ("india-pakistan-2025", "IND-PAK")],
)
def test_charts_of_the_shipped_layers_render(name, frontier, tmp_path):
    from bordermap.analysis import analyse

    layer = load_layer(ROOT / "layers" / f"{name}.yaml")
    table = analyse(layer.to_geodataframe(), frontier=frontier)
    charts = {
        "timeline": timeline_chart(table),
        "distance": distance_chart(table, max_km=400),
        "bands": band_chart(layer, frontier=frontier),
        "casualties": casualty_chart(layer),
    }
    for kind, chart in charts.items():
        _render(chart, tmp_path / f"{name}-{kind}.png")
    timeline = charts["timeline"].data
    assert timeline.groupby("by")["incidents"].sum().to_numpy() == pytest.approx(len(layer))
    assert repr(charts["timeline"]).startswith("Chart('Incidents over time'")


def test_palette_is_okabe_ito():
    assert {c.upper() for c in OKABE_ITO} == {
        "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000",
    }  # fmt: skip


def test_importing_charts_does_not_import_matplotlib():
    code = (
        "import sys, bordermap, bordermap.charts\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported'\n"
        "assert 'pandas' not in sys.modules, 'pandas imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env=_env())


def _env():
    import os

    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def test_explore_after_a_plain_install():
    """GeoDataFrame.explore() needs matplotlib and mapclassify: both are dependencies."""
    import tomllib

    import folium

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    names = {d.split(">")[0].split("=")[0].split("<")[0].strip() for d in deps}
    assert {"folium", "matplotlib", "mapclassify"} <= names
    layer = load_layer(ROOT / "layers" / "iran-pakistan-2024.yaml")
    m = layer.to_geodataframe().explore()
    assert isinstance(m, folium.Map)
    html = m.get_root().render()
    assert "Koh-e-Sabz" in html


def test_chart_colours_are_from_the_palette():
    chart = band_chart(
        pd.DataFrame(
            {
                "band": ["0-10 km"],
                "inner_km": [0.0],
                "outer_km": [10.0],
                "IRN": [1],
                "PAK": [2],
                "on_line": [0],
                "total": [3],
            }
        )
    )
    from matplotlib.colors import to_hex

    colours = {to_hex(p.get_facecolor()).upper() for p in chart.figure.axes[0].patches}
    assert colours == {OKABE_ITO[0], OKABE_ITO[1]}
    assert np.array_equal(chart.data["count"].to_numpy(), [1, 2])


def test_distance_chart_marks_uncertain_sides_and_skips_far_points():
    table = pd.DataFrame(
        {
            "side": ["IRN", "PAK", ""],
            "segment": ["s", "s", "s"],
            "distance_km": [5.0, 20.0, 900.0],
            "min_distance_km": [0.0, 15.0, 890.0],
            "max_distance_km": [12.0, 25.0, 910.0],
            "side_certain": [False, True, True],
        }
    )
    chart = distance_chart(table, by="side", max_km=100)
    ax = chart.figure.axes[0]
    faces = [line.get_markerfacecolor() for line in ax.lines if line.get_marker() == "o"]
    assert faces == ["white", OKABE_ITO[1]]  # Iran (open: uncertain), Pakistan (filled)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Iran (IRN)", "Pakistan (PAK)"]
    assert list(chart.data["drawn"]) == [True, True, False]
    assert list(chart.data["side_certain"]) == [False, True, True]
    assert "1 point(s) farther than 100 km not shown" in chart.figure.get_supxlabel()
