"""From a report's text to place mentions, dates, distances and a draft incident layer.

:func:`extract` reads a report (plain text) and returns an :class:`Extraction`:

* :attr:`~Extraction.mentions`: every place the text names, with character
  offsets, sentence, kind (gazetteer place, country, frontier, or a named
  feature the gazetteer lacks), status (resolved, ambiguous, unresolved) and
  ranked candidates with confidences (:mod:`~bordermap.extract.mentions`,
  :mod:`~bordermap.extract.resolve`);
* :attr:`~Extraction.dates`: dates anchored to the report's date
  (:mod:`~bordermap.extract.dates`);
* :attr:`~Extraction.distances`: stated distances from a line
  (:mod:`~bordermap.extract.distances`);
* :meth:`Extraction.draft_layer`: draft incidents in the layer format
  (:mod:`~bordermap.extract.draft`).

``python -m bordermap.extract.evaluate`` scores it on a labelled set of texts
(:mod:`~bordermap.extract.evaluate`).

Examples
--------
>>> ex = extract("ISLAMABAD, 18 January 2024 - Iranian drones struck the Green Mountains "
...              "near Panjgur, about 50 km inside Pakistan, on January 16.")
>>> [(m.text, m.id) for m in ex.mentions]  # doctest: +NORMALIZE_WHITESPACE
[('ISLAMABAD', 'geonames:1176615'), ('Iranian', 'country:IRN'),
 ('Green Mountains', 'koh-e-sabz'), ('Panjgur', 'panjgur'), ('Pakistan', 'country:PAK')]
>>> [d.value for d in ex.dates], str(ex.report_date)
(['2024-01-18', '2024-01-16'], '2024-01-18')
>>> d = ex.distances[0]; (d.low_km, d.measured_from, d.side)
(50.0, 'border', 'PAK')
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from bordermap.extract.dates import DateMention, parse_report_date
from bordermap.extract.distances import DistanceMention
from bordermap.extract.resolve import Candidate, Mention
from bordermap.extract.text import ArticleError, Sentence, decode_article, read_article

__all__ = [
    "ArticleError",
    "Candidate",
    "DateMention",
    "DistanceMention",
    "Extraction",
    "Mention",
    "Sentence",
    "decode_article",
    "extract",
    "parse_report_date",
    "read_article",
]


@dataclass(frozen=True)
class Extraction:
    """What :func:`extract` found in one report."""

    text: str
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]
    dates: tuple[DateMention, ...]
    distances: tuple[DistanceMention, ...]
    report_date: dt.date | None

    def draft_layer(self, **kw: Any) -> dict[str, Any]:
        """Draft incidents as a layer mapping (see :func:`bordermap.extract.draft.draft_layer`)."""
        from bordermap.extract.draft import draft_layer

        return draft_layer(self, **kw)

    def draft_yaml(self, **kw: Any) -> str:
        """The draft layer as YAML text."""
        from bordermap.extract.draft import draft_yaml

        return draft_yaml(self, **kw)

    def sentence_text(self, i: int) -> str:
        """The text of sentence ``i``."""
        s = self.sentences[i]
        return self.text[s.start : s.end]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (mentions with their sentence as ``quote``)."""
        def quoted(d: dict[str, Any], i: int) -> dict[str, Any]:
            d["quote"] = self.sentence_text(i)
            return d

        return {
            "report_date": self.report_date.isoformat() if self.report_date else None,
            "mentions": [quoted(m.to_dict(), m.sentence) for m in self.mentions],
            "dates": [d.to_dict() for d in self.dates],
            "distances": [d.to_dict() for d in self.distances],
        }


def extract(
    text: str, *, report_date: dt.date | str | None = None, gazetteer: Any = None
) -> Extraction:
    """Place mentions, dates and distances of a report's text.

    Parameters
    ----------
    text : str
        The report, as text.
    report_date : date or ISO str, optional
        The report's date, to anchor dates without a year, weekdays and "the next
        day"; default: the dateline at the head of the text.
    gazetteer : Gazetteer, optional
        Default :func:`bordermap.gazetteer.get_gazetteer`.

    Returns
    -------
    Extraction
    """
    from bordermap.extract.dates import find_dates
    from bordermap.extract.distances import find_distances
    from bordermap.extract.mentions import find_mentions
    from bordermap.extract.resolve import resolve_mentions
    from bordermap.extract.text import sentences, tokens

    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if isinstance(report_date, str):
        report_date = parse_report_date(report_date)
    if gazetteer is None:
        from bordermap.gazetteer import get_gazetteer

        gazetteer = get_gazetteer()
    sents = sentences(text)
    toks = tokens(text, sents)
    raw = find_mentions(text, toks, gazetteer)
    mentions = resolve_mentions(text, toks, raw, gazetteer)
    dates, anchor = find_dates(text, sents, report_date)
    return Extraction(text, tuple(sents), tuple(mentions), tuple(dates),
                      tuple(find_distances(text, sents)), anchor)
