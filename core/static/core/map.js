/* SiteMap: Leaflet maps of the site. The basemap is the BASEMAP_TILES_URL setting; when that is empty,
 * or its tiles fail to load, the map draws an offline basemap from this server's own layers (the
 * municipality and its neighbours, the districts, the gazetteer's streets and places), so a map is
 * usable with no internet, above land and sea from the real municipal boundaries (a static file of this
 * server). That file covers an extent (Site.config.basemap.bounds): the maps cannot be panned out of it,
 * and wherever a map shows beyond it (a wide screen at the lowest zoom) the container's "no data"
 * background shows, never sea. The container's data-basemap says which basemap: "tiles" or "offline".
 * Popups and tooltips are built from DOM text nodes (SiteMap.popup), never from HTML strings. */
(function () {
  "use strict";
  var Site = window.Site;
  var L = window.L;
  var PLACE_LABEL_ZOOM = 15;

  function create(container, options) {
    options = options || {};
    var config = Site.config;
    var map = L.map(container, {
      center: options.center || config.center,
      zoom: options.zoom || config.zoom,
      minZoom: options.minZoom || 10,
      maxZoom: config.basemap.maxZoom || 19,
      maxBounds: config.basemap.bounds || null,
      maxBoundsViscosity: 1.0,
      keyboard: true
    });
    if (options.label) { container.setAttribute("aria-label", options.label); }
    container.setAttribute("role", "region");
    map.attributionControl.setPrefix(false);
    if (config.boundaryAttribution) { map.attributionControl.addAttribution(escapeHtml(config.boundaryAttribution)); }
    map.createPane("basemapLand");  // land and sea, below the municipalities
    map.createPane("basemap");  // land, below overlays (CSS: .leaflet-basemap-pane)
    map.createPane("basemapDetail");  // district lines and places, above the land
    basemap(map);
    return map;
  }

  function basemap(map) {
    var settings = Site.config.basemap;
    if (!settings.url) { offline(map); return; }
    var loaded = 0;
    var failed = 0;
    var tiles = L.tileLayer(settings.url, { attribution: settings.attribution, maxZoom: settings.maxZoom || 19 });
    tiles.on("tileload", function () { loaded += 1; });
    tiles.on("tileerror", function () {
      failed += 1;
      if (loaded === 0 && failed >= 2 && map.hasLayer(tiles)) {
        map.removeLayer(tiles);
        offline(map);
      }
    });
    tiles.addTo(map);
    map.getContainer().dataset.basemap = "tiles";
  }

  function offline(map) {
    var container = map.getContainer();
    var urls = Site.config.offline;
    container.dataset.basemap = "offline";
    container.classList.add("map--offline");
    map.attributionControl.addAttribution(gettext("Offline basemap: this server's layers"));
    var home = Site.config.homeMunicipality;

    if (urls.coastline) {
      Site.request(urls.coastline).then(function (answer) {
        if (!answer.ok || !answer.data) { return; }
        var data = typeof answer.data === "string" ? JSON.parse(answer.data) : answer.data;
        L.geoJSON(data, {
          pane: "basemapLand",
          interactive: false,
          style: function (feature) {
            var sea = feature.properties.kind === "sea";
            return { className: sea ? "basemap-sea" : "basemap-land", weight: sea ? 0 : 1, stroke: !sea };
          }
        }).addTo(map);
        if (data.notice) { map.attributionControl.addAttribution(escapeHtml(data.notice)); }
        container.dataset.coastline = "drawn";
      });
    }

    Site.request(urls.municipalities).then(function (answer) {
      if (!answer.ok) { return; }
      L.geoJSON(answer.data, {
        pane: "basemap",
        interactive: false,
        style: function (feature) {
          var isHome = feature.id === home || feature.properties.code === home;
          return { className: isHome ? "basemap-home" : "basemap-neighbour", weight: isHome ? 2 : 1 };
        },
        onEachFeature: function (feature, layer) {
          if (feature.id !== home && feature.properties.code !== home) {
            layer.bindTooltip(label(feature.properties.name_el || feature.properties.name), {
              permanent: true, direction: "center", className: "basemap-label basemap-label--area"
            });
          }
        }
      }).addTo(map);
    });

    Site.request(urls.districts).then(function (answer) {
      if (!answer.ok) { return; }
      L.geoJSON(answer.data, {
        pane: "basemapDetail",
        interactive: false,
        style: function () { return { className: "basemap-district", weight: 1 }; }
      }).addTo(map);
    });

    Site.request(urls.places + "?limit=2000").then(function (answer) {
      if (!answer.ok) { return; }
      L.geoJSON(answer.data, {
        pane: "basemapDetail",
        interactive: false,
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, { pane: "basemapDetail", radius: 2.5, className: "basemap-place basemap-place--" + feature.properties.kind });
        },
        onEachFeature: function (feature, layer) {
          layer.bindTooltip(label(Site.pick(feature.properties, "name")), {
            permanent: true, direction: "right", offset: [4, 0], className: "basemap-label basemap-label--place"
          });
        }
      }).addTo(map);
    });

    function showPlaceLabels() {
      container.classList.toggle("map--place-labels", map.getZoom() >= PLACE_LABEL_ZOOM);
    }
    map.on("zoomend", showPlaceLabels);
    showPlaceLabels();
    map.fire("basemap:offline");
  }

  /* Leaflet's attribution is HTML: a setting's text is escaped first. */
  function escapeHtml(text) {
    var box = document.createElement("span");
    box.textContent = text;
    return box.innerHTML;
  }

  function label(text) {
    return document.createTextNode(text || "");
  }

  /* A popup's content from rows of text: [{title: "..."}, {text: "..."}, {link: url, text: "..."}]. */
  function popup(rows) {
    var box = Site.el("div", { class: "map-popup" });
    rows.forEach(function (row) {
      if (!row) { return; }
      if (row.title) { box.appendChild(Site.el("strong", { class: "map-popup__title", text: row.title })); }
      else if (row.link) { box.appendChild(Site.el("a", { href: row.link, text: row.text })); }
      else if (row.text) { box.appendChild(Site.el("p", { class: row.class || "", text: row.text })); }
    });
    return box;
  }

  /* Clustered markers when Debian's leaflet.markercluster is installed, plain ones otherwise. */
  function clusterGroup(options) {
    return typeof L.markerClusterGroup === "function"
      ? L.markerClusterGroup(Object.assign({ showCoverageOnHover: false, maxClusterRadius: 50, disableClusteringAtZoom: 18 }, options || {}))
      : L.featureGroup();
  }

  /* A layer switcher, open on wide screens and folded behind a button on phones. overlays is a list of
   * {name, layer, swatch}: each name is set as text (Leaflet's own switcher would parse it as HTML),
   * after a legend swatch (CSS class legend-swatch--<swatch>). */
  var TextLayers = L.Control.Layers.extend({
    _addItem: function (obj) {
      var label = L.Control.Layers.prototype._addItem.call(this, obj);
      var overlay = this._texts[L.stamp(obj.layer)];
      var name = label.querySelector("span span");
      if (overlay && name) {
        Site.clear(name).appendChild(Site.el("span", { class: "legend-swatch legend-swatch--" + (overlay.swatch || "none"), "aria-hidden": "true" }));
        name.appendChild(document.createTextNode(" " + overlay.name));
      }
      return label;
    }
  });

  function layerSwitcher(map, overlays) {
    var narrow = window.matchMedia && window.matchMedia("(max-width: 48rem)").matches;
    var control = new TextLayers(null, null, { collapsed: narrow });
    control._texts = {};
    overlays.forEach(function (overlay) {
      control._texts[L.stamp(overlay.layer)] = overlay;
      control.addOverlay(overlay.layer, "");
    });
    return control.addTo(map);
  }

  window.SiteMap = { create: create, popup: popup, clusterGroup: clusterGroup, layerSwitcher: layerSwitcher };
})();
