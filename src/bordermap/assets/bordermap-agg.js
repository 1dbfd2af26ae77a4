/* bordermap: hexagon counts for maps of very many incidents (bordermap's own code, MIT).
 *
 * data.agg (bordermap/maps/aggregate.py) holds, per zoom band, H3 cells with their
 * count by month bucket, kind and side.  Only the band of the current zoom is drawn
 * (canvas); the time slider calls the hook registered in data.timeHooks, and every
 * cell is recoloured from its counts up to the chosen month.  Text reaches the page
 * only as text nodes.
 */
(function () {
  "use strict";

  // viridis, sampled: readable by colour-blind readers and in greyscale
  var RAMP = ["#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89",
              "#35b779", "#6ece58", "#b5de2b", "#fde725"];

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function colour(n, max) {
    if (n <= 0) { return null; }
    var f = max > 1 ? Math.log(n) / Math.log(max) : 1;
    return RAMP[Math.min(RAMP.length - 1, Math.floor(f * (RAMP.length - 1) + 1e-9))];
  }

  function pairs(a) {
    var out = [];
    for (var i = 0; i + 1 < a.length; i += 2) { out.push([a[i], a[i + 1]]); }
    return out;
  }

  function cellText(data, band, j, upTo) {
    var agg = data.agg;
    var n = countUpTo(band, j, upTo);
    var lines = [n.toLocaleString("en") + " incident point" + (n === 1 ? "" : "s") +
                 (upTo < agg.nDates - 1 ? " up to " + agg.buckets[upTo][0] : "")];
    var kinds = pairs(band.k[j]).sort(function (a, b) { return b[1] - a[1]; });
    lines.push(kinds.map(function (p) {
      return data.kinds[p[0]].label + " " + p[1].toLocaleString("en");
    }).join(", ") + " (all dates)");
    var sides = pairs(band.s[j]).filter(function (p) { return agg.sides[p[0]]; });
    if (sides.length) {
      lines.push("Side: " + sides.map(function (p) {
        return agg.sides[p[0]] + " " + p[1].toLocaleString("en");
      }).join(", "));
    }
    var pm = band.pm[j];
    lines.push("Median location uncertainty: " +
               (pm >= 1000 ? "±" + (pm / 1000).toFixed(pm >= 10000 ? 0 : 1) + " km"
                           : "±" + pm + " m"));
    lines.push("H3 cell, resolution " + band.res);
    var div = el("div", "bm-agg-tip");
    lines.forEach(function (t) { div.appendChild(el("div", null, t)); });
    return div;
  }

  function countUpTo(band, j, upTo) {
    var t = band.t[j], n = 0;
    for (var i = 0; i + 1 < t.length; i += 2) { if (t[i] <= upTo) { n += t[i + 1]; } }
    return n;
  }

  function render(map, group, data) {
    var agg = data.agg;
    var canvas = L.canvas({ padding: 0.3 });
    // month buckets: the page's dates when everything is aggregated, else agg.dates
    agg.buckets = agg.dates || data.dates;
    agg.nDates = agg.buckets.length;
    var state = { band: -1, upTo: agg.nDates - 1, layers: [], drawn: 0 };

    function build(b) {
      var band = agg.bands[b];
      var g = L.featureGroup();
      var polys = [];
      var nCells = band.n.length;
      for (var j = 0; j < nCells; j++) {
        var cla = band.c[2 * j], clo = band.c[2 * j + 1], v = band.v[j], ring = [];
        for (var q = 0; q + 1 < v.length; q += 2) {
          ring.push([(cla + v[q]) / 1e4, (clo + v[q + 1]) / 1e4]);
        }
        var pg = L.polygon(ring, { renderer: canvas, weight: 0.4, color: "#333",
                                   fillOpacity: 0.72 });
        pg.bindTooltip((function (jj) {
          return function () { return cellText(data, band, jj, state.upTo); };
        })(j), { sticky: true });
        polys.push(pg);
      }
      return { group: g, polys: polys, band: band };
    }

    function restyle(entry) {
      var band = entry.band, max = 1, counts = [];
      for (var j = 0; j < band.n.length; j++) {
        var n = countUpTo(band, j, state.upTo);
        counts.push(n);
        if (n > max) { max = n; }
      }
      entry.polys.forEach(function (pg, j) {
        var c = colour(counts[j], max);
        if (c === null) {
          if (entry.group.hasLayer(pg)) { entry.group.removeLayer(pg); }
        } else {
          pg.setStyle({ fillColor: c });
          if (!entry.group.hasLayer(pg)) { entry.group.addLayer(pg); }
        }
      });
      entry.max = max;
      state.drawn = entry.group.getLayers().length;
      if (state.scale) { state.scale.textContent = "1 – " + max.toLocaleString("en") + " per cell"; }
    }

    function bandOf(z) {
      for (var b = 0; b < agg.bands.length; b++) {
        if (z >= agg.bands[b].z0 && z <= agg.bands[b].z1) { return b; }
      }
      return agg.bands.length - 1;
    }

    function switchBand() {
      var b = bandOf(map.getZoom());
      if (b === state.band) { return; }
      if (state.band >= 0) { group.removeLayer(state.layers[state.band].group); }
      if (!state.layers[b]) { state.layers[b] = build(b); }
      state.band = b;
      restyle(state.layers[b]);
      group.addLayer(state.layers[b].group);
    }

    (agg.flows || []).forEach(function (f) {
      var line = L.polyline(f.p, { color: "#7a0177", weight: 1 + Math.log(f.n),
                                   opacity: 0.7 });
      line.bindTooltip(function () {
        return el("span", null, f.n.toLocaleString("en") + " strikes with a known launch point " +
                                "between these areas");
      }, { sticky: true });
      group.addLayer(line);
    });

    var legend = L.control({ position: "bottomright" });
    legend.onAdd = function () {
      var div = el("div", "bm-legend bm-agg-legend leaflet-control");
      div.appendChild(el("div", "bm-legend-title", "Incidents per hexagon"));
      var bar = el("div", "bm-agg-ramp");
      RAMP.forEach(function (c) { var s = el("span"); s.style.background = c; bar.appendChild(s); });
      div.appendChild(bar);
      state.scale = el("div", "bm-legend-note");
      div.appendChild(state.scale);
      div.appendChild(el("div", "bm-legend-note", agg.summary
        ? "A layer (off at first): " + agg.n.toLocaleString("en") + " points on H3 hexagons " +
          "with their median location uncertainty, and launch-to-impact flows, which are " +
          "not drawn one by one on a map this size."
        : agg.n.toLocaleString("en") + " points, above " + agg.limit.toLocaleString("en") +
          ": counted on H3 hexagons, finer as you zoom in (log colour scale)."));
      return div;
    };
    // the legend goes with the layer (a summary layer starts hidden)
    group.on("add", function () { legend.addTo(map); });
    group.on("remove", function () { legend.remove(); });
    if (map.hasLayer(group)) { legend.addTo(map); }

    map.on("zoomend", switchBand);
    (data.timeHooks = data.timeHooks || []).push(function (v, ms) {
      var upTo = v;
      if (agg.dates) {  // slider on incident dates, cells by month: months begun by then
        upTo = -1;
        while (upTo + 1 < agg.nDates && agg.dates[upTo + 1][2] <= ms) { upTo++; }
      }
      state.upTo = upTo;
      if (state.band >= 0) { restyle(state.layers[state.band]); }
    });
    switchBand();
    return state;
  }

  window.bordermapAgg = { render: render };
})();
