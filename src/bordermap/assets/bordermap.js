/* bordermap map runtime (bordermap's own code, MIT).
 *
 * Builds the incident overlays, popups, legend, time slider, measure tool,
 * fullscreen button and minimap from one JSON payload written by
 * bordermap.maps.  Every piece of analyst text reaches the page through
 * textContent / createElement; nothing from the data is ever parsed as HTML
 * or evaluated as script.  Links must be http(s) and open with
 * rel="noopener noreferrer".
 */
(function () {
  "use strict";

  // ------------------------------------------------------------------ helpers
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function safeHref(url) {
    if (typeof url !== "string" || !/^https?:\/\/[^\s\u0000-\u001f]+$/i.test(url)) { return null; }
    try {
      var u = new URL(url);
      return (u.protocol === "http:" || u.protocol === "https:") ? u.href : null;
    } catch (e) {
      return null;
    }
  }

  function link(url, text) {
    var href = safeHref(url);
    if (href === null) { return el("span", null, text); }
    var a = el("a", null, text);
    a.href = href;
    a.rel = "noopener noreferrer";
    a.target = "_blank";
    return a;
  }

  function line(parent, cls, label, value) {
    if (value === undefined || value === null || value === "") { return null; }
    var d = el("div", cls);
    if (label) { d.appendChild(el("span", "bm-label-key", label + ": ")); }
    d.appendChild(document.createTextNode(String(value)));
    parent.appendChild(d);
    return d;
  }

  function kmText(x) {
    return x >= 10 || x === 0 ? Math.round(x).toLocaleString("en") : x.toFixed(1);
  }

  function km(m) {
    if (m >= 1000) { return (Math.round(m / 100) / 10).toFixed(1) + " km"; }
    return Math.round(m) + " m";
  }

  // -------------------------------------------------- geodesic distance (WGS84)
  // Vincenty's inverse formula on the WGS84 ellipsoid (sub-millimetre away from
  // near-antipodal points, where it returns NaN rather than a wrong figure).
  var WGS84_A = 6378137.0, WGS84_F = 1 / 298.257223563, WGS84_B = WGS84_A * (1 - WGS84_F);

  function geodesicDistanceM(lat1, lon1, lat2, lon2) {
    var rad = Math.PI / 180, f = WGS84_F, a = WGS84_A, b = WGS84_B;
    var L = (lon2 - lon1) * rad;
    var U1 = Math.atan((1 - f) * Math.tan(lat1 * rad));
    var U2 = Math.atan((1 - f) * Math.tan(lat2 * rad));
    var sinU1 = Math.sin(U1), cosU1 = Math.cos(U1), sinU2 = Math.sin(U2), cosU2 = Math.cos(U2);
    var lambda = L, lambdaP, iter = 0;
    var sinSigma, cosSigma, sigma, cosSqAlpha, cos2SigmaM, sinLambda, cosLambda, sinAlpha, C;
    do {
      sinLambda = Math.sin(lambda);
      cosLambda = Math.cos(lambda);
      sinSigma = Math.sqrt((cosU2 * sinLambda) * (cosU2 * sinLambda) +
        (cosU1 * sinU2 - sinU1 * cosU2 * cosLambda) * (cosU1 * sinU2 - sinU1 * cosU2 * cosLambda));
      if (sinSigma === 0) { return 0; }
      cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosLambda;
      sigma = Math.atan2(sinSigma, cosSigma);
      sinAlpha = cosU1 * cosU2 * sinLambda / sinSigma;
      cosSqAlpha = 1 - sinAlpha * sinAlpha;
      cos2SigmaM = cosSqAlpha !== 0 ? cosSigma - 2 * sinU1 * sinU2 / cosSqAlpha : 0;
      C = f / 16 * cosSqAlpha * (4 + f * (4 - 3 * cosSqAlpha));
      lambdaP = lambda;
      lambda = L + (1 - C) * f * sinAlpha *
        (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)));
    } while (Math.abs(lambda - lambdaP) > 1e-12 && ++iter < 200);
    if (iter >= 200) { return NaN; }
    var uSq = cosSqAlpha * (a * a - b * b) / (b * b);
    var A = 1 + uSq / 16384 * (4096 + uSq * (-768 + uSq * (320 - 175 * uSq)));
    var B = uSq / 1024 * (256 + uSq * (-128 + uSq * (74 - 47 * uSq)));
    var deltaSigma = B * sinSigma * (cos2SigmaM + B / 4 * (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM) -
      B / 6 * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * cos2SigmaM * cos2SigmaM)));
    return b * A * (sigma - deltaSigma);
  }

  // ------------------------------------------------------------------- popups
  function sourceText(s) {
    // s = [publisher, title, date, url, authors]
    return s[0] + (s[4] ? " (" + s[4] + ")" : "") + ", \u201c" + s[1] + "\u201d" +
      (s[2] ? ", " + s[2] : "");
  }

  function buildPopup(data, j) {
    var inc = data.inc;
    var det = data.details[inc.i[j]];
    var dt = data.dates[inc.d[j]];
    var kind = data.kinds[inc.k[j]];
    var root = el("div", "bm-popup");
    root.appendChild(el("div", "bm-title", det.t));
    root.appendChild(el("div", "bm-when", dt[0] + " (" + dt[1] + ") \u00b7 " + kind.label));
    var who = det.a + " \u2192 " + (det.ts || "?") + (det.tg ? " (" + det.tg + ")" : "");
    line(root, "bm-who", "Actor \u2192 target", who);
    line(root, "bm-op", "Operation", det.op);
    var place = (det.pl || "unnamed point") + " (\u00b1" + km(det.pm) + ")";
    line(root, "bm-place", "Where", place);
    line(root, "bm-locnote", "Location note", det.ln);
    line(root, "bm-origin", "Launched from", det.o);
    var ci = inc.s[j];
    if (ci >= 0) {
      var ctx = data.ctx[ci].split("{km}").join((inc.c[j] / 10).toFixed(1));
      if (inc.lo && inc.hi[j] > inc.lo[j]) {
        ctx += " (anywhere from " + kmText(inc.lo[j] / 10) + " to " + kmText(inc.hi[j] / 10) +
          " km; " + (inc.sc[j] ? "side certain" : "side uncertain: the place's extent reaches the line") + ")";
      }
      line(root, "bm-ctx", "Context", ctx);
    }
    if (det.cl && det.cl.length) {
      root.appendChild(el("div", "bm-h", "Claims"));
      var ul = el("ul", "bm-claims");
      det.cl.forEach(function (c) {
        var li = el("li");
        li.appendChild(el("b", null, c.c));
        var bits = [];
        (c.cas || []).forEach(function (p) { bits.push(p[0] + " " + p[1]); });
        if (c.h) { bits.push("hit: " + c.h); }
        if (c.o) { bits.push("outcome: " + c.o); }
        if (c.n) { bits.push("notes: " + c.n); }
        li.appendChild(document.createTextNode(": " + (bits.length ? bits.join("; ") : "no details")));
        if (c.s && c.s.length) {
          li.appendChild(document.createTextNode(" [" + c.s.map(function (k) {
            return det.s.indexOf(k) + 1;
          }).join(", ") + "]"));
        }
        ul.appendChild(li);
      });
      root.appendChild(ul);
    }
    if (det.s && det.s.length) {
      root.appendChild(el("div", "bm-h", "Sources"));
      var ol = el("ol", "bm-sources");
      det.s.forEach(function (k) {
        var s = data.sources[k];
        var li = el("li");
        li.appendChild(link(s[3], sourceText(s)));
        ol.appendChild(li);
      });
      root.appendChild(ol);
    }
    line(root, "bm-notes", "Notes", det.n);
    return root;
  }

  // ----------------------------------------------------------------- controls
  function control(position, build) {
    var C = L.Control.extend({
      options: { position: position },
      onAdd: function (map) {
        var div = build(map);
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
      }
    });
    return new C();
  }

  function legend(data) {
    return control("bottomright", function () {
      var div = el("div", "bm-legend leaflet-control");
      if (data.title) { div.appendChild(el("div", "bm-legend-title", data.title)); }
      data.kinds.forEach(function (k) {
        if (!k.n) { return; }
        var row = el("div", "bm-legend-row");
        var g = el("span", "bm-glyph", k.glyph);
        g.style.background = k.color;
        row.appendChild(g);
        row.appendChild(document.createTextNode(" " + k.label + " (" + k.n + ")"));
        div.appendChild(row);
      });
      data.lineStyles.forEach(function (s) {
        var row = el("div", "bm-legend-row");
        var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
        svg.setAttribute("width", "28");
        svg.setAttribute("height", "10");
        var ln = document.createElementNS("http://www.w3.org/2000/svg", "line");
        ln.setAttribute("x1", "1"); ln.setAttribute("y1", "5");
        ln.setAttribute("x2", "27"); ln.setAttribute("y2", "5");
        ln.setAttribute("stroke", s.color);
        ln.setAttribute("stroke-width", String(s.weight));
        if (s.dash) { ln.setAttribute("stroke-dasharray", s.dash); }
        ln.setAttribute("stroke-linecap", "round");  // as Leaflet draws lines: dots stay dots
        svg.appendChild(ln);
        row.appendChild(svg);
        row.appendChild(document.createTextNode(" " + s.label));
        div.appendChild(row);
      });
      div.appendChild(el("div", "bm-legend-note", data.note));
      return div;
    });
  }

  function fullscreen() {
    return control("topleft", function (map) {
      var div = el("div", "leaflet-bar bm-fullscreen");
      var a = el("a");
      var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
      svg.setAttribute("width", "16");
      svg.setAttribute("height", "16");
      svg.setAttribute("viewBox", "0 0 16 16");
      var path = document.createElementNS("http://www.w3.org/2000/svg", "path");
      path.setAttribute("d", "M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5");
      path.setAttribute("fill", "none");
      path.setAttribute("stroke", "#333");
      path.setAttribute("stroke-width", "2");
      svg.appendChild(path);
      svg.style.verticalAlign = "middle";
      a.appendChild(svg);
      a.href = "#";
      a.title = "Full screen";
      a.setAttribute("role", "button");
      L.DomEvent.on(a, "click", function (ev) {
        L.DomEvent.preventDefault(ev);
        var box = map.getContainer();
        if (document.fullscreenElement) {
          document.exitFullscreen();
        } else if (box.requestFullscreen) {
          box.requestFullscreen();
        }
      });
      document.addEventListener("fullscreenchange", function () { map.invalidateSize(); });
      div.appendChild(a);
      return div;
    });
  }

  function measure(state) {
    return control("topleft", function (map) {
      var div = el("div", "leaflet-bar bm-measure");
      var a = el("a", null, "\u2194");
      a.href = "#";
      a.title = "Measure geodesic distance (click points; click the button again to stop)";
      a.setAttribute("role", "button");
      var out = el("div", "bm-measure-out");
      var group = L.layerGroup().addTo(map);
      var pts = [], active = false, poly = null;
      function total() {
        var s = 0;
        for (var i = 1; i < pts.length; i++) {
          s += geodesicDistanceM(pts[i - 1].lat, pts[i - 1].lng, pts[i].lat, pts[i].lng);
        }
        return s;
      }
      function onClick(ev) {
        pts.push(ev.latlng);
        L.circleMarker(ev.latlng, { radius: 3, color: "#111", weight: 1 }).addTo(group);
        if (poly) { poly.setLatLngs(pts); } else {
          poly = L.polyline(pts, { color: "#111", weight: 2, dashArray: "4 4" }).addTo(group);
        }
        state.measured_m = total();
        out.textContent = pts.length > 1 ? "Geodesic length: " + km(state.measured_m) : "Click the next point";
      }
      L.DomEvent.on(a, "click", function (ev) {
        L.DomEvent.preventDefault(ev);
        active = !active;
        div.classList.toggle("bm-active", active);
        if (active) {
          group.clearLayers(); pts = []; poly = null;
          out.textContent = "Click the first point";
          map.on("click", onClick);
          map.getContainer().style.cursor = "crosshair";
        } else {
          map.off("click", onClick);
          map.getContainer().style.cursor = "";
        }
      });
      div.appendChild(a);
      div.appendChild(out);
      return div;
    });
  }

  function basemapLayer(data, renderer, interactive, names) {
    var group = L.featureGroup();
    var style = { renderer: renderer, color: "#8a8a8a", weight: 0.7, fillColor: "#f4f1ea",
                  fillOpacity: 1, interactive: false };
    data.basemap.forEach(function (c) {
      // c = [iso3, name, polygons, label [lat, lon] or null], rings as arrays of [lat, lon]
      var poly = L.polygon(c[2], style);
      if (interactive) {
        poly.bindTooltip(function () { return el("span", null, c[1]); }, { sticky: true });
      }
      group.addLayer(poly);
      if (names && c[3]) {
        var t = L.tooltip({ permanent: true, direction: "center", className: "bm-country-label",
                            interactive: false, offset: [0, 0] });
        t.setLatLng(c[3]);
        t.setContent(el("span", null, c[1]));
        group.addLayer(t);
        var b = poly.getBounds();
        names.push({ tooltip: t, dirs: ["center"], avoidMarkers: true, size: (b.getNorth() - b.getSouth()) * (b.getEast() - b.getWest()),
                     hidden: function () {  // a country smaller on screen than its name goes unnamed
                       var m = group._map;
                       if (!m) { return true; }
                       var p1 = m.latLngToContainerPoint(b.getNorthWest()), p2 = m.latLngToContainerPoint(b.getSouthEast());
                       var node = t.getElement();
                       return !node || Math.abs(p2.x - p1.x) < 0.8 * node.offsetWidth || Math.abs(p2.y - p1.y) < node.offsetHeight;
                     } });
      }
    });
    return group;
  }

  function minimap(data) {
    return control("bottomright", function (map) {
      var div = el("div", "bm-minimap leaflet-control");
      setTimeout(function () {
        var mini = L.map(div, {
          attributionControl: false, zoomControl: false, dragging: false,
          scrollWheelZoom: false, doubleClickZoom: false, boxZoom: false, keyboard: false,
          touchZoom: false, preferCanvas: true
        });
        mini.getContainer().style.background = "#b9d3e6";
        basemapLayer(data, L.canvas(), false).addTo(mini);
        var box = L.rectangle(map.getBounds(), { color: "#d7191c", weight: 1.5, fill: false,
                                                 interactive: false }).addTo(mini);
        function sync() {
          mini.setView(map.getCenter(), Math.max(0, map.getZoom() - 4), { animate: false });
          box.setBounds(map.getBounds());
        }
        map.on("moveend zoomend", sync);
        sync();
      }, 0);
      return div;
    });
  }

  function slider(data, items, onChange) {
    var starts = data.dates.map(function (d) { return d[2]; });
    var order = starts.map(function (_, i) { return i; }).sort(function (a, b) {
      return starts[a] - starts[b];
    });
    var uniq = [];
    order.forEach(function (i) {
      if (!uniq.length || uniq[uniq.length - 1].ms !== starts[i]) {
        uniq.push({ ms: starts[i], text: data.dates[i][0] });
      }
    });
    if (uniq.length < 2) { return null; }
    var rank = new Array(starts.length);
    order.forEach(function (i) {
      var r = 0;
      while (r < uniq.length - 1 && uniq[r].ms < starts[i]) { r++; }
      rank[i] = r;
    });
    return control("bottomleft", function () {
      var div = el("div", "bm-slider leaflet-control");
      var label = el("div", "bm-slider-label");
      var input = el("input");
      input.type = "range";
      input.min = "0";
      input.max = String(uniq.length - 1);
      input.step = "1";
      input.value = String(uniq.length - 1);
      input.setAttribute("aria-label", "Show incidents up to this date");
      var tl = window.bordermapView.timeline(data);
      function apply() {
        var v = Number(input.value);
        label.textContent = "Incidents up to " + uniq[v].text.slice(0, 10) +
          (v === uniq.length - 1 ? " (all)" : "");
        items.forEach(function (it) {
          var show = rank[it.d] <= v;
          if (show && !it.on) { it.group.addLayer(it.layer); it.on = true; }
          if (!show && it.on) { it.group.removeLayer(it.layer); it.on = false; }
        });
        if (tl) { tl.update(uniq[v].ms); }
        if (onChange) { onChange(); }
        (data.timeHooks || []).forEach(function (f) { f(v, uniq[v].ms); });  // hexagons
      }
      L.DomEvent.on(input, "input", apply);
      if (tl) { div.appendChild(tl.node); }
      div.appendChild(label);
      div.appendChild(input);
      apply();
      return div;
    });
  }

  // ------------------------------------------------------------------- render
  function render(map, groups, data) {
    var view = window.bordermapView;
    var state = { measured_m: 0, markers: 0 };
    var canvas = L.canvas({ padding: 0.3 });
    var items = [];
    var inc = data.inc;
    var n = inc.x.length;
    var countryNames = [];
    view.guardTooltips();
    view.trackPopups(map);

    if (groups.basemap) { basemapLayer(data, canvas, true, countryNames).addTo(groups.basemap); }

    data.frontiers.forEach(function (f) {
      var g = groups[f.group];
      f.segments.forEach(function (s) {
        var st = data.lineStyles[s.style];
        // a white casing under every frontier line: no band or strike arc has one
        g.addLayer(L.polyline(s.coords, { color: "#ffffff", weight: st.weight + 3, opacity: 0.9,
                                          interactive: false, className: "bm-casing" }));
        var pl = L.polyline(s.coords, { color: st.color, weight: st.weight, dashArray: st.dash || null,
                                        opacity: 1, className: "bm-frontier" });
        pl.bindTooltip(function () { return el("span", null, s.name + " (" + st.label + ")"); },
                       { sticky: true });
        g.addLayer(pl);
      });
    });

    data.bands.forEach(function (b) {
      var pg = L.polygon(b.rings, { color: b.color, weight: 0.6, fillColor: b.color,
                                    fillOpacity: 0.12, interactive: false });
      groups.bands.addLayer(pg);
    });

    data.unc.forEach(function (u) {
      var k = data.kinds[u.k];
      // impact uncertainty is shaded; an uncertain launch point (u.o) is only outlined
      var pg = L.polygon(u.rings, { color: k.color, weight: 1, dashArray: u.o ? "1 6" : "3 4",
                                    fillColor: k.color, fillOpacity: u.o ? 0 : 0.08,
                                    interactive: false });
      groups.uncertainty.addLayer(pg);
      items.push({ group: groups.uncertainty, layer: pg, d: u.d, on: true });
    });

    data.arcs.forEach(function (a) {
      var k = data.kinds[a.k];
      var g = L.featureGroup();
      L.polyline(a.line, { color: k.color, weight: 2.2, opacity: 0.9 }).addTo(g);
      L.polyline(a.head, { color: k.color, weight: 2.2, opacity: 0.9 }).addTo(g);
      g.bindTooltip(function () { return el("span", null, a.label); }, { sticky: true });
      groups.vectors.addLayer(g);
      items.push({ group: groups.vectors, layer: g, d: a.d, on: true });
    });

    var cluster = data.dom ? view.makeCluster(map) : null;
    var proxies = {};
    var markerLayers = [];
    for (var j = 0; j < n; j++) {
      var k = data.kinds[inc.k[j]];
      var latlng = [inc.y[j] / 1e5, inc.x[j] / 1e5];
      var m;
      if (data.dom) {
        var glyph = el("span", "bm-glyph", k.glyph);
        glyph.style.background = k.color;
        m = L.marker(latlng, {
          icon: L.divIcon({ className: "bm-incident", html: glyph, iconSize: [22, 22], iconAnchor: [11, 11] }),
          keyboard: true,
          riseOnHover: true
        });
        m.bindTooltip((function (t) { return function () { return el("span", null, t); }; })(
          data.details[inc.i[j]].t), { direction: "top", offset: [0, -10] });
        m.on("add", function () {  // which point an icon shows (clusters reorder the pane)
          var icon = this.getElement();
          if (icon) { icon.setAttribute("data-point", String(this._bmPoint)); }
        });
        m._bmPoint = j;
      } else {
        m = L.circleMarker(latlng, { renderer: canvas, radius: 4, color: "#222", weight: 0.6,
                                     fillColor: k.color, fillOpacity: 0.85 });
      }
      m.bindPopup((function (jj) { return function () { return buildPopup(data, jj); }; })(j),
                  { maxWidth: 380, minWidth: 260 });
      var g2 = groups["kind" + inc.k[j]];
      if (cluster) {
        g2 = proxies[inc.k[j]] || (proxies[inc.k[j]] = view.clusterProxy(map, cluster, groups["kind" + inc.k[j]]));
      }
      g2.addLayer(m);
      markerLayers.push(m);
      items.push({ group: g2, layer: m, d: inc.d[j], on: true });
    }
    state.markers = n;
    state.cluster = cluster;
    state.show = function (jj, done) {  // open point jj's popup (zooming into its cluster)
      var mk = markerLayers[jj];
      if (cluster && cluster.hasLayer(mk)) {
        cluster.zoomToShowLayer(mk, function () { mk.openPopup(); if (done) { done(); } });
      } else { mk.openPopup(); if (done) { done(); } }
    };
    if (data.agg && window.bordermapAgg && groups.agg) {
      state.agg = window.bordermapAgg.render(map, groups.agg, data);  // bordermap-agg.js
    }

    // place labels, highest priority first, then country names; a label whose
    // marker sits in a cluster at this zoom is hidden with it
    var byPlace = {};
    for (var jm = 0; jm < n; jm++) {
      var key = (Math.round(inc.y[jm] / 10) / 1e4) + "," + (Math.round(inc.x[jm] / 10) / 1e4);
      (byPlace[key] = byPlace[key] || []).push(markerLayers[jm]);
      markerLayers[jm]._bmPlace = key;
    }
    var labelEntries = [];
    data.labels.forEach(function (p) {
      var t = L.tooltip({ permanent: true, direction: "right", className: "bm-place-label",
                          interactive: false, offset: [10, 0] });
      t.setLatLng([p[0], p[1]]);
      t.setContent(el("span", null, p[2]));
      groups.labels.addLayer(t);
      var here = p[0] + "," + p[1], mine = byPlace[here] || [];
      // a launch point's label (priority below any impact) never covers a marker
      labelEntries.push({ tooltip: t, dirs: ["right", "left", "top", "bottom"], avoidMarkers: p[3] < 0.01,
                          hidden: function () {
        // hidden when its markers sit in a cluster with other places' markers (a cluster
        // of this place alone keeps the label: the points share the spot)
        return !!cluster && mine.length > 0 && mine.every(function (mk) {
          var vp = cluster.getVisibleParent(mk);
          return vp !== null && vp !== mk && vp.getAllChildMarkers().some(function (c) {
            return c._bmPlace !== here;
          });
        });
      } });
    });
    state.topPlace = data.labels.length ? [data.labels[0][0], data.labels[0][1]] : null;
    countryNames.sort(function (a, b) { return b.size - a.size; });  // the largest named first
    labelEntries = labelEntries.concat(countryNames);
    var labels = view.labelDeclutter(map, labelEntries);
    state.declutter = labels.run;
    if (cluster) { cluster.on("animationend", labels.later); }

    L.control.scale({ metric: true, imperial: false, maxWidth: 160 }).addTo(map);
    fullscreen().addTo(map);
    measure(state).addTo(map);
    var lg = legend(data).addTo(map);
    minimap(data).addTo(map);
    var sl = slider(data, items, labels.later);
    if (sl) { sl.addTo(map); }
    function fit(b) {  // keep the first view clear of the legend in the bottom right
      var right = Math.min(lg.getContainer().offsetWidth + 10, map.getSize().x / 3);
      map.fitBounds(b, { paddingTopLeft: [50, 20], paddingBottomRight: [right, 20], maxZoom: 9,
                         animate: false });
    }
    if (data.bounds) {
      fit(data.bounds);
      var all = data.boundsAll ? view.showAll(map, data, fit) : null;
      if (all) { all.addTo(map); }
    }
    labels.run();
    state.items = items.length;
    return state;
  }

  window.bordermap = {
    render: render,
    buildPopup: buildPopup,
    geodesicDistanceM: geodesicDistanceM,
    safeHref: safeHref,
    states: []
  };
})();
