/* PolygonDraw: draw a polygon on a Leaflet map by clicking its corners. Clicking the first corner again (or
 * finish()) closes it; undo() removes the last corner; addAtCentre() adds the map's centre, so the keyboard
 * alone can draw (pan with the arrow keys, then add). Double-click zoom is off while drawing.
 *   var drawing = PolygonDraw.start(map, {onChange: function (count) {}, onFinish: function (latlngs) {}});
 * onFinish gets the corners as [[lat, lng], ...]; a polygon needs at least three. */
(function () {
  "use strict";
  var L = window.L;

  function start(map, options) {
    options = options || {};
    var corners = [];
    var layers = L.layerGroup().addTo(map);
    var outline = L.polyline([], { className: "draw-line", interactive: false }).addTo(layers);
    var container = map.getContainer();
    var zoomWasOn = map.doubleClickZoom.enabled();
    var active = true;
    container.classList.add("map--drawing");
    map.doubleClickZoom.disable();

    function redraw() {
      var points = corners.slice();
      if (points.length >= 3) { points.push(points[0]); }
      outline.setLatLngs(points);
      if (options.onChange) { options.onChange(corners.length); }
    }

    function add(latlng) {
      if (!active) { return; }
      if (corners.length >= 3 && map.latLngToContainerPoint(corners[0]).distanceTo(map.latLngToContainerPoint(latlng)) < 10) {
        finish();
        return;
      }
      corners.push(latlng);
      var vertex = L.circleMarker(latlng, { radius: 6, className: "draw-vertex", bubblingMouseEvents: false });
      if (corners.length === 1) { vertex.on("click", function () { if (corners.length >= 3) { finish(); } }); }
      vertex.addTo(layers);
      redraw();
    }

    function onClick(event) { add(event.latlng); }

    function stop() {
      active = false;
      map.off("click", onClick);
      container.classList.remove("map--drawing");
      if (zoomWasOn) { map.doubleClickZoom.enable(); }
      map.removeLayer(layers);
    }

    function finish() {
      if (!active || corners.length < 3) { return false; }
      var result = corners.map(function (c) { return [c.lat, c.lng]; });
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
      finish: finish,
      undo: undo,
      cancel: stop,
      addAtCentre: function () { add(map.getCenter()); },
      count: function () { return corners.length; },
      isActive: function () { return active; }
    };
  }

  /* Is [lat, lng] inside the polygon [[lat, lng], ...]? (ray casting; the edge itself counts either way) */
  function contains(polygon, point) {
    var inside = false;
    for (var i = 0, j = polygon.length - 1; i < polygon.length; j = i, i += 1) {
      var yi = polygon[i][0], xi = polygon[i][1], yj = polygon[j][0], xj = polygon[j][1];
      if ((yi > point[0]) !== (yj > point[0]) && point[1] < ((xj - xi) * (point[0] - yi)) / (yj - yi) + xi) { inside = !inside; }
    }
    return inside;
  }

  window.PolygonDraw = { start: start, contains: contains };
})();
