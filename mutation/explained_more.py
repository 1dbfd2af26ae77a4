"""Reasons for survivors of the analysis, geojson, map-escaping and geodesy targets found
in the runs of 2026-11-27/28 (merged into ``explained.EXPLAINED`` by ``mutation/run.py``).

Kept apart from ``explained.py`` so that the kernel targets' reasons and these can be
edited on separate branches.  Same keys and conventions: (target, mutated line, stripped);
a reason starting with "equivalent" is left out of the score without equivalents.
"""

from __future__ import annotations

_ANNOTATION = (
    "equivalent: the module has `from __future__ import annotations`, so annotations are "
    "strings that are never evaluated"
)
_UNUSED_DEFAULT = (
    "equivalent: distance_to_frontier, its only maker, always passes every field, so the "
    "default is never used"
)
_CACHE_SIZE = "equivalent: the size of an lru_cache changes what is recomputed, not the answer"
_ONE_PART = (
    "equivalent: a MultiPolygon of one polygon contains exactly the points that polygon "
    "contains"
)

MORE = {
    (
        "analysis",
        "min_distance_km: np.ndarray & None = None  # over each place's disc or area",
    ): _ANNOTATION,
    ("analysis", "max_distance_km: np.ndarray & None = None"): _ANNOTATION,
    (
        "analysis",
        'min_distance_km: np.ndarray | None = ""  # over each place\'s disc or area',
    ): _UNUSED_DEFAULT,
    ("analysis", 'max_distance_km: np.ndarray | None = ""'): _UNUSED_DEFAULT,
    ("analysis", "@lru_cache(maxsize=33)"): _CACHE_SIZE,
    (
        "analysis",
        "dense = shapely.MultiPolygon(polys) if len(polys) >= 1 else polys[0]",
    ): _ONE_PART,
}
