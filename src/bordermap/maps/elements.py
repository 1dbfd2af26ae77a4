"""The folium elements a bordermap page is made of (built on first use: folium is heavy)."""

from __future__ import annotations

from functools import cache
from typing import Any


def _control_name(name: str) -> str:
    """A layer-control label: HTML-escaped (Leaflet sets it as innerHTML) and with no
    ``{`` left, since folium re-reads the control's script as a Jinja template."""
    from bordermap.io import html_text

    return html_text(name)


@cache
def _elements() -> tuple[type, type, type]:
    from branca.element import Element, MacroElement
    from folium.map import Layer
    from folium.template import Template

    class RawHtml(Element):
        """Pre-escaped HTML placed verbatim (never parsed as a Jinja template)."""

        _template = Template("{{ this.html }}")

        def __init__(self, html_text: str) -> None:
            super().__init__()
            self.html = html_text

    class Group(Layer):
        """An empty L.featureGroup that the runtime fills; a named layer-control entry."""

        _template = Template(
            "{% macro script(this, kwargs) %}"
            "var {{ this.get_name() }} = L.featureGroup();"
            "{% endmacro %}"
        )

        def __init__(self, name: str, *, overlay: bool = True, show: bool = True) -> None:
            super().__init__(name=_control_name(name), overlay=overlay, control=True, show=show)

    class Runtime(MacroElement):
        """Calls bordermap.render(map, groups, payload) with the JSON payload.

        The script goes into the figure as a verbatim element: branca's
        ``MacroElement`` would wrap a macro's output in a new Jinja template and
        evaluate any ``{{ ... }}`` found in the data (server-side template injection).
        """

        _template = Template("")

        def __init__(self, js: str) -> None:
            super().__init__()
            self.js = js

        def render(self, **kwargs: Any) -> None:
            self.get_root().script.add_child(RawHtml(self.js), name=self.get_name())

    return RawHtml, Group, Runtime


def _map_class() -> type:
    """A folium.Map that renders its layer control last.

    Folium writes each layer's script in the order layers were added, and the
    layer control refers to every layer by name; a layer a user adds after
    :func:`build_map` would be referred to before it exists.  Rendering the
    control last lets notebooks and scripts add their own folium layers, and the
    folium assets those layers need are linked when it renders
    (:func:`bordermap.maps.interop.add_folium_defaults`).
    """
    import folium

    from bordermap.maps.interop import add_folium_defaults

    class BordermapMap(folium.Map):
        def render(self, **kwargs: Any) -> None:
            add_folium_defaults(self)  # jQuery etc. when added folium elements use them
            for key, child in list(self._children.items()):
                if isinstance(child, folium.LayerControl):
                    self._children.move_to_end(key)
            super().render(**kwargs)

    return BordermapMap
