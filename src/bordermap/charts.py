"""Charts of incident layers and their analysis (matplotlib), each with the data it drew.

Every function returns a :class:`Chart`: a matplotlib ``Figure`` and a tidy
``pandas.DataFrame`` of exactly what was drawn, so that the numbers behind a
picture can be checked, exported or drawn again differently.  A chart shows
itself in Jupyter (``_repr_png_``) and saves with ``chart.figure.savefig(...)``.
Figures are made without :mod:`matplotlib.pyplot`, so no backend or global
state is touched; matplotlib is imported on first use only.

================================  =============================================
function                          draws
================================  =============================================
:func:`timeline_chart`            incidents over time, by kind and by side
:func:`distance_chart`            distance to the frontier by side and segment,
                                  with each point's uncertainty range
:func:`band_chart`                impact points per distance band, per side
:func:`casualty_chart`            casualty figures by claimant and category
================================  =============================================

Colours are the Okabe–Ito palette (distinguishable with the common forms of
colour blindness); a country keeps its colour across the charts of one call.

Dates and their precision
-------------------------
An incident known only to a month or a year is not a spike on its first day:
its weight is spread evenly over its interval (``date_start`` to ``date_end``),
so a bin receives the fraction of the interval it covers.  An incident dated to
a time of day falls in the bin of that instant.  An incident with *n* impact
points weighs ``1/n`` at each, so every incident counts once in all.  The part
of each bar that comes from incidents known to more than a day (a month, a year
or a multi-day interval) is hatched.

Examples
--------
>>> import pathlib
>>> from bordermap.incidents import load_layer
>>> root = pathlib.Path(__file__).resolve().parents[2]
>>> layer = load_layer(root / "layers" / "iran-pakistan-2024.yaml")
>>> chart = casualty_chart(layer)
>>> row = chart.data.set_index(["claimant", "category"]).loc[("IRN", "killed")]
>>> int(row["low"]), int(row["best"]), float(row["high"])  # Saravan, as Iran gave it
(7, 9, 9.0)
>>> chart.figure.get_suptitle()
'Casualties by claimant'
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from bordermap.errors import BordermapError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = [
    "OKABE_ITO",
    "Chart",
    "band_chart",
    "casualty_chart",
    "distance_chart",
    "timeline_chart",
]

OKABE_ITO: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)
"""The Okabe–Ito colour-blind-safe palette, in the order charts use it."""

_GREY = "#8C8C8C"  # "neither side" and "other"
_NEITHER = "neither side"
_DAY_NS = 86_400 * 10**9
_FREQS = {"D": ("D", "day"), "W": ("W-MON", "week"), "M": ("MS", "month"), "Y": ("YS", "year")}


class Chart(NamedTuple):
    """A figure and the data it shows.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
        The chart; save it with ``figure.savefig("chart.png", dpi=150)``.
    data : pandas.DataFrame
        What was drawn, one row per bar or point (columns per function).
    """

    figure: Figure
    data: pd.DataFrame

    def _repr_png_(self) -> bytes:
        buf = io.BytesIO()
        self.figure.savefig(buf, format="png", dpi=100)
        return buf.getvalue()

    def __repr__(self) -> str:
        w, h = self.figure.get_size_inches()
        title = self.figure.get_suptitle() or ""
        return f"Chart({title!r}, {w:g}x{h:g} in, data: {len(self.data)} rows)"


# --------------------------------------------------------------------------------------
# shared helpers
# --------------------------------------------------------------------------------------


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _side_label(side: Any) -> str:
    """'Pakistan (PAK)' for an ISO-3 code, 'neither side' for '' or missing."""
    if side is None or (isinstance(side, float) and np.isnan(side)) or str(side) == "":
        return _NEITHER
    text = str(side)
    if len(text) == 3 and text.isupper():
        from bordermap.boundaries import country_name

        try:
            return f"{country_name(text)} ({text})"
        except (BordermapError, LookupError, ValueError):
            return text
    return text


def _colours(keys: Sequence[str]) -> dict[str, str]:
    """A colour per key, in palette order; 'neither side' and 'other' are grey."""
    out: dict[str, str] = {}
    i = 0
    for key in keys:
        if key in (_NEITHER, "other"):
            out[key] = _GREY
        else:
            out[key] = OKABE_ITO[i % len(OKABE_ITO)]
            i += 1
    return out


def _frame(data: Any) -> pd.DataFrame:
    """A DataFrame from a Layer, several Layers or a (Geo)DataFrame."""
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        return data
    if hasattr(data, "incidents") and hasattr(data, "to_geodataframe"):
        return data.to_geodataframe()
    if isinstance(data, Iterable):
        frames = [_frame(d) for d in data]
        if frames:
            return pd.concat(frames, ignore_index=True)
    raise BordermapError(
        f"cannot chart a {type(data).__name__}",
        suggestion="pass a Layer, a list of Layers or a DataFrame",
    )


def _need(frame: pd.DataFrame, columns: Iterable[str], what: str, hint: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise BordermapError(
            f"{what} needs the column(s) {', '.join(missing)}", field=missing[0], suggestion=hint
        )


def _note_empty(ax: Any, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color=_GREY)
    ax.set_xticks([])
    ax.set_yticks([])


# --------------------------------------------------------------------------------------
# incidents over time
# --------------------------------------------------------------------------------------


def _bin_edges(start_ns: np.ndarray, end_ns: np.ndarray, freq: str | None) -> tuple:
    """Bin edges (ns since the epoch, UTC) covering every interval, and the bin's unit."""
    import pandas as pd

    lo = int(start_ns.min())
    hi = max(int(end_ns.max()), int(start_ns.max()) + 1)
    if freq is None:
        span_days = (hi - lo) / _DAY_NS
        freq = "D" if span_days <= 92 else "W" if span_days <= 730 else "M"
        freq = "Y" if span_days > 15 * 365 else freq
    if freq not in _FREQS:
        raise BordermapError(
            f"unknown bin size {freq!r}", field="freq", suggestion="use 'D', 'W', 'M' or 'Y'"
        )
    code, unit = _FREQS[freq]
    first = pd.Timestamp(lo, tz="UTC").floor("D")
    if freq == "W":
        first -= pd.Timedelta(days=first.weekday())
    elif freq == "M":
        first = first.replace(day=1)
    elif freq == "Y":
        first = first.replace(month=1, day=1)
    offset = pd.tseries.frequencies.to_offset(code)
    edges = pd.date_range(first, pd.Timestamp(hi, tz="UTC") + offset, freq=code)
    ns = edges.asi8.astype(np.int64) if edges.unit == "ns" else edges.as_unit("ns").asi8
    last = int(np.searchsorted(ns, hi, side="left"))
    return ns[: last + 1], unit


def _spread(
    start_ns: np.ndarray, end_ns: np.ndarray, weight: np.ndarray, edges: np.ndarray
) -> np.ndarray:
    """(events, bins) weights: each interval spread evenly over the bins it covers;
    an instant (end == start) falls in the bin holding it."""
    out = np.zeros((len(start_ns), len(edges) - 1))
    for k, (s, e, w) in enumerate(zip(start_ns, end_ns, weight, strict=True)):
        i0 = int(np.searchsorted(edges, s, side="right")) - 1
        if e <= s:
            out[k, i0] = w
            continue
        i1 = int(np.searchsorted(edges, e, side="left"))
        cut = np.clip(edges[i0 : i1 + 1], s, e).astype(np.float64)
        out[k, i0:i1] = w * np.diff(cut) / float(e - s)
    return out


def _time_frame(incidents: Any, by: Sequence[str], frontier: Any) -> pd.DataFrame:
    frame = _frame(incidents)
    if "side" in by and "side" not in frame.columns and frontier is not None:
        from bordermap.analysis import analyse

        frame = analyse(frame, frontier=frontier)
    _need(
        frame,
        ["id", "date_start", "date_end", *by],
        "a timeline",
        "pass a Layer or Layer.to_geodataframe(); for 'side' pass frontier= or analyse() output",
    )
    return frame


def timeline_chart(
    incidents: Any,
    *,
    by: Sequence[str] = ("kind", "side"),
    frontier: Any = None,
    freq: str | None = None,
    title: str | None = None,
) -> Chart:
    """Incidents per day, week, month or year: one stacked-bar panel per grouping.

    Parameters
    ----------
    incidents : Layer, list of Layer, or DataFrame
        A layer, or a table with ``id``, ``date_start``, ``date_end`` (UTC
        timestamps, as in :meth:`Layer.to_geodataframe`) and the ``by`` columns.
    by : sequence of str
        Columns to group by, one panel each: ``"kind"``, ``"side"`` (the country
        containing the impact, from :func:`bordermap.analysis.analyse`),
        ``"actor"``, ``"target_side"`` …
    frontier : Frontier or str, optional
        Computes ``side`` when the table has none.
    freq : {"D", "W", "M", "Y"}, optional
        Bin size; by default days for a span of up to three months, weeks up to
        two years, months up to fifteen years, else years.  Weeks start on Monday.
    title : str, optional

    Returns
    -------
    Chart
        ``data`` has one row per panel, group and bin: ``by`` (the column),
        ``group``, ``bin_start``, ``bin_end`` (UTC), ``incidents`` (the weight
        in the bin) and ``imprecise`` (the part from incidents known to more
        than a day).  Its ``incidents`` sum, per panel, to the number of incidents.

    Notes
    -----
    See the module notes: dates known to a month or a year are spread evenly
    over them, and an incident with *n* impact points counts ``1/n`` at each.
    """
    import pandas as pd

    by = [by] if isinstance(by, str) else list(by)
    frame = _time_frame(incidents, by, frontier)
    start = pd.to_datetime(frame["date_start"], utc=True).dt.as_unit("ns").astype("int64")
    end = pd.to_datetime(frame["date_end"], utc=True).dt.as_unit("ns").astype("int64")
    start, end = start.to_numpy(), end.to_numpy()
    weight = 1.0 / frame.groupby("id")["id"].transform("size").to_numpy()
    fig = _figure(10, 1.6 + 2.6 * len(by))
    fig.suptitle(title or "Incidents over time")
    if not len(frame):
        _note_empty(fig.add_subplot(), "no incidents")
        return Chart(fig, pd.DataFrame(columns=["by", "group", "bin_start", "bin_end"]))
    edges, unit = _bin_edges(start, end, freq)
    shares = _spread(start, end, weight, edges)
    imprecise = (end - start) > _DAY_NS
    rows = []
    axes = fig.subplots(len(by), 1, sharex=True, squeeze=False)[:, 0]
    for ax, column in zip(axes, by, strict=True):
        labels = frame[column].map(_side_label if "side" in column else _plain).to_numpy()
        rows += _draw_timeline(ax, column, labels, shares, imprecise, edges, unit)
    _date_axis(axes[-1])
    axes[-1].set_xlabel("date (UTC)")
    fig.supxlabel(
        "An incident known only to a month, a year or several days is spread evenly over it "
        "(hatched); one with n impact points counts 1/n at each.",
        fontsize=8,
        color="#444444",
    )
    return Chart(fig, pd.DataFrame(rows))


def _plain(value: Any) -> str:
    return "not given" if value is None or value != value or value == "" else str(value)


def _draw_timeline(
    ax: Any,
    column: str,
    labels: np.ndarray,
    shares: np.ndarray,
    imprecise: np.ndarray,
    edges: np.ndarray,
    unit: str,
) -> list[dict]:
    import pandas as pd
    from matplotlib.patches import Patch

    totals = {g: shares[labels == g].sum() for g in dict.fromkeys(labels)}
    groups = sorted(totals, key=lambda g: (g in (_NEITHER, "other"), -totals[g], g))
    if len(groups) > len(OKABE_ITO) - 1:  # keep the palette distinct: lump the smallest
        keep = groups[: len(OKABE_ITO) - 2]
        labels = np.where(np.isin(labels, keep), labels, "other")
        groups = [*keep, "other"]
    colours = _colours(groups)
    left = (edges[:-1] / _DAY_NS).astype(np.float64)
    width = np.diff(edges) / _DAY_NS
    bottom = np.zeros(len(left))
    rows, handles = [], []
    for g in groups:
        sel = labels == g
        exact = shares[sel & ~imprecise].sum(axis=0)
        fuzzy = shares[sel & imprecise].sum(axis=0)
        kw = {"width": width * 0.92, "align": "edge", "color": colours[g]}
        ax.bar(left, exact, bottom=bottom, **kw)
        ax.bar(left, fuzzy, bottom=bottom + exact, hatch="////", alpha=0.55, **kw)
        bottom += exact + fuzzy
        handles.append(Patch(color=colours[g], label=g))
        for i in np.flatnonzero(exact + fuzzy):
            rows.append(
                {
                    "by": column,
                    "group": g,
                    "bin_start": pd.Timestamp(int(edges[i]), tz="UTC"),
                    "bin_end": pd.Timestamp(int(edges[i + 1]), tz="UTC"),
                    "incidents": float(exact[i] + fuzzy[i]),
                    "imprecise": float(fuzzy[i]),
                }
            )
    if imprecise.any():
        handles.append(
            Patch(
                facecolor="white", edgecolor="#444444", hatch="////", label="spread over its dates"
            )
        )
    ax.legend(
        handles=handles,
        title=column.replace("_", " "),
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=8,
        title_fontsize=9,
        frameon=False,
    )
    ax.set_ylabel(f"incidents per {unit}")
    ax.set_title(f"by {column.replace('_', ' ')}", loc="left", fontsize=10)
    ax.set_ylim(0, max(1.0, float(bottom.max())) * 1.1)
    ax.grid(axis="y", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)
    return rows


def _date_axis(ax: Any) -> None:
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    locator = AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))


# --------------------------------------------------------------------------------------
# distances to the frontier
# --------------------------------------------------------------------------------------


def distance_chart(
    table: Any,
    *,
    by: Sequence[str] = ("side", "segment"),
    max_km: float | None = None,
    title: str | None = None,
) -> Chart:
    """Each point's distance to the frontier, with its uncertainty range, by side and segment.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`bordermap.analysis.analyse`: ``distance_km``, ``side``,
        the ``by`` columns and, when present, ``min_distance_km`` and
        ``max_distance_km`` (drawn as a bar through the point: the distances the
        location's precision allows).
    by : sequence of str
        One panel per column, one row of points per value (``"side"``,
        ``"segment"``, ``"segment_kind"``, ``"kind"`` …).
    max_km : float, optional
        Leave out points farther than this (a note says how many); by default all.
    title : str, optional

    Returns
    -------
    Chart
        ``data``: ``id`` and ``place`` (when given), ``side``, the ``by``
        columns, ``distance_km``, ``min_distance_km``, ``max_distance_km``,
        ``side_certain`` (drawn as a filled circle; an open one when the location's
        extent reaches the line) and ``drawn`` (False beyond ``max_km``).
    """
    import pandas as pd

    by = [by] if isinstance(by, str) else list(by)
    frame = _frame(table)
    _need(
        frame,
        ["distance_km", "side", *by],
        "a distance chart",
        "pass the output of bordermap.analysis.analyse(...)",
    )
    keep = [c for c in ("id", "place") if c in frame.columns]
    keep += [c for c in dict.fromkeys(["side", *by]) if c not in keep]
    data = pd.DataFrame(frame[keep]).reset_index(drop=True)
    data["distance_km"] = frame["distance_km"].to_numpy(dtype=float)
    for col in ("min_distance_km", "max_distance_km"):
        data[col] = (
            frame[col].to_numpy(dtype=float) if col in frame.columns else data["distance_km"]
        )
    data["side_certain"] = (
        frame["side_certain"].to_numpy(dtype=bool)
        if "side_certain" in frame.columns
        else data["min_distance_km"].to_numpy() > 0
    )
    data["drawn"] = True if max_km is None else data["distance_km"] <= max_km
    sides = [_side_label(s) for s in data["side"]]
    colours = _colours(sorted(set(sides), key=lambda s: (s == _NEITHER, s)))
    shown = data[data["drawn"]]
    n_rows = sum(shown[c].nunique(dropna=False) for c in by)
    fig = _figure(9, 1.4 + 0.8 * n_rows + 0.6 * len(by))
    fig.suptitle(title or "Distance to the frontier")
    ratios = [max(1, shown[c].nunique(dropna=False)) for c in by]
    axes = fig.subplots(
        len(by), 1, sharex=True, squeeze=False, gridspec_kw={"height_ratios": ratios}
    )[:, 0]
    for ax, column in zip(axes, by, strict=True):
        _draw_strip(ax, data, column, sides, colours)
    axes[-1].set_xlabel("distance to the frontier (km)")
    axes[-1].set_xlim(left=0)
    hidden = int((~data["drawn"]).sum())
    note = "Bars: the distances each location's precision allows; open circles: side uncertain."
    if hidden:
        note += f" {hidden} point(s) farther than {max_km:g} km not shown."
    fig.supxlabel(note, fontsize=8, color="#444444")
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], marker="o", linestyle="", color=c, label=s)
        for s, c in colours.items()
        if s in {sides[i] for i in np.flatnonzero(data["drawn"].to_numpy())}
    ]
    axes[0].legend(
        handles=handles,
        title="side",
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=8,
        title_fontsize=9,
        frameon=False,
    )
    return Chart(fig, data)


def _draw_strip(ax: Any, data: pd.DataFrame, column: str, sides: list[str], colours: dict) -> None:
    labels = data[column].map(_side_label) if column == "side" else data[column].map(_plain)
    labels = labels.to_numpy()
    drawn = data["drawn"].to_numpy()
    order = list(dict.fromkeys(labels[drawn]))
    if column == "side":
        order.sort(key=lambda s: (s == _NEITHER, s))
    for row, value in enumerate(order):
        idx = np.flatnonzero((labels == value) & drawn)
        idx = idx[np.argsort(data["distance_km"].to_numpy()[idx], kind="stable")]
        n = len(idx)
        step = min(0.8 / max(n, 1), 0.2)
        for k, i in enumerate(idx):
            y = row + (k - (n - 1) / 2) * step
            d, lo, hi = data.loc[i, ["distance_km", "min_distance_km", "max_distance_km"]]
            ax.errorbar(
                [d],
                [y],
                xerr=[[d - lo], [hi - d]],
                fmt="o",
                markersize=5,
                color=colours[sides[i]],
                markerfacecolor=colours[sides[i]] if data.at[i, "side_certain"] else "white",
                elinewidth=1.2,
                capsize=2,
                alpha=0.9,
            )
    if not order:
        _note_empty(ax, "no point to draw")
        return
    ax.set_yticks(range(len(order)), order)
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.set_title(f"by {column.replace('_', ' ')}", loc="left", fontsize=10)
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)


# --------------------------------------------------------------------------------------
# band counts
# --------------------------------------------------------------------------------------

_BAND_META = {"band", "inner_km", "outer_km", "total"}


def band_chart(
    counts: Any,
    *,
    frontier: Any = None,
    bands_km: Any = (10, 25, 50),
    title: str | None = None,
) -> Chart:
    """Impact points per distance band from the frontier, as grouped bars per side.

    Parameters
    ----------
    counts : DataFrame or points
        The table of :func:`bordermap.analysis.band_counts` (extra columns such
        as areas, ending in ``_km`` or ``_km2``, are ignored), or points (a
        Layer, a GeoDataFrame …) to count with ``frontier`` and ``bands_km``.
    frontier, bands_km
        Passed to :func:`bordermap.analysis.band_counts` when ``counts`` are points.
    title : str, optional

    Returns
    -------
    Chart
        ``data``: one row per band and side: ``band``, ``inner_km``,
        ``outer_km``, ``side`` (ISO-3 code, or ``on_line``) and ``count``.
    """
    import pandas as pd

    table = counts if isinstance(counts, pd.DataFrame) and "outer_km" in counts.columns else None
    if table is None:
        if frontier is None:
            raise BordermapError(
                "band counts of points need a frontier",
                field="frontier",
                suggestion="pass frontier='iran-pakistan' or a Frontier",
            )
        from bordermap.analysis import band_counts

        points = _frame(counts) if hasattr(counts, "incidents") else counts
        table = band_counts(points, frontier=frontier, bands_km=bands_km)
    sides = [
        c for c in table.columns if c not in _BAND_META and not str(c).endswith(("_km", "_km2"))
    ]
    if "on_line" in sides and not table["on_line"].any():
        sides.remove("on_line")
    data = table.melt(
        id_vars=["band", "inner_km", "outer_km"],
        value_vars=sides,
        var_name="side",
        value_name="count",
    )
    data["count"] = data["count"].astype(int)
    fig = _figure(8, 4.2)
    fig.suptitle(title or "Impact points per distance band")
    ax = fig.add_subplot()
    labels = {s: ("on the line" if s == "on_line" else _side_label(s)) for s in sides}
    colours = _colours([labels[s] for s in sides])
    x = np.arange(len(table))
    width = 0.8 / max(len(sides), 1)
    for j, side in enumerate(sides):
        values = table[side].to_numpy(dtype=int)
        bars = ax.bar(
            x + (j - (len(sides) - 1) / 2) * width,
            values,
            width * 0.95,
            color=colours[labels[side]],
            label=labels[side],
        )
        ax.bar_label(bars, fontsize=8, padding=2)
    ax.set_xticks(
        x, [f"{a:g}–{b:g} km" for a, b in zip(table["inner_km"], table["outer_km"], strict=True)]
    )
    ax.set_xlabel("distance band from the frontier (km)")
    ax.set_ylabel("impact points")
    top = int(data["count"].max()) if len(data) else 0
    ax.set_ylim(0, max(1, top) * 1.18)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(
        title="side",
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=8,
        title_fontsize=9,
        frameon=False,
    )
    ax.grid(axis="y", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)
    fig.supxlabel(
        "Bands are half-open: (0, 10] km and so on; points beyond the last are not counted.",
        fontsize=8,
        color="#444444",
    )
    return Chart(fig, data)


# --------------------------------------------------------------------------------------
# casualties by claimant
# --------------------------------------------------------------------------------------


def _claims(claims: Any) -> pd.DataFrame:
    import pandas as pd

    if isinstance(claims, pd.DataFrame):
        _need(
            claims,
            ["claimant", "category", "low", "best", "high"],
            "a casualty chart",
            "pass a Layer or bordermap.export.claims_table(layers)",
        )
        return claims
    layers = [claims] if hasattr(claims, "incidents") else list(claims)
    from bordermap.export import claims_table

    return claims_table(layers)


def _figure_sums(claims: pd.DataFrame) -> pd.DataFrame:
    """Per claimant and category: sums of low, best and high over the figures."""
    import pandas as pd

    def num(col: str) -> np.ndarray:
        return pd.to_numeric(claims[col], errors="coerce").to_numpy(dtype=float)

    low, best, high = num("low"), num("best"), num("high")
    best_f = np.where(np.isnan(best), np.where(np.isnan(low), high, low), best)
    low_f = np.where(np.isnan(low), best_f, low)
    work = pd.DataFrame(
        {
            "claimant": claims["claimant"].astype(str).to_numpy(),
            "category": claims["category"].astype(str).to_numpy(),
            "low": low_f,
            "best": best_f,
            "high": high,
            "open": np.isnan(high),
        }
    )
    if "incident_id" in claims.columns:
        work["incident_id"] = claims["incident_id"].to_numpy()
    else:
        work["incident_id"] = np.arange(len(work))
    out = (
        work.groupby(["claimant", "category"], sort=False)
        .agg(
            low=("low", "sum"),
            best=("best", "sum"),
            high=("high", "sum"),
            high_open=("open", "any"),
            incidents=("incident_id", "nunique"),
        )
        .reset_index()
    )
    out.loc[out["high_open"], "high"] = np.nan
    for col in ("low", "best"):
        out[col] = out[col].round().astype(int)
    return out.sort_values(["category", "claimant"], ignore_index=True)


def casualty_chart(claims: Any, *, title: str | None = None) -> Chart:
    """Casualty figures by claimant and category: bars of the best figure, whiskers low–high.

    Parameters
    ----------
    claims : Layer, list of Layer, or DataFrame
        Layers, or a table with ``claimant``, ``category``, ``low``, ``best``,
        ``high`` (and optionally ``incident_id``), such as
        :func:`bordermap.export.claims_table`.
    title : str, optional

    Returns
    -------
    Chart
        ``data``: one row per claimant and category: ``claimant``,
        ``category``, ``low``, ``best``, ``high`` (sums over the incidents),
        ``high_open`` (some figure gave no high: ``high`` is NaN) and
        ``incidents`` (how many incidents the sums cover).

    Notes
    -----
    A figure given without a best counts its low (else its high) as best; one
    without a low counts its best as low.  A figure without a high leaves the
    sum's upper end open: its whisker stops at the best figure with an arrow.
    """
    data = _figure_sums(_claims(claims))
    categories = list(dict.fromkeys(data["category"]))
    claimants = sorted(dict.fromkeys(data["claimant"]), key=_side_label)
    labels = {c: _side_label(c) for c in claimants}
    colours = _colours([labels[c] for c in claimants])
    fig = _figure(9, 1.6 + 0.32 * max(len(data), 1) + 0.25 * len(categories))
    fig.suptitle(title or "Casualties by claimant")
    ax = fig.add_subplot()
    if data.empty:
        _note_empty(ax, "no casualty figures in these claims")
        return Chart(fig, data)
    height = 0.8 / len(claimants)
    for j, claimant in enumerate(claimants):
        part = data[data["claimant"] == claimant]
        y = (
            np.array([categories.index(c) for c in part["category"]])
            + (j - (len(claimants) - 1) / 2) * height
        )
        best = part["best"].to_numpy(dtype=float)
        high = np.where(part["high_open"], best, part["high"].to_numpy(dtype=float))
        ax.barh(y, best, height * 0.9, color=colours[labels[claimant]], label=labels[claimant])
        ax.errorbar(
            best,
            y,
            xerr=[best - part["low"].to_numpy(dtype=float), high - best],
            fmt="none",
            ecolor="#222222",
            elinewidth=1,
            capsize=3,
        )
        is_open = part["high_open"].to_numpy()
        if is_open.any():
            ax.plot(
                best[is_open], y[is_open], marker=">", linestyle="", color="#222222", markersize=5
            )
        for yi, b, h in zip(y, best, high, strict=True):
            ax.text(max(b, h), yi, f"  {b:g}", va="center", fontsize=8)
    ax.set_yticks(range(len(categories)), [_category_label(c) for c in categories])
    ax.set_ylim(len(categories) - 0.5, -0.5)
    ax.set_xlabel("people (claimed, summed over incidents)")
    ax.set_xlim(0, float(np.nanmax(data[["best", "high"]].to_numpy(dtype=float))) * 1.15 + 1)
    ax.legend(
        title="claimant",
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=8,
        title_fontsize=9,
        frameon=False,
    )
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)
    fig.supxlabel(
        "Bar: best figure; whisker: low to high; ▸ no high figure given.",
        fontsize=8,
        color="#444444",
    )
    return Chart(fig, data)


def _category_label(category: str) -> str:
    """'killed_security_forces' -> 'killed (security forces)'."""
    head, _, rest = category.partition("_")
    return f"{head} ({rest.replace('_', ' ')})" if rest else head
