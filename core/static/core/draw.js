/* MapDraw: draw a point, a line or a polygon on a Leaflet map. Corners are added by clicking (or tapping) the map,
 * or with addAtCentre() for the keyboard alone (pan with the arrow keys, then add the map's centre). A point
 * finishes on its first corner; a line needs two corners and a polygon three (clicking the first corner again, or
 * finish(), closes it); undo() removes the last corner, cancel() stops without a result. Double-click zoom is off
 * while drawing.
 *   var drawing = MapDraw.start(map, "polygon", {onChange: function (count, ready) {}, onFinish: function (geometry) {}});
 * onFinish gets a GeoJSON geometry (Point, LineString or Polygon with its ring closed) in longitude, latitude order,
 * rounded to six decimals (about 0.1 m). Used by the planner map's drawn area and the proposal form's place. */
(function () {
  "use strict";
  var L = window.L;
  var MINIMUM = { point: 1, line: 2, polygon: 3 };

  function start(map, kind, options) {
    if (!MINIMUM[kind]) { throw new Error("MapDraw: kind is point, line or polygon, not " + kind); }
    options = options || {};
    var corners = [];
    var layers = L.layerGroup().addTo(map);
    var outline = L.polyline([], { className: "draw-line", interactive: false }).addTo(layers);
    var container = map.getContainer();
    var zoomWasOn = map.doubleClickZoom.enabled();
    var active = true;
    container.classList.add("map--drawing");
    map.doubleClickZoom.disable();

    function ready() { return corners.length >= MINIMUM[kind]; }

    function redraw() {
      var points = corners.slice();
      if (kind === "polygon" && points.length >= 3) { points.push(points[0]); }
      outline.setLatLngs(points);
      if (options.onChange) { options.onChange(corners.length, ready()); }
    }

    function add(latlng) {
      if (!active) { return; }
      if (kind === "polygon" && corners.length >= 3 &&
          map.latLngToContainerPoint(corners[0]).distanceTo(map.latLngToContainerPoint(latlng)) < 10) {
        finish();
        return;
      }
      corners.push(latlng);
      var vertex = L.circleMarker(latlng, { radius: 6, className: "draw-vertex", bubblingMouseEvents: false });
      if (corners.length === 1 && kind === "polygon") {
        vertex.on("click", function () { if (corners.length >= 3) { finish(); } });
      }
      vertex.addTo(layers);
      redraw();
      if (kind === "point") { finish(); }
    }

    function onClick(event) { add(event.latlng); }

    function stop() {
      active = false;
      map.off("click", onClick);
      container.classList.remove("map--drawing");
      if (zoomWasOn) { map.doubleClickZoom.enable(); }
      map.removeLayer(layers);
    }

    function geometry() {
      var positions = corners.map(function (c) { return [round(c.lng), round(c.lat)]; });
      if (kind === "point") { return { type: "Point", coordinates: positions[0] }; }
      if (kind === "line") { return { type: "LineString", coordinates: positions }; }
      return { type: "Polygon", coordinates: [positions.concat([positions[0]])] };
    }

    function finish() {
      if (!active || !ready()) { return false; }
      var result = geometry();
      stop();
      if (options.onFinish) { options.onFinish(result); }
      return true;
    }

    function undo() {
      if (!active || !corners.length) { return; }
      corners.pop();
      var vertices = layers.getLayers().filter(function (layer) { return layer !== outline; });
      layers.removeLayer(vertices[vertices.length - 1]);
      redraw();
    }

    map.on("click", onClick);
    return {
      kind: kind,
      finish: finish,
      undo: undo,
      cancel: stop,
      addAtCentre: function () { add(map.getCenter()); },
      count: function () { return corners.length; },
      ready: ready,
      isActive: function () { return active; }
    };
  }

  function round(value) { return Math.round(value * 1e6) / 1e6; }

  /* The Leaflet layer that shows a GeoJSON geometry (a marker for a point, a path for a line or polygon).
   * extra: more path options (e.g. {interactive: false}). */
  function layerFor(geometry, className, extra) {
    var style = L.extend({ className: className || "draw-shape" }, extra || {});
    return L.geoJSON({ type: "Feature", geometry: geometry, properties: {} }, {
      style: function () { return style; },
      pointToLayer: function (feature, latlng) { return L.circleMarker(latlng, L.extend({ radius: 8 }, style)); }
    });
  }

  /* Is the position [lng, lat] inside the GeoJSON Polygon's outer ring? (ray casting; the edge itself counts
   * either way) */
  function contains(polygon, position) {
    var ring = polygon.coordinates[0];
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > position[1]) !== (yj > position[1]) && position[0] < ((xj - xi) * (position[1] - yi)) / (yj - yi) + xi) {
        inside = !inside;
      }
    }
    return inside;
  }

  window.MapDraw = { start: start, layerFor: layerFor, contains: contains, minimum: MINIMUM };
})();
