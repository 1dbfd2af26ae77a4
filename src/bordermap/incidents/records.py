"""Record parsers: claims, incidents and the layer, shared by every reader."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bordermap._yaml import LinedMap as _Map
from bordermap._yaml import lined as _lined
from bordermap.errors import (
    Problem,
    shorten,
)
from bordermap.incidents.fields import (
    _as_list,
    _check_fields,
    _count,
    _Ctx,
    _date,
    _reported_distance,
    _side,
    _source,
    _sources,
    _text,
)
from bordermap.incidents.locations import _check_coords, _check_swapped, _impacts, _location
from bordermap.incidents.model import (
    _CATEGORY_RE,
    _CLAIM_FIELDS,
    _DRAFT_FIELDS,
    _ID_RE,
    _INCIDENT_FIELDS,
    _KIND_ALIASES,
    _LAYER_FIELDS,
    CASUALTY_CATEGORIES,
    KINDS,
    MAX_INCIDENTS,
    STOP_AFTER_ERRORS,
    Claim,
    Gazetteer,
    Incident,
    Layer,
    Range,
    Source,
    _close_matches,
)

if TYPE_CHECKING:  # pragma: no cover
    pass


def _range(ctx: _Ctx, value: Any, fld: str, line: int | None) -> Range:
    if isinstance(value, dict):
        mark = ctx.mark()
        rec = _check_fields(ctx, value, ("low", "best", "high"), fld, line, "a figure")
        ctx.done(mark)
        low, best, high = (
            _count(ctx, rec.get(k), f"{fld}.{k}", rec.line_of(k)) for k in ("low", "best", "high")
        )
        line = rec.line
    elif isinstance(value, str) and re.fullmatch(r"\s*\d+\s*[-–]\s*\d+\s*", value):
        a, b = re.split(r"[-–]", value)
        low, best, high = int(a), None, int(b)
    else:
        n = _count(ctx, value, fld, line)
        low = best = high = n
    if low is None and best is None and high is None:
        raise ctx.error("a figure needs at least one of low, best, high", line, fld)
    present = [(k, v) for k, v in (("low", low), ("best", best), ("high", high)) if v is not None]
    for (ka, va), (kb, vb) in itertools.pairwise(present):
        if va > vb:
            raise ctx.error(
                f"inconsistent figure: {ka} ({va}) > {kb} ({vb})", line, fld, "low <= best <= high"
            )
    return Range(low, best, high)


def _casualties(ctx: _Ctx, value: Any, fld: str, line: int | None) -> tuple[tuple[str, Range], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise ctx.error("casualties must be a mapping such as {killed: 2, injured: 3}", line, fld)
    rec = value if isinstance(value, _Map) else _lined(value, line)
    mark = ctx.mark()
    out = []
    for cat, fig in rec.items():
        cat_s = str(cat)
        if not _CATEGORY_RE.fullmatch(cat_s):
            close = _close_matches(cat_s, CASUALTY_CATEGORIES, limit=1)
            ctx.report(
                ctx.error(
                    f"unknown casualty category {shorten(cat_s)}",
                    rec.line_of(cat),
                    f"{fld}.{cat_s[:80]}",
                    (f"did you mean '{close[0]}'? " if close else "")
                    + "categories: "
                    + ", ".join(CASUALTY_CATEGORIES)
                    + " (optionally with a qualifier, e.g. killed_civilians)",
                )
            )
            continue
        out.append((cat_s, ctx.attempt(_range, ctx, fig, f"{fld}.{cat_s}", rec.line_of(cat))))
    ctx.done(mark)
    return tuple(out)


def _claim(
    ctx: _Ctx, raw: Any, fld: str, line: int | None, registry: Mapping[str, Source]
) -> Claim:
    mark = ctx.mark()
    rec = _check_fields(ctx, raw, _CLAIM_FIELDS, fld, line, "a claim")
    get = ctx.attempt
    claim = Claim(
        claimant=get(_side, ctx, rec, "claimant", f"{fld}.claimant", required=True),
        casualties=get(
            _casualties, ctx, rec.get("casualties"), f"{fld}.casualties", rec.line_of("casualties")
        ),
        hit=get(_text, ctx, rec, "hit", f"{fld}.hit"),
        outcome=get(_text, ctx, rec, "outcome", f"{fld}.outcome"),
        sources=get(_sources, ctx, rec, "sources", f"{fld}.sources", registry, required=True),
        notes=get(_text, ctx, rec, "notes", f"{fld}.notes"),
        reported_distance=get(
            _reported_distance,
            ctx,
            rec.get("reported_distance_km"),
            f"{fld}.reported_distance_km",
            rec.line_of("reported_distance_km"),
            registry,
            on_claim=True,
        ),
    )
    ctx.done(mark)
    return claim


def _incident_id(ctx: _Ctx, rec: _Map, fld: str) -> str:
    inc_id = _text(ctx, rec, "id", f"{fld}.id", required=True)
    if not _ID_RE.match(inc_id):
        raise ctx.error(
            f"bad id {shorten(inc_id)}",
            rec.line_of("id"),
            f"{fld}.id",
            "ids are 1-80 characters: letters, digits, '-', '_', '.', ':'",
        )
    return inc_id


def _claims(
    ctx: _Ctx, rec: _Map, fld: str, registry: Mapping[str, Source], n_impacts: int | None
) -> tuple[Claim, ...]:
    claims_raw = rec.get("claims")
    if claims_raw in (None, []):
        return ()
    mark = ctx.mark()
    seq = _as_list(claims_raw, rec.line_of("claims"))
    claims = tuple(
        ctx.attempt(_claim, ctx, item, f"{fld}.claims[{i}]", seq.line_of(i), registry)
        for i, item in enumerate(seq)
    )
    seen: dict[str, int] = {}
    for i, c in enumerate(claims):
        if c is None:
            continue
        rd = c.reported_distance
        if n_impacts is not None and rd is not None and (rd.impact or 0) > n_impacts:
            ctx.report(
                ctx.error(
                    f"impact {rd.impact} does not exist: the incident has {n_impacts} impact(s)",
                    rd.line,
                    f"{fld}.claims[{i}].reported_distance_km.impact",
                    f"give a number from 1 to {n_impacts}",
                )
            )
        if c.claimant in seen:
            ctx.report(
                ctx.error(
                    f"claimant {shorten(c.claimant)} has two claims (claims[{seen[c.claimant]}] "
                    f"and claims[{i}])",
                    seq.line_of(i),
                    f"{fld}.claims[{i}].claimant",
                    "one entry per claimant: merge them",
                )
            )
        seen[c.claimant] = i
    ctx.done(mark)
    return claims


def _registry(ctx: _Ctx, doc: _Map) -> dict[str, Source]:
    """The layer's ``sources:`` by id (a broken entry keeps its id, to avoid echoes)."""
    registry: dict[str, Source] = {}
    reg_lines: dict[str, int | None] = {}
    if doc.get("sources") in (None, []):
        return registry
    seq = _as_list(doc["sources"], doc.line_of("sources"))
    for i, raw in enumerate(seq):
        fld = f"sources[{i}]"
        if isinstance(raw, str):
            ctx.report(
                ctx.error("layer sources must be full entries, not ids", seq.line_of(i), fld)
            )
            continue
        src = ctx.attempt(_source, ctx, raw, fld, seq.line_of(i), None)
        if src is None:
            raw_id = raw.get("id") if isinstance(raw, dict) else None
            if isinstance(raw_id, str) and raw_id not in registry:
                registry[raw_id] = Source("?", "?", id=raw_id)  # already reported
            continue
        if src.id is None:
            ctx.report(
                ctx.error(
                    "a layer-level source needs an 'id' for incidents to cite",
                    seq.line_of(i),
                    f"{fld}.id",
                )
            )
        elif src.id in registry:
            ctx.report(
                ctx.error(
                    f"duplicate source id {shorten(src.id)} "
                    f"(also at {ctx.path}:{reg_lines.get(src.id)})",
                    seq.line_of(i),
                    f"{fld}.id",
                )
            )
        else:
            registry[src.id] = src
            reg_lines[src.id] = seq.line_of(i)
    return registry


def _kind(ctx: _Ctx, rec: _Map, fld: str) -> str:
    raw = _text(ctx, rec, "kind", fld, required=True)
    key = re.sub(r"[\s_]+", " ", raw.strip().lower())
    if key in KINDS:
        return key
    if key in _KIND_ALIASES:
        return _KIND_ALIASES[key]
    close = _close_matches(key, [*KINDS, *_KIND_ALIASES], limit=1)
    best = _KIND_ALIASES.get(close[0], close[0]) if close else None
    hint = (f"did you mean '{best}'? " if best else "") + "valid kinds: " + ", ".join(KINDS)
    raise ctx.error(f"unknown kind {shorten(raw)}", rec.line_of("kind"), fld, hint)


def _incident(
    ctx: _Ctx,
    raw: Any,
    fld: str,
    line: int | None,
    registry: Mapping[str, Source],
    gazetteer: Callable[[], Gazetteer],
) -> Incident:
    mark = ctx.mark()
    rec = _check_fields(ctx, raw, _INCIDENT_FIELDS, fld, line, "an incident")
    get = ctx.attempt
    inc_id = get(_incident_id, ctx, rec, fld)
    if inc_id is not None:
        fld = f"{fld}({inc_id})"
    sources = get(_sources, ctx, rec, "sources", f"{fld}.sources", registry, required=True)
    # sources defined inline with an id (e.g. a CSV row's source_id) may be cited too
    local = dict(registry)
    for s in sources or ():
        if s.id is not None:
            local.setdefault(s.id, s)
    impacts = get(_impacts, ctx, rec, fld, gazetteer, local)
    origin = None
    if rec.get("origin") not in (None, ""):
        origin = get(
            _location, ctx, rec["origin"], f"{fld}.origin", rec.line_of("origin"), gazetteer, local
        )
    if rec.get("draft") not in (None, False):
        get(_draft, ctx, rec, fld)
    inc = Incident(
        id=inc_id,
        title=get(_text, ctx, rec, "title", f"{fld}.title", required=True),
        date=get(_date, ctx, rec, "date", f"{fld}.date", required=True),
        kind=get(_kind, ctx, rec, f"{fld}.kind"),
        actor=get(_side, ctx, rec, "actor", f"{fld}.actor", required=True),
        target_side=get(_side, ctx, rec, "target_side", f"{fld}.target_side", required=False),
        target_group=get(_text, ctx, rec, "target_group", f"{fld}.target_group"),
        operation=get(_text, ctx, rec, "operation", f"{fld}.operation"),
        impacts=impacts,
        origin=origin,
        claims=get(_claims, ctx, rec, fld, local, None if impacts is None else len(impacts)),
        sources=sources,
        notes=get(_text, ctx, rec, "notes", f"{fld}.notes"),
        path=ctx.path,
        line=rec.line,
    )
    ctx.done(mark)
    return inc


def _draft(ctx: _Ctx, rec: _Map, fld: str) -> None:
    """``draft: true`` or ``draft: {quote, start, end}``: valid, and a warning to review it."""
    value, line = rec.get("draft"), rec.line_of("draft")
    if isinstance(value, dict):
        draft = _check_fields(ctx, value, _DRAFT_FIELDS, f"{fld}.draft", line, "a draft note")
        _text(ctx, draft, "quote", f"{fld}.draft.quote")
        for key in ("start", "end"):
            v = draft.get(key)
            if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 0):
                raise ctx.error(f"expected a character offset >= 0, got {shorten(str(v))}",
                                draft.line_of(key), f"{fld}.draft.{key}")
    elif value is not True:
        raise ctx.error(f"expected true or a mapping with {', '.join(_DRAFT_FIELDS)}",
                        line, f"{fld}.draft")
    ctx.warn("draft incident extracted from a text", line, f"{fld}.draft",
             "check every field against the source, then remove 'draft'")


def _build_layer(
    ctx: _Ctx, doc: Any, path: Path, gazetteer: Callable[[], Gazetteer], *, start: int = 0
) -> Layer | None:
    """The validated layer, or None when errors were reported to ``ctx``.

    ``start`` is the index of the doc's first incident in the file, for a layer
    read a chunk at a time (fields are then named ``incidents[start + i]``).
    """
    if not isinstance(doc, dict):
        raise ctx.error(
            "a layer must be a mapping with 'title' and 'incidents'", getattr(doc, "line", 1), None
        )
    doc = _check_fields(ctx, doc, _LAYER_FIELDS, "", 1, "the layer")
    registry = _registry(ctx, doc)
    raw_incidents = doc.get("incidents")
    if raw_incidents is None:
        ctx.report(ctx.error("missing required field 'incidents'", doc.line or 1, "incidents"))
        raw_incidents = []
    seq = _as_list(raw_incidents, doc.line_of("incidents"))
    if len(seq) > MAX_INCIDENTS:
        raise ctx.error(
            f"more than {MAX_INCIDENTS:,} incidents", seq.line, "incidents", "split the layer"
        )
    incidents = []
    first_line: dict[str, int | None] = {}
    for i, raw in enumerate(seq):
        inc = ctx.attempt(
            _incident, ctx, raw, f"incidents[{start + i}]", seq.line_of(i), registry, gazetteer
        )
        id_line = raw.line_of("id") if isinstance(raw, _Map) else seq.line_of(i)
        inc_id = inc.id if inc is not None else raw.get("id") if isinstance(raw, dict) else None
        if isinstance(inc_id, str) and inc_id in first_line:
            ctx.report(
                ctx.error(
                    f"duplicate id {shorten(inc_id)}: first at {ctx.path}:{first_line[inc_id]}, "
                    f"again at {ctx.path}:{id_line}",
                    id_line,
                    f"incidents[{start + i}].id",
                    "ids must be unique",
                )
            )
        elif isinstance(inc_id, str):
            first_line[inc_id] = id_line
        if inc is not None:
            incidents.append(inc)
        if ctx.distinct >= STOP_AFTER_ERRORS:  # the rest would fail alike
            ctx.problems.append(Problem(  # listed past MAX_PROBLEMS too
                ctx.path, None, None, f"stopped reading after {ctx.distinct:,} errors in the "
                f"first {i + 1:,} incidents", "note", "fix these and run again"))
            return None
    _check_coords(ctx)
    _check_swapped(ctx)
    get = ctx.attempt
    name = get(_text, ctx, doc, "name", "name") or path.stem
    title = get(_text, ctx, doc, "title", "title", required=True)
    description = get(_text, ctx, doc, "description", "description")
    if ctx.errors:
        return None
    return Layer(
        name=name,
        title=title,
        description=description,
        incidents=tuple(incidents),
        path=str(path),
        sources=tuple(registry.values()),
    )
