"""Draft incidents in the layer format, from a report's mentions, dates and distances.

One draft incident per sentence that gives a date and names a place (a
gazetteer place or a named feature; countries and frontiers alone are not
places to map), or per dated sentence followed by one that names a place and
gives no date of its own.  Each carries ``draft: {quote, start, end}`` (the
sentence and its offsets in the text) and the article as its source.  What
the text does not give is left empty (``title``, ``actor``; ``kind`` unless one
kind word is in the sentence; the source's ``publisher``), so
``bordermap check`` lists what a person must still fill in.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["KIND_WORDS", "draft_layer", "draft_yaml"]

#: Words that name a layer kind; used only when exactly one kind is named in the sentence.
KIND_WORDS: tuple[tuple[str, str], ...] = (
    (r"missiles? and drones?|drones? and missiles?", "missile and drone strike"),
    (r"drone strikes?|drone attacks?", "drone strike"),
    (r"missile strikes?|missiles?", "missile strike"),
    (r"air ?strikes?|air raids?|bomb(?:ed|ing)", "air strike"),
    (r"shell(?:ed|ing|s)|artillery|mortars?", "artillery/shelling"),
    (r"cross-border fire|exchanged fire|firing across|small-arms fire", "cross-border fire"),
    (r"shot down|shoot-?down", "shoot-down"),
    (r"clash(?:ed|es)?|skirmish(?:es)?|hand-to-hand", "ground clash"),
    (r"ceasefire|truce", "ceasefire"),
    (r"militants?|gunmen|insurgents?", "militant attack"),
)


def _kind(sentence: str) -> str | None:
    found = []
    for pattern, kind in KIND_WORDS:
        if re.search(r"\b(?:" + pattern + r")\b", sentence, re.IGNORECASE):
            found.append(kind)
            if kind == "missile and drone strike":
                break
    return found[0] if len(found) == 1 or (found and found[0] == "missile and drone strike") \
        else None


def _slug(text: str) -> str:
    from bordermap.gazetteer import normalize_name

    return "-".join(normalize_name(text).split())[:30] or "place"


def _location(m: Any, distance: Any | None) -> dict[str, Any]:
    loc: dict[str, Any]
    if m.status == "resolved" and m.best is not None and m.best.lon is not None:
        c = m.best
        loc = {"lon": c.lon, "lat": c.lat, "precision_m": round(float(c.precision_m or 0)),
               "country": c.country, "label": c.name,
               "source": f"bordermap gazetteer {c.id} (read as '{m.text}')"}
    else:  # ambiguous or not in the gazetteer: the name as written, for a person to settle
        loc = {"place": m.text}
    if distance is not None:
        rd = distance.to_layer()
        rd["source"] = "article"
        loc["reported_distance_km"] = rd
    return loc


def _events(ex: Any) -> list[tuple[int, list[Any], Any]]:
    """(sentence index, place mentions, date mention) of each dated event near a place."""
    places: dict[int, list[Any]] = {}
    line_end = max((d.end for d in ex.dates if d.how == "dateline"), default=-1)
    for m in ex.mentions:
        if m.kind in ("place", "feature") and m.start > line_end:  # not the dateline's city
            places.setdefault(m.sentence, []).append(m)
    dated: dict[int, Any] = {}
    for d in ex.dates:
        if d.how != "dateline":
            dated.setdefault(d.sentence, d)
    out = []
    for s, d in sorted(dated.items()):
        ms = places.get(s)
        if not ms and s + 1 not in dated:
            ms = places.get(s + 1)
        if ms:
            out.append((s, ms, d))
    return out


def draft_layer(ex: Any, *, name: str = "draft", source_title: str | None = None) -> dict[str, Any]:
    """The draft layer of an :class:`~bordermap.extract.Extraction` as a plain mapping.

    Examples
    --------
    >>> from bordermap.extract import extract
    >>> ex = extract("QUETTA, 17 January 2024 - Shelling hit Panjgur on January 16.")
    >>> inc = draft_layer(ex)["incidents"][0]
    >>> inc["date"], inc["kind"], inc["actor"], inc["impact"][0]["label"]
    ('2024-01-16', 'artillery/shelling', None, 'Panjgur')
    """
    incidents = []
    for n, (s, ms, d) in enumerate(_events(ex), 1):
        sent = ex.sentences[s]
        quote = ex.text[sent.start : sent.end]
        dists = [x for x in ex.distances if x.sentence == s]
        impacts = []
        seen: set[str] = set()
        for m in ms:
            key = m.id or m.text
            if key in seen:
                continue
            seen.add(key)
            impacts.append(_location(m, dists[0] if dists and not impacts else None))
        incidents.append({
            "id": f"draft-{n:03d}-{_slug(ms[0].text)}",
            "title": None,
            "date": d.value,
            "kind": _kind(quote),
            "actor": None,
            "impact": impacts,
            "sources": ["article"],
            "draft": {"quote": quote, "start": sent.start, "end": sent.end},
        })
    return {
        "name": name,
        "title": f"Draft incidents from {source_title or 'a report'}",
        "description": "Drafted by bordermap extract: every field needs a person's check.",
        "sources": [{"id": "article", "publisher": None, "title": source_title or None,
                     "date": ex.report_date.isoformat() if ex.report_date else None}],
        "incidents": incidents,
    }


def draft_yaml(ex: Any, **kw: Any) -> str:
    """:func:`draft_layer` as YAML text (empty fields written as ``null``)."""
    import yaml

    head = ("# Draft layer written by `bordermap extract`. Empty fields (null) are what the\n"
            "# text did not give: fill them in, check each incident against its quote, remove\n"
            "# `draft`, and run `bordermap check` until it reports no error.\n")
    return head + yaml.safe_dump(draft_layer(ex, **kw), sort_keys=False, allow_unicode=True,
                                 width=100)
