/* bordermap map reading aids (bordermap's own code, MIT).
 *
 * What makes a map readable at the first glance, loaded after bordermap.js:
 * label decluttering by priority at each zoom, tooltips that never cover an
 * open popup, a "show all" control next to the first view, marker clustering
 * glue for the vendored leaflet.markercluster, and a small timeline above the
 * time slider.  Text still reaches the page only through textContent.
 */
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";

  function intersects(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  function visibleRect(node) {
    if (!node || !node.isConnected || node.style.display === "none") { return null; }
    var r = node.getBoundingClientRect();
    return (r.width > 0 && r.height > 0) ? r : null;
  }

  // ----------------------------------------------------------- label declutter
  var OFFSETS = { right: [10, 0], left: [-10, 0], top: [0, -10], bottom: [0, 10], center: [0, 0] };

  function setDirection(t, dir) {
    if (t.options.direction === dir) { return; }
    t.options.direction = dir;
    t.options.offset = L.point(OFFSETS[dir]);
    t.update();
  }

  /* entries: [{tooltip, dirs: [...], hidden: fn() -> bool, avoidMarkers}] in priority
   * order (highest first).  Each label takes the first direction whose box meets no
   * label already placed, no map control and no marker; failing that (unless it must
   * avoid markers), the first that meets no label; else it is hidden. */
  function declutter(map, entries) {
    // the map's own controls (legend, slider, minimap, buttons) are never written over
    var placed = Array.prototype.map.call(
      map.getContainer().querySelectorAll(".leaflet-control"), function (c) { return c.getBoundingClientRect(); });
    var markers = [];
    var pane = map.getPane("markerPane");
    Array.prototype.forEach.call(pane.children, function (m) {
      var r = visibleRect(m);
      if (r) { markers.push(r); }
    });
    var shown = 0;
    entries.forEach(function (e) {
      var node = e.tooltip.getElement && e.tooltip.getElement();
      if (!node || !map.hasLayer(e.tooltip)) { return; }
      node.style.display = "";
      if (e.hidden && e.hidden()) { node.style.display = "none"; return; }
      var fallback = null;
      for (var i = 0; i < e.dirs.length; i++) {
        setDirection(e.tooltip, e.dirs[i]);
        var r = node.getBoundingClientRect();
        if (placed.some(function (p) { return intersects(p, r); })) { continue; }
        if (!markers.some(function (p) { return intersects(p, r); })) { fallback = null; placed.push(r); shown++; return; }
        if (fallback === null && !e.avoidMarkers) { fallback = e.dirs[i]; }
      }
      if (fallback !== null) {
        setDirection(e.tooltip, fallback);
        placed.push(node.getBoundingClientRect());
        shown++;
      } else {
        node.style.display = "none";
      }
    });
    return shown;
  }

  function labelDeclutter(map, entries) {
    var pending = null;
    function run() {
      pending = null;
      return declutter(map, entries);
    }
    function later() {
      if (pending === null) { pending = setTimeout(run, 0); }
    }
    map.on("zoomend overlayadd overlayremove baselayerchange layeradd", later);
    return { run: run, later: later };
  }

  // ------------------------------------------------ tooltips never cover popups
  var guarded = false;

  function guardTooltips() {
    if (guarded) { return; }
    guarded = true;
    var proto = L.Tooltip.prototype;
    var original = proto._updatePosition;
    var order = { top: ["top", "bottom", "right", "left"], bottom: ["bottom", "top", "right", "left"],
                  right: ["right", "left", "top", "bottom"], left: ["left", "right", "top", "bottom"] };
    proto._updatePosition = function () {
      original.apply(this, arguments);
      var map = this._map, node = this._container;
      if (this.options.permanent || !map || !node) { return; }
      var popup = map._bmPopup;
      node.classList.remove("bm-covered");
      var box = popup && popup.isOpen() ? visibleRect(popup.getElement()) : null;
      if (!box) { return; }
      var first = this._bmDirection || (this._bmDirection = this.options.direction);
      var dirs = order[first] || [first];
      for (var i = 0; i < dirs.length; i++) {
        this.options.direction = dirs[i];
        if (i > 0) { original.apply(this, arguments); }
        if (!intersects(node.getBoundingClientRect(), box)) { this.options.direction = first; return; }
      }
      this.options.direction = first;
      node.classList.add("bm-covered");  // no side is free: the tooltip stays hidden
    };
  }

  function trackPopups(map) {
    function refresh() {
      map.eachLayer(function (l) {
        if (l instanceof L.Tooltip && !l.options.permanent && l._container) { l._updatePosition(); }
      });
    }
    map.on("popupopen", function (e) { map._bmPopup = e.popup; refresh(); });
    map.on("popupclose", function (e) {
      if (map._bmPopup === e.popup) { map._bmPopup = null; }
      refresh();
    });
    map.on("moveend zoomend", refresh);
  }

  // ---------------------------------------------------------------- show all
  function showAll(map, data, fit) {
    var near = L.latLngBounds(data.bounds), all = L.latLngBounds(data.boundsAll);
    if (near.contains(all)) { return null; }
    var C = L.Control.extend({
      options: { position: "topleft" },
      onAdd: function () {
        var div = L.DomUtil.create("div", "leaflet-bar bm-showall");
        var a = L.DomUtil.create("a", "", div);
        var wide = false;
        function label() {
          a.textContent = wide ? "Frontier" : "Show all";
          a.title = wide ? "Back to the incidents near the frontier"
                         : "Show every incident, far-off events too";
        }
        a.href = "#";
        a.setAttribute("role", "button");
        label();
        L.DomEvent.on(a, "click", function (ev) {
          L.DomEvent.preventDefault(ev);
          wide = !wide;
          fit(wide ? all : near);
          label();
        });
        L.DomEvent.disableClickPropagation(div);
        return div;
      }
    });
    return new C();
  }

  // --------------------------------------------------------------- clustering
  /* One cluster group for every DOM marker; each kind's overlay (a placeholder in the
   * layer control) and the time slider decide which markers the cluster holds. */
  function clusterProxy(map, cluster, kindGroup) {
    var members = [];
    function on() { return map.hasLayer(kindGroup); }
    kindGroup.on("add", function () { cluster.addLayers(members.filter(function (l) { return !cluster.hasLayer(l); })); });
    kindGroup.on("remove", function () { cluster.removeLayers(members); });
    return {
      addLayer: function (l) {
        if (members.indexOf(l) < 0) { members.push(l); }
        if (on() && !cluster.hasLayer(l)) { cluster.addLayer(l); }
      },
      removeLayer: function (l) {
        var i = members.indexOf(l);
        if (i >= 0) { members.splice(i, 1); }
        if (cluster.hasLayer(l)) { cluster.removeLayer(l); }
      }
    };
  }

  function makeCluster(map) {
    if (!L.markerClusterGroup) { return null; }
    // the cluster needs a maximum zoom; an offline map has no tile layer to give one
    if (map.options.maxZoom === undefined) { map.options.maxZoom = 18; }
    var cluster = L.markerClusterGroup({
      maxClusterRadius: 24, showCoverageOnHover: false, spiderfyOnMaxZoom: true,
      zoomToBoundsOnClick: true, disableClusteringAtZoom: 12, animate: false,
      iconCreateFunction: function (c) {
        var n = c.getChildCount();
        var span = document.createElement("span");
        span.className = "bm-cluster-count";
        span.textContent = String(n);
        return L.divIcon({ html: span, className: "bm-cluster", iconSize: [30, 30] });
      }
    });
    cluster.addTo(map);
    return cluster;
  }

  // ----------------------------------------------------------------- timeline
  var DAY_MS = 86400000;

  /* The window the timeline draws: the shortest run of dates holding 80 % of the
   * incidents (grown to every incident overlapping it), or every date when that is
   * at most 1.5 times as long.  Incidents outside are counted as earlier / later. */
  function timelineWindow(rows) {
    var all0 = Infinity, all1 = -Infinity;
    rows.forEach(function (r) { all0 = Math.min(all0, r.start); all1 = Math.max(all1, r.end); });
    var sorted = rows.slice().sort(function (a, b) { return a.start - b.start; });
    var k = Math.max(1, Math.ceil(0.8 * rows.length)), best = null;
    var dq = [];  // indices of a sliding-window maximum of the ends (O(n) for any k)
    for (var q = 0; q < sorted.length; q++) {
      while (dq.length && sorted[dq[dq.length - 1]].end <= sorted[q].end) { dq.pop(); }
      dq.push(q);
      var i = q - k + 1;
      if (i < 0) { continue; }
      while (dq[0] < i) { dq.shift(); }
      var a = sorted[i].start, b = sorted[dq[0]].end;
      if (best === null || b - a < best[1] - best[0]) { best = [a, b]; }
    }
    rows.forEach(function (r) {
      if (r.start < best[1] && r.end > best[0]) {
        best[0] = Math.min(best[0], r.start); best[1] = Math.max(best[1], r.end);
      }
    });
    if (all1 - all0 <= 1.5 * (best[1] - best[0])) { return [all0, all1]; }
    return best;
  }

  /* Incidents per day (windows up to 120 days), week (up to 3 years) or 30 days,
   * stacked by kind.  An incident dated to a month, a year or an interval is spread
   * evenly over the days it may have happened on (its date precision), so the bars
   * never claim more than the data say.  Returns {node, update(cutoffMs), bins}. */
  function timeline(data) {
    var inc = data.inc, n = inc.x.length;
    if (!n) { return null; }
    var seen = {}, rows = [];
    for (var j = 0; j < n; j++) {
      var u = inc.u ? inc.u[j] : j;
      if (seen[u]) { continue; }
      seen[u] = true;
      var dt = data.dates[inc.d[j]];
      rows.push({ k: inc.k[j], start: dt[2], end: Math.max(dt[3], dt[2] + 1), text: dt[0] });
    }
    var win = timelineWindow(rows);
    var before = rows.filter(function (r) { return r.end <= win[0]; });
    var after = rows.filter(function (r) { return r.start >= win[1]; });
    rows = rows.filter(function (r) { return r.end > win[0] && r.start < win[1]; });
    var t0 = win[0], t1 = win[1];
    t0 = Math.floor(t0 / DAY_MS) * DAY_MS;
    var span = t1 - t0;
    var width = span <= 120 * DAY_MS ? DAY_MS : (span <= 3 * 365 * DAY_MS ? 7 * DAY_MS : 30 * DAY_MS);
    var nb = Math.max(1, Math.ceil(span / width));
    var counts = [];
    for (var b = 0; b < nb; b++) { counts.push({}); }
    rows.forEach(function (r) {
      var len = r.end - r.start;
      for (var b2 = Math.floor((r.start - t0) / width); b2 < nb && t0 + b2 * width < r.end; b2++) {
        var lo = Math.max(r.start, t0 + b2 * width), hi = Math.min(r.end, t0 + (b2 + 1) * width);
        if (hi > lo) { counts[b2][r.k] = (counts[b2][r.k] || 0) + (hi - lo) / len; }
      }
    });
    var totals = counts.map(function (c) {
      return Object.keys(c).reduce(function (s, k) { return s + c[k]; }, 0);
    });
    var top = Math.max.apply(null, totals.concat([1e-9]));
    var W = 220, H = 44, bw = W / nb;
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("class", "bm-timeline");
    svg.setAttribute("width", String(W));
    svg.setAttribute("height", String(H + 1));
    svg.setAttribute("data-bin-ms", String(width));
    svg.setAttribute("data-start-ms", String(t0));
    svg.setAttribute("data-max", String(top));
    svg.setAttribute("data-earlier", String(before.length));
    svg.setAttribute("data-later", String(after.length));
    var title = document.createElementNS(SVG_NS, "title");
    title.textContent = "Incidents per " + (width === DAY_MS ? "day" : width === 7 * DAY_MS ? "week" : "30 days") +
      " by kind (tallest bar: " + (Math.round(top * 10) / 10) + ")";
    svg.appendChild(title);
    var bars = [];
    counts.forEach(function (c, bi) {
      var y = H;
      Object.keys(c).map(Number).sort(function (a, b) { return a - b; }).forEach(function (k) {
        var h = c[k] / top * H;
        var rect = document.createElementNS(SVG_NS, "rect");
        rect.setAttribute("x", String(bi * bw + (bw > 3 ? 0.5 : 0)));
        rect.setAttribute("width", String(Math.max(0.8, bw - (bw > 3 ? 1 : 0))));
        rect.setAttribute("y", String(y - h));
        rect.setAttribute("height", String(h));
        rect.setAttribute("fill", data.kinds[k].color);
        rect.setAttribute("data-bin", String(bi));
        rect.setAttribute("data-kind", data.kinds[k].label);
        rect.setAttribute("data-count", String(Math.round(c[k] * 1000) / 1000));
        y -= h;
        svg.appendChild(rect);
        bars.push({ rect: rect, start: t0 + bi * width });
      });
    });
    var axis = document.createElementNS(SVG_NS, "line");
    axis.setAttribute("x1", "0"); axis.setAttribute("x2", String(W));
    axis.setAttribute("y1", String(H + 0.5)); axis.setAttribute("y2", String(H + 0.5));
    axis.setAttribute("stroke", "#888");
    svg.appendChild(axis);
    var box = document.createElement("div");
    box.className = "bm-timeline-box";
    box.appendChild(svg);
    if (before.length || after.length) {
      var note = document.createElement("div");
      note.className = "bm-timeline-out";
      var first = before.map(function (r) { return r.text; }).sort()[0];
      var last = after.map(function (r) { return r.text; }).sort().pop();
      note.textContent = (before.length ? "\u25c2 " + before.length + " earlier (from " + first.slice(0, 10) + ")" : "") +
        (before.length && after.length ? " \u00b7 " : "") +
        (after.length ? after.length + " later (to " + last.slice(0, 10) + ") \u25b8" : "");
      box.appendChild(note);
    }
    return {
      node: box,
      bins: counts,
      update: function (cutoffMs) {
        bars.forEach(function (b) { b.rect.setAttribute("opacity", b.start <= cutoffMs ? "1" : "0.25"); });
      }
    };
  }

  window.bordermapView = {
    intersects: intersects,
    declutter: declutter,
    labelDeclutter: labelDeclutter,
    guardTooltips: guardTooltips,
    trackPopups: trackPopups,
    showAll: showAll,
    clusterProxy: clusterProxy,
    makeCluster: makeCluster,
    timeline: timeline
  };
})();
