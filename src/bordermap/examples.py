"""The two scenario maps of the README, built from the layers shipped with bordermap.

``bordermap examples`` writes, into ``output/``:

* ``iran-pakistan-2024.html`` and ``india-pakistan-2025.html`` -- online maps
  (tile base layers plus the offline vector basemap as another base layer);
* ``iran-pakistan-2024-offline.html`` and ``india-pakistan-2025-offline.html`` --
  single files that render with no network at all.

The layers are read from the package (``bordermap/layers`` in a wheel) or, in a
source checkout, from the repository's ``layers/`` folder.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

__all__ = ["SCENARIOS", "build_examples", "layers_dir"]

#: Scenario layer names (``layers/NAME.yaml``) built by :func:`build_examples`.
SCENARIOS: tuple[str, ...] = ("iran-pakistan-2024", "india-pakistan-2025")


@cache
def layers_dir() -> Path:
    """Folder holding the scenario layers (packaged copy first, else the checkout's).

    Examples
    --------
    >>> (layers_dir() / "iran-pakistan-2024.yaml").exists()
    True
    """
    packaged = Path(__file__).with_name("layers")
    if (packaged / f"{SCENARIOS[0]}.yaml").is_file():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "layers"
    if (checkout / f"{SCENARIOS[0]}.yaml").is_file():
        return checkout
    raise FileNotFoundError("bordermap's scenario layers are missing; reinstall bordermap")


def build_examples(
    out_dir: str | os.PathLike[str] = "output",
    *,
    offline_copies: bool = True,
    corridor_km: tuple[float, ...] = (10, 25, 50),
) -> list[Path]:
    """Build both scenario maps into ``out_dir``; returns the written files.

    Parameters
    ----------
    out_dir : path
        Output folder (created if missing).
    offline_copies : bool
        Also write ``NAME-offline.html`` files that need no network.
    corridor_km : tuple of float
        Corridor band widths either side of each frontier.

    Examples
    --------
    >>> import tempfile
    >>> files = build_examples(tempfile.mkdtemp(), offline_copies=False)
    >>> [f.name for f in files]
    ['iran-pakistan-2024.html', 'india-pakistan-2025.html']
    """
    from bordermap.incidents import load_layer
    from bordermap.maps import map_from_payload, map_payload, save_map

    out = Path(out_dir)
    written: list[Path] = []
    for name in SCENARIOS:
        layer = load_layer(layers_dir() / f"{name}.yaml")
        payload = map_payload(layer, corridor_km=corridor_km)
        written.append(save_map(map_from_payload(payload), out / f"{name}.html"))
        if offline_copies:
            m = map_from_payload(payload, offline=True)
            written.append(save_map(m, out / f"{name}-offline.html"))
    return written
