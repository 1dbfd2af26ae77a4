"""The values the gazetteer returns: :class:`Place`, :class:`Candidate`, :class:`GeocodeResult`."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

__all__ = ["Candidate", "GeocodeResult", "MatchKind", "Place"]

MatchKind = Literal["exact", "alias", "fuzzy"]

@dataclass(frozen=True, slots=True)
class Place:
    """A named place with its position, uncertainty and source.

    Attributes
    ----------
    id : str
        Curated id (``"koh-e-sabz"``) or ``"geonames:<id>"``.
    name : str
        Preferred name, with diacritics.
    lon, lat : float
        WGS84 degrees (axis order lon, lat).
    country : str
        ISO 3166-1 alpha-3 code (``"PAK"``).
    kind : str
        ``town``, ``district``, ``province``, ``area``, ``natural feature``,
        ``crossing``, ``sector``, ``site`` or ``village``.
    precision_m : float
        Radius in metres around (lon, lat) that covers the place's position or
        extent given the source's uncertainty.
    source : str
        Where the coordinate comes from.
    admin : str
        Containing district/province (curated) or GeoNames admin-1 code.
    population : int
        GeoNames population (0 when unknown or not a settlement).
    aliases : tuple of str
        Other names and transliterations.
    area_wkt : str or None
        Polygon (WKT, lon lat order) for areas, when curated.
    geonameid : int or None
        GeoNames id, when the place is (or is merged with) a GeoNames place.
    curated : bool
        True for entries of ``geodata/gazetteer.yaml`` and of user gazetteer files.
    origin : str
        Where the place comes from: ``"curated"`` (``geodata/gazetteer.yaml``),
        ``"admin"`` (administrative areas, ``geodata/admin1.json``), ``"user"``
        (a user gazetteer file) or ``"geonames"``.
    """

    id: str
    name: str
    lon: float
    lat: float
    country: str
    kind: str
    precision_m: float
    source: str
    admin: str = ""
    population: int = 0
    aliases: tuple[str, ...] = ()
    area_wkt: str | None = None
    geonameid: int | None = None
    curated: bool = False
    origin: str = "geonames"

    @property
    def lonlat(self) -> tuple[float, float]:
        """``(lon, lat)`` tuple."""
        return (self.lon, self.lat)

    def geometry(self) -> Any:
        """The area polygon when curated, else the point (shapely geometry)."""
        import shapely

        if self.area_wkt:
            return shapely.from_wkt(self.area_wkt)
        return shapely.Point(self.lon, self.lat)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dictionary."""
        d = asdict(self)
        d["aliases"] = list(self.aliases)
        return d

    def __str__(self) -> str:
        ns = "N" if self.lat >= 0 else "S"
        ew = "E" if self.lon >= 0 else "W"
        extra = f", pop {self.population:,}" if self.population else ""
        return (
            f"{self.name} ({self.country}, {self.kind}, "
            f"{abs(self.lat):.4f}{ns} {abs(self.lon):.4f}{ew}{extra}, {self.id})"
        )


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place matched by a query, with its score (0-100) and the kind of match."""

    place: Place
    score: float
    match: MatchKind
    matched_name: str = ""

    @property
    def tier(self) -> int:
        """Ranking tier: -1 user place exact, 0 curated exact, 1 exact name, 2 alias, 3 fuzzy."""
        if self.match == "fuzzy":
            return 3
        if self.place.origin == "user":
            return -1
        if self.place.curated:
            return 0
        return 1 if self.match == "exact" else 2

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (name, country, lon, lat, kind, score, match …)."""
        p = self.place
        return {
            "id": p.id,
            "name": p.name,
            "country": p.country,
            "lon": p.lon,
            "lat": p.lat,
            "kind": p.kind,
            "precision_m": p.precision_m,
            "population": p.population,
            "score": round(self.score, 1),
            "match": self.match,
            "matched_name": self.matched_name,
        }

    def __str__(self) -> str:
        return f"{self.place} [{self.match} {self.score:.0f}]"


@dataclass(frozen=True, slots=True)
class GeocodeResult:
    """The place a name resolves to and the ranked candidates that were considered."""

    query: str
    place: Place
    candidates: tuple[Candidate, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary: the place's fields plus ``query`` and ``candidates``."""
        d = self.place.to_dict()
        d["query"] = self.query
        d["candidates"] = [c.to_dict() for c in self.candidates]
        return d

