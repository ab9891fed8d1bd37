/* The implementation map: the participation-implementation collection's vector tiles (OGC API), drawn by
 * Leaflet.VectorGrid as SVG shapes coloured by status (the legend above the map); a click opens a popup with the
 * title, the status, the progress (a bar and its per cent) and a link to the project's page (the list under the map
 * gives the same to the keyboard). The filters (year,
 * district, process, status) restyle the loaded features and are kept in the address; the list under the map is
 * the server's (filtered by the address when the page is opened), its items hidden by the same filters.
 * Page configuration: tiles, layerName, projectPage ("/…/0/"), statusLabels, bounds (of the listed records). */
(function () {
  "use strict";
  var Site = window.Site;
  var SiteMap = window.SiteMap;
  var L = window.L;
  var page = Site.page;
  var container = document.getElementById("implementation-map");
  if (!container || !page.tiles) { return; }

  var COLOURS = { planned: "#1f6fb2", in_progress: "#b26b00", done: "#2e7d32", cancelled: "#6b6b6b" };
  var map = SiteMap.create(container, { label: gettext("Map of the projects coloured by status") });
  window.implementationMap = map;
  var form = document.getElementById("implementation-filters");
  var filters = {};

  function readFilters() {
    filters = {};
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (select) {
      if (select.value) { filters[select.name] = select.value; }
    });
  }

  function matches(p) {
    return Object.keys(filters).every(function (name) { return String(p[name]) === filters[name]; });
  }

  var geometryType = 3;
  var shown = {};
  function featureId(feature) {
    if (feature.properties && feature.properties.id === undefined) { feature.properties.id = feature.id; }
    geometryType = feature.type;
    return feature.id;
  }

  var drawn = {};
  function style(p, zoom) {
    if (!matches(p)) { return []; }
    shown[p.id] = p.status;
    drawn[p.id] = p;
    var colour = COLOURS[p.status] || COLOURS.planned;
    // leaflet-interactive: the shape takes the pointer; its id (a class) leads the click to its properties
    var base = { className: "leaflet-interactive implementation implementation--" + p.status + " implementation-" + p.id,
                 color: colour, fillColor: colour, weight: 2, fill: true, fillOpacity: 0.35, opacity: 0.95,
                 radius: zoom >= 15 ? 8 : 6 };
    if (geometryType === 1) { base.fillOpacity = 0.9; base.color = "#ffffff"; }
    if (geometryType === 2) { base.fill = false; base.weight = 5; }
    return base;
  }

  if (form) { readFilters(); }
  var styles = {};
  styles[page.layerName] = style;
  /* SVG shapes (a class per status, for the page's styles and tests); not Leaflet-interactive, since Leaflet asks a
   * tile's point for a place of its own on a click: the map's clicks on a shape are read here instead. */
  var layer = L.vectorGrid.protobuf(page.tiles, {
    rendererFactory: L.svg.tile, vectorTileLayerStyles: styles, interactive: false, maxNativeZoom: 19,
    getFeatureId: featureId
  });
  container.addEventListener("click", function (event) {
    var shape = event.target.closest && event.target.closest("path.implementation");
    if (!shape) { return; }
    var id = (/implementation-(\d+)/.exec(shape.getAttribute("class")) || [])[1];
    var p = drawn[id];
    if (!p) { return; }
    var link = page.projectPage.replace("/0/", "/" + encodeURIComponent(p.id) + "/");
    var popup = SiteMap.popup([
      { title: Site.pick(p, "title") },
      { text: page.statusLabels[p.status] || p.status },
      { text: Site.format(gettext("Progress: %(progress)s %"), { progress: p.progress }) },
      { link: link, text: gettext("Open the project") }
    ]);
    var bar = Site.el("progress", { max: "100", value: String(p.progress), class: "popup-progress" });
    bar.setAttribute("aria-label", gettext("Progress"));
    popup.insertBefore(bar, popup.lastChild);
    L.popup().setLatLng(map.mouseEventToLatLng(event)).setContent(popup).openOn(map);
  });
  layer.on("load", function () {
    var counts = {};
    Object.keys(shown).forEach(function (id) { counts[shown[id]] = (counts[shown[id]] || 0) + 1; });
    container.dataset.shown = JSON.stringify(counts);
  });
  layer.addTo(map);
  if (page.bounds) {
    map.fitBounds([[page.bounds[1], page.bounds[0]], [page.bounds[3], page.bounds[2]]], { maxZoom: 16, padding: [30, 30] });
  }

  function refilter() {
    readFilters();
    shown = {};
    layer.redraw();
    var params = new URLSearchParams();
    Object.keys(filters).forEach(function (name) { params.set(name, filters[name]); });
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
    Array.prototype.forEach.call(document.querySelectorAll(".implementation-item"), function (item) {
      item.hidden = !matches(item.dataset);
    });
  }
  if (form) {
    form.addEventListener("change", refilter);
    form.addEventListener("submit", function (event) { event.preventDefault(); refilter(); });
  }
})();
