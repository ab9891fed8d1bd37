/* The process map: the proposals as vector tiles from the OGC API (/ogc/collections/proposals/tiles/...), drawn
 * by Leaflet.VectorGrid on a canvas, so tens of thousands of proposals cost a few tiles, not one marker each.
 * The filters (state, category, district, with or without a place) restyle the features already loaded: a feature
 * that does not match is not drawn; searched words keep the ids the server found (the list's data-map-ids). A change
 * of a filter also replaces the list and the city-wide ideas beside the map (the page's ?part=list) and the address.
 * Each state's colour is its legend chip's (participation.css), so the map and the legend cannot differ. Overlays, each vector tiles of its own collection: hazard zones, heritage sites, open reports.
 * A click on a proposal opens a popup with its title, state and a link to its page.
 * Page configuration: process (id), tiles {proposals, hazards, heritage, issues}, proposalPage ("/…/0/"),
 * properties {process, state, category, districts, title}, stateLabels, categoryLabels. */
(function () {
  "use strict";
  var Site = window.Site;
  var SiteMap = window.SiteMap;
  var L = window.L;
  var page = Site.page;
  var container = document.getElementById("process-map");
  if (!container || !page.tiles) { return; }

  // Leaflet 1.8 removed fakeStop, which VectorGrid's canvas renderer calls on a click: mark the event handled.
  if (!L.DomEvent.fakeStop) { L.DomEvent.fakeStop = function (event) { event._stopped = true; }; }

  var props = page.properties;
  var map = SiteMap.create(container, { label: gettext("Map of the proposals") });
  window.processMap = map;
  var form = document.getElementById("map-filters");
  var countBox = document.getElementById("map-count");
  var filters = {};
  var searchedIds = null;  // null: no words searched; otherwise the ids of the matching proposals with a place
  var FILTERS = ["state", "category", "district", "place", "q", "sort", "seed"];

  function readFilters() {
    filters = {};
    if (!form) { return; }
    FILTERS.forEach(function (name) {
      var field = form.elements[name];
      if (field && field.value) { filters[name] = field.value; }
    });
  }

  function readSearched() {
    var results = document.getElementById("proposal-results");
    searchedIds = null;
    if (results && results.dataset.searched) {
      searchedIds = {};
      listOf(results.dataset.mapIds).forEach(function (id) { if (id) { searchedIds[id] = true; } });
    }
    var seed = document.getElementById("filter-seed");
    if (results && seed) { seed.value = results.dataset.seed || ""; }
  }

  function listOf(value) {
    if (value === undefined || value === null || value === "") { return []; }
    return String(value).split(",").map(function (item) { return item.trim(); });
  }

  function matches(p) {
    if (page.process && props.process && String(p[props.process]) !== String(page.process)) { return false; }
    if (filters.place === "without") { return false; }  // city-wide ideas have no place on the map
    if (searchedIds && !searchedIds[String(p.id)]) { return false; }
    return ["state", "category", "district"].filter(function (name) { return filters[name]; }).every(function (name) {
      var property = props[name];
      if (!property) { return true; }
      return listOf(p[property]).indexOf(filters[name]) !== -1;
    });
  }

  /* VectorGrid calls getFeatureId on each feature just before styling it: the MVT feature id is copied into the
   * properties there (style functions and popups see properties only), and the geometry type (1 point, 2 line,
   * 3 polygon) kept for the style. */
  var geometryType = 3;
  function featureId(feature) {
    if (feature.properties && feature.properties.id === undefined) { feature.properties.id = feature.id; }
    geometryType = feature.type;
    return feature.id;
  }

  var shown = {};
  function proposalStyle(p, zoom) {
    if (!matches(p)) { return []; }  // an empty style: the feature is not drawn
    shown[p.id] = true;
    var state = String(p[props.state] || "");
    var base = { className: "proposal proposal--" + state, color: stateColour(state), weight: 2, fill: true,
                 fillColor: stateColour(state), fillOpacity: 0.35, opacity: 0.9, radius: zoom >= 15 ? 7 : 5 };
    if (geometryType === 1) { base.fillOpacity = 0.85; }
    if (geometryType === 2) { base.fill = false; base.weight = 4; }
    return base;
  }

  var COLOURS = {};
  Array.prototype.forEach.call(document.querySelectorAll(".state-chip[data-state]"), function (chip) {
    COLOURS[chip.dataset.state] = window.getComputedStyle(chip).backgroundColor;
  });
  function stateColour(state) { return COLOURS[state] || "#4b5563"; }

  function tiles(url, layerName, style, options) {
    var styles = {};
    styles[layerName] = style;
    return L.vectorGrid.protobuf(url, Object.assign({
      rendererFactory: L.canvas.tile,
      vectorTileLayerStyles: styles,
      interactive: true,
      maxNativeZoom: 19,
      getFeatureId: featureId
    }, options || {}));
  }

  var proposals = tiles(page.tiles.proposals, page.layerNames.proposals, proposalStyle, { pane: "overlayPane" });
  proposals.on("click", function (event) {
    var p = event.layer.properties;
    var link = page.proposalPage.replace("/0/", "/" + encodeURIComponent(p.id) + "/");
    L.popup().setLatLng(event.latlng).setContent(SiteMap.popup([
      { title: p[props.title] || "" },
      { text: (page.stateLabels || {})[p[props.state]] || p[props.state] },
      { text: (page.categoryLabels || {})[p[props.category]] || "" },
      { link: link, text: gettext("Open the proposal") }
    ])).openOn(map);
  });
  proposals.on("load", function () {
    var count = Object.keys(shown).length;
    map.getContainer().dataset.proposalsShown = String(count);
    if (countBox) {
      countBox.textContent = Site.format(ngettext("%(count)s proposal shown in this view", "%(count)s proposals shown in this view", count),
        { count: count });
    }
  });
  proposals.addTo(map);

  var overlays = [{ name: gettext("Proposals"), layer: proposals, swatch: "proposals" }];
  if (page.tiles.hazards) {
    overlays.push({ name: gettext("Hazard zones"), swatch: "hazard", layer: tiles(page.tiles.hazards, "hazard-zones", function (p) {
      return { className: "hazard-zone hazard-zone--" + p.level, weight: 1, color: "#c62828", fill: true, fillColor: hazardColour(p.level),
               fillOpacity: 0.25, interactive: false };
    }, { interactive: false }) });
  }
  if (page.tiles.heritage) {
    overlays.push({ name: gettext("Heritage sites"), swatch: "heritage", layer: tiles(page.tiles.heritage, "heritage-sites", function () {
      return { radius: 5, color: "#6d4c41", fill: true, fillColor: "#a1887f", fillOpacity: 0.9, weight: 1 };
    }) });
  }
  if (page.tiles.issues) {
    overlays.push({ name: gettext("Open reports"), swatch: "issues", layer: tiles(page.tiles.issues, "open-issues", function () {
      return { radius: 4, color: "#37474f", fill: true, fillColor: "#ffb300", fillOpacity: 0.9, weight: 1 };
    }) });
  }
  overlays.slice(1).forEach(function (overlay) {
    overlay.layer.on("click", function (event) {
      var p = event.layer.properties || {};
      L.popup().setLatLng(event.latlng).setContent(SiteMap.popup([
        { title: overlay.name },
        { text: Site.pick(p, "name") || p.category_el && Site.pick(p, "category") || p.service_name || p.kind || "" },
        { text: p.level ? Site.format(gettext("Level: %(level)s"), { level: (page.levelLabels || {})[p.level] || p.level }) : "" }
      ])).openOn(map);
    });
  });
  SiteMap.layerSwitcher(map, overlays);

  function hazardColour(level) {
    return { low: "#fff59d", medium: "#ffb74d", high: "#e53935", very_high: "#7f0000" }[level] || "#ffb74d";
  }

  function address() {
    var params = new URLSearchParams();
    FILTERS.forEach(function (name) { if (filters[name]) { params.set(name, filters[name]); } });
    return params;
  }

  function redrawMap() {
    shown = {};
    proposals.redraw();
  }

  var pending = null;
  function refilter() {
    readFilters();
    if (filters.sort !== "random") { delete filters.seed; }
    var params = address();
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
    redrawMap();
    var results = document.getElementById("browse-results");
    if (!results) { return; }
    params.set("part", "list");
    if (pending) { pending.abort(); }
    pending = new AbortController();
    results.setAttribute("aria-busy", "true");
    fetch(window.location.pathname + "?" + params.toString(), { signal: pending.signal, credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        results.innerHTML = html;
        results.removeAttribute("aria-busy");
        readSearched();
        readFilters();
        var again = address();
        var text = again.toString();
        window.history.replaceState(null, "", window.location.pathname + (text ? "?" + text : ""));
        redrawMap();
      })
      .catch(function (error) { if (error.name !== "AbortError") { results.removeAttribute("aria-busy"); } });
  }

  readSearched();
  if (form) {
    form.addEventListener("change", function (event) { if (event.target.name !== "q") { refilter(); } });
    form.addEventListener("submit", function (event) { event.preventDefault(); refilter(); });
    readFilters();
  }
  if (page.bounds) { map.fitBounds([[page.bounds[1], page.bounds[0]], [page.bounds[3], page.bounds[2]]]); }
})();
