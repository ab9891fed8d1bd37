/* The planner map: hazard layers (raster tiles or vector zones) with legends and opacity, the hazard profile of
 * any point, the area query of a district or a drawn polygon with the exposure of the registered collections,
 * and the districts' levels of one hazard kind as a choropleth. Reads the hazard API, the OGC API (zones)
 * and /api/districts/. */
(function () {
  "use strict";
  var Site = window.Site;
  var L = window.L;
  var config = Site.page;
  var mapBox = document.getElementById("planner-map");
  if (!mapBox || !config.layersUrl) { return; }

  var LEVELS = ["high", "medium", "low", "very_low"];
  var levelNames = {};
  config.levels.forEach(function (l) { levelNames[l.value] = l.label; });
  var kindNames = {};
  config.kinds.forEach(function (k) { kindNames[k.value] = k.label; });
  var DEFAULT_OPACITY = 70;

  var map = SiteMap.create(mapBox, { label: gettext("Hazard map") });
  map.createPane("districtLevels");  // the choropleth, above the basemap (CSS: .leaflet-districtLevels-pane)
  map.createPane("hazards");  // raster tiles and zones, above the choropleth, under the markers (.leaflet-hazards-pane)
  var layers = [];  // from /api/hazards/layers
  var shown = {};  // slug -> Leaflet layer
  var profileMarker = null;
  var area = null;  // {district: code} or {polygon: a GeoJSON Polygon drawn with MapDraw}
  var areaShape = null;
  var drawing = null;
  var choropleth = null;
  var districtShapes = null;

  function title(item) { return Site.pick(item, "title"); }
  function levelName(level) { return levelNames[level || "none"] || level; }
  function number(value, units) {
    if (value === null || value === undefined) { return "–"; }
    var rounded = Math.round(value * 1000) / 1000;
    return rounded.toLocaleString(Site.lang === "en" ? "en-GB" : "el-GR") + (units ? " " + units : "");
  }
  function swatch(level) { return Site.el("span", { class: "swatch level--" + (level || "none"), "aria-hidden": "true" }); }
  function url(template, values) {
    return template.replace(/\{([a-z]+)\}/g, function (match, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? encodeURIComponent(values[name]) : match;
    });
  }
  function failure(answer) {
    if (answer.status === 0) { return gettext("The server cannot be reached. Check the connection and try again."); }
    return Site.format(gettext("The server refused (%(status)s): %(detail)s"),
      { status: answer.status, detail: (answer.data && answer.data.detail) || "" });
  }

  /* --- layers, legends, opacity ----------------------------------------------------------- */

  function layerItem(layer) {
    var id = "layer-" + layer.layer;
    var toggle = Site.el("input", { type: "checkbox", id: id, dataset: { layer: layer.layer } });
    var opacity = Site.el("input", { type: "range", min: "0", max: "100", value: String(DEFAULT_OPACITY), id: id + "-opacity",
      "aria-label": Site.format(gettext("Opacity of %(layer)s"), { layer: title(layer) }) });
    var legend = Site.el("ul", { class: "legend", id: id + "-legend" });
    var body = Site.el("div", { class: "layer-item__body", id: id + "-body", hidden: true }, [
      Site.el("div", { class: "opacity" }, [Site.el("label", { for: id + "-opacity", text: gettext("Opacity") }), opacity]),
      legend,
      Site.el("p", { class: "provenance", text: layer.provenance + " · " + layer.licence })
    ]);
    toggle.addEventListener("change", function () {
      body.hidden = !toggle.checked;
      if (toggle.checked) { show(layer, Number(opacity.value) / 100, legend); } else { hide(layer); }
    });
    opacity.addEventListener("input", function () { setOpacity(layer, Number(opacity.value) / 100); });
    return Site.el("li", { class: "layer-item" }, [
      Site.el("label", { class: "layer-item__head", for: id }, [toggle, title(layer),
        Site.el("span", { class: "workspace-list__meta", text: kindNames[layer.kind] || layer.kind })]),
      body
    ]);
  }

  function show(layer, opacity, legendBox) {
    if (!legendBox.childNodes.length) {
      Site.request(url(config.legendUrl, { layer: layer.layer })).then(function (answer) {
        if (!answer.ok) { legendBox.appendChild(Site.el("li", { text: failure(answer) })); return; }
        window.SiteChoropleth.levelLegend(legendBox, answer.data, levelName, number);
        legendBox.appendChild(Site.el("li", {}, [swatch("no_data"), levelName("no_data")]));
      });
    }
    if (layer.source === "raster") {
      shown[layer.layer] = L.tileLayer(url(config.tileUrl, { layer: layer.layer }), {
        pane: "hazards", opacity: opacity, maxZoom: 19, className: "hazard-tiles hazard-tiles--" + layer.layer
      }).addTo(map);
      return;
    }
    var group = L.featureGroup().addTo(map);
    shown[layer.layer] = group;
    var filter = "layer='" + layer.layer.replace(/'/g, "''") + "'";
    Site.request(config.zonesUrl + "?limit=5000&filter=" + encodeURIComponent(filter)).then(function (answer) {
      if (!answer.ok || shown[layer.layer] !== group) { return; }
      L.geoJSON(answer.data, {
        pane: "hazards",
        style: function (feature) {
          return { className: "zone zone--" + feature.properties.level, weight: 1, opacity: opacity, fillOpacity: opacity * 0.8 };
        },
        onEachFeature: function (feature, shape) {
          shape.bindTooltip(SiteMap.popup([{ title: title(layer) },
            { text: levelName(feature.properties.level) + " · " + number(feature.properties.value, feature.properties.units) }]));
          shape.on("click", function (event) { clickAt(event.latlng); });
        }
      }).addTo(group);
    });
  }

  function hide(layer) {
    if (shown[layer.layer]) { map.removeLayer(shown[layer.layer]); }
    delete shown[layer.layer];
  }

  function setOpacity(layer, opacity) {
    var shape = shown[layer.layer];
    if (!shape) { return; }
    if (shape.setOpacity) { shape.setOpacity(opacity); }
    else { shape.eachLayer(function (group) { group.setStyle({ opacity: opacity, fillOpacity: opacity * 0.8 }); }); }
  }

  /* --- the hazards at a point --------------------------------------------------------------- */

  var profileBox = document.getElementById("profile-result");

  var clickHooks = [];  // other panels (the scenario's epicentre) may take a click first

  function clickAt(latlng) {
    if (drawing && drawing.isActive()) { return; }
    for (var i = 0; i < clickHooks.length; i += 1) { if (clickHooks[i](latlng)) { return; } }
    profileAt(latlng);
  }

  function profileAt(latlng) {
    if (profileMarker) { map.removeLayer(profileMarker); }
    profileMarker = L.circleMarker(latlng, { radius: 8, className: "profile-marker", interactive: false }).addTo(map);
    document.getElementById("part-profile").open = true;
    Site.clear(profileBox).appendChild(Site.el("p", { text: gettext("Reading the layers…") }));
    var where = "?lat=" + latlng.lat.toFixed(6) + "&lon=" + latlng.lng.toFixed(6);
    Site.request(config.profileUrl + where).then(function (answer) {
      Site.clear(profileBox);
      if (!answer.ok) { profileBox.appendChild(Site.el("p", { class: "message message--error", role: "alert", text: failure(answer) })); return; }
      profileBox.appendChild(Site.el("p", { id: "profile-point", text: Site.format(gettext("At %(lat)s, %(lon)s"),
        { lat: answer.data.lat.toFixed(5), lon: answer.data.lon.toFixed(5) }) }));
      var body = Site.el("tbody");
      answer.data.layers.forEach(function (entry) {
        var value = entry.status !== "ok" ? gettext("no data here")
          : (entry.value === null ? gettext("not affected here") : number(entry.value, entry.units));
        body.appendChild(Site.el("tr", { dataset: { layer: entry.layer, level: entry.level || "none" } }, [
          Site.el("th", { scope: "row", text: title(entry) }),
          Site.el("td", { class: "number", text: value }),
          Site.el("td", {}, [swatch(entry.level || (entry.status === "ok" ? "none" : "no_data")),
            entry.status === "ok" ? levelName(entry.level || "none") : levelName("no_data")])
        ]));
      });
      profileBox.appendChild(Site.el("table", { class: "results-table", id: "profile-table" }, [
        Site.el("thead", {}, [Site.el("tr", {}, [Site.el("th", { scope: "col", text: gettext("Layer") }),
          Site.el("th", { scope: "col", class: "number", text: gettext("Value") }), Site.el("th", { scope: "col", text: gettext("Level") })])]),
        body
      ]));
      var high = answer.data.layers.filter(function (e) { return e.level === "high"; }).length;
      Site.announce(Site.format(ngettext("Hazard profile read: %(count)s layer at high level", "Hazard profile read: %(count)s layers at high level", high), { count: high }));
    });
  }

  map.on("click", function (event) { clickAt(event.latlng); });
  document.getElementById("profile-centre").addEventListener("click", function () { profileAt(map.getCenter()); });

  /* --- the area query: a district or a drawn polygon ----------------------------------------- */

  var areaMessage = document.getElementById("area-message");
  var areaResult = document.getElementById("area-result");
  var districtSelect = document.getElementById("area-district");
  var exposureSelect = document.getElementById("exposure-layer");
  var drawButtons = {
    start: document.getElementById("draw-start"), finish: document.getElementById("draw-finish"),
    centre: document.getElementById("draw-centre"), undo: document.getElementById("draw-undo"),
    cancel: document.getElementById("draw-cancel")
  };

  function drawingControls(on) {
    drawButtons.start.hidden = on;
    ["finish", "centre", "undo", "cancel"].forEach(function (name) { drawButtons[name].hidden = !on; });
    document.getElementById("draw-hint").hidden = !on;
  }

  drawButtons.start.addEventListener("click", function () {
    districtSelect.value = "";
    drawingControls(true);
    drawButtons.finish.disabled = true;
    drawing = MapDraw.start(map, "polygon", {
      onChange: function (count, ready) {
        drawButtons.finish.disabled = !ready;
        Site.announce(Site.format(ngettext("%(count)s corner", "%(count)s corners", count), { count: count }));
      },
      onFinish: function (polygon) {
        drawingControls(false);
        drawing = null;
        queryArea({ polygon: polygon });
        drawButtons.start.focus();
      }
    });
  });
  drawButtons.finish.addEventListener("click", function () { if (drawing) { drawing.finish(); } });
  drawButtons.centre.addEventListener("click", function () { if (drawing) { drawing.addAtCentre(); } });
  drawButtons.undo.addEventListener("click", function () { if (drawing) { drawing.undo(); } });
  drawButtons.cancel.addEventListener("click", function () {
    if (drawing) { drawing.cancel(); drawing = null; }
    drawingControls(false);
  });
  districtSelect.addEventListener("change", function () {
    if (drawing) { drawing.cancel(); drawing = null; drawingControls(false); }
    if (districtSelect.value) { queryArea({ district: districtSelect.value }); }
  });
  exposureSelect.addEventListener("change", function () { if (area) { showExposure(); } });

  function queryArea(chosen) {
    area = chosen;
    if (areaShape) { map.removeLayer(areaShape); areaShape = null; }
    areaMessage.className = "message";
    areaMessage.textContent = gettext("Querying the area…");
    Site.clear(areaResult);
    var request;
    if (chosen.district) {
      request = Site.request(config.areaUrl + "?district=" + encodeURIComponent(chosen.district));
      withDistricts(function (collection) {
        var feature = collection.features.filter(function (f) { return f.id === chosen.district; })[0];
        if (feature && area === chosen) {
          areaShape = L.geoJSON(feature, { style: function () { return { className: "draw-area", interactive: false }; } }).addTo(map);
          map.fitBounds(areaShape.getBounds(), { padding: [20, 20] });
        }
      });
    } else {
      areaShape = MapDraw.layerFor(chosen.polygon, "draw-area", { interactive: false }).addTo(map);
      request = Site.request(config.areaUrl, { method: "POST", body: chosen.polygon });
    }
    request.then(function (answer) {
      if (area !== chosen) { return; }
      if (!answer.ok) {
        areaMessage.className = "message message--error";
        areaMessage.textContent = failure(answer);
        return;
      }
      areaMessage.textContent = "";
      showArea(answer.data);
      showExposure();
    });
  }

  function showArea(data) {
    var heading = area.district
      ? Site.format(gettext("District %(code)s: %(area)s km²"), { code: area.district, area: number(data.area_km2) })
      : Site.format(gettext("Drawn area: %(area)s km²"), { area: number(data.area_km2) });
    areaResult.appendChild(Site.el("h3", { id: "area-heading", text: heading }));
    if (area.district) {
      areaResult.appendChild(Site.el("p", {}, [Site.el("a", { href: url(config.reportUrl, { district: area.district }), id: "district-report-link",
        text: gettext("Printable hazard and exposure report of this district") })]));
    }
    var body = Site.el("tbody");
    data.layers.filter(function (entry) { return entry.kind !== "site"; }).forEach(function (entry) {
      var bar = Site.el("span", { class: "share-bar", role: "img", "aria-label": LEVELS.map(function (level) {
        return levelName(level) + " " + Math.round((entry.level_shares[level] || 0) * 100) + "%";
      }).join(", ") });
      LEVELS.forEach(function (level) {
        var share = entry.level_shares[level] || 0;
        if (share <= 0) { return; }
        var part = Site.el("span", { class: "level--" + level });
        part.style.width = (share * 100).toFixed(1) + "%";
        bar.appendChild(part);
      });
      var worst = LEVELS.filter(function (level) { return (entry.level_shares[level] || 0) > 0; })[0];
      var stats = entry.statistics ? number(entry.statistics.mean, entry.units) + " / " + number(entry.statistics.max, entry.units) : "";
      body.appendChild(Site.el("tr", { dataset: { layer: entry.layer } }, [
        Site.el("th", { scope: "row", text: title(entry) }),
        Site.el("td", {}, [bar, Site.el("span", { class: "workspace-list__meta", text: worst ? Site.format(gettext("up to %(level)s"), { level: levelName(worst) }) : levelName("none") })]),
        Site.el("td", { class: "number", text: Math.round(entry.coverage * 100) + " %" }),
        Site.el("td", { class: "number", text: stats })
      ]));
    });
    areaResult.appendChild(Site.el("table", { class: "results-table", id: "area-table" }, [
      Site.el("thead", {}, [Site.el("tr", {}, [
        Site.el("th", { scope: "col", text: gettext("Layer") }), Site.el("th", { scope: "col", text: gettext("Share of the area by level") }),
        Site.el("th", { scope: "col", class: "number", text: gettext("With data") }),
        Site.el("th", { scope: "col", class: "number", text: gettext("Mean / max") })])]),
      body
    ]));
    areaResult.appendChild(Site.el("div", { id: "exposure-result" }));
  }

  function showExposure() {
    var box = document.getElementById("exposure-result");
    if (!box) { return; }
    var chosen = area;
    var slug = exposureSelect.value;
    Site.clear(box).appendChild(Site.el("p", { text: gettext("Counting what is exposed…") }));
    Site.request(config.exposureUrl + "?layer=" + encodeURIComponent(slug)).then(function (answer) {
      if (area !== chosen) { return; }
      Site.clear(box);
      if (!answer.ok) { box.appendChild(Site.el("p", { class: "message message--error", text: failure(answer) })); return; }
      var layer = answer.data;
      box.appendChild(Site.el("h3", { text: Site.format(gettext("Exposure to %(layer)s"), { layer: title(layer) }) }));
      var classes = LEVELS.concat(["none"]);
      var head = Site.el("tr", {}, [Site.el("th", { scope: "col", text: gettext("Features") })].concat(classes.map(function (level) {
        return Site.el("th", { scope: "col", class: "number" }, [swatch(level), levelName(level)]);
      })));
      var body = Site.el("tbody");
      var exposed = [];
      layer.collections.forEach(function (collection) {
        var counts = {};
        classes.forEach(function (level) { counts[level] = 0; });
        collection.districts.forEach(function (entry) {
          entry.features.forEach(function (feature) {
            var inside = chosen.district ? entry.district === chosen.district : MapDraw.contains(chosen.polygon, feature.geometry.coordinates);
            if (!inside) { return; }
            var level = feature.properties.level || "none";
            counts[level] = (counts[level] || 0) + 1;
            if (level === "high" || level === "medium") { exposed.push({ collection: title(collection), feature: feature, level: level }); }
          });
        });
        body.appendChild(Site.el("tr", { dataset: { collection: collection.collection } }, [Site.el("th", { scope: "row", text: title(collection) })]
          .concat(classes.map(function (level) { return Site.el("td", { class: "number", text: String(counts[level]) }); }))));
      });
      if (chosen.district) {
        var residents = layer.population.filter(function (row) { return row.district === chosen.district; })[0];
        if (residents) {
          body.appendChild(Site.el("tr", { dataset: { collection: "residents" } }, [Site.el("th", { scope: "row", text: gettext("Residents (area-weighted)") })]
            .concat(classes.map(function (level) { return Site.el("td", { class: "number", text: level === "none" ? "" : String(residents.exposed[level] || 0) }); }))));
        }
      }
      box.appendChild(Site.el("table", { class: "results-table", id: "exposure-table" }, [Site.el("thead", {}, [head]), body]));
      if (!chosen.district) {
        box.appendChild(Site.el("p", { class: "hint", text: gettext("Residents are counted for districts only.") }));
      }
      box.appendChild(Site.el("h4", { text: gettext("Features at medium or high level") }));
      var list = Site.el("ul", { class: "list-plain", id: "exposed-list" });
      exposed.sort(function (a, b) { return LEVELS.indexOf(a.level) - LEVELS.indexOf(b.level); });
      exposed.forEach(function (item) {
        var p = item.feature.properties;
        var name = Site.pick(p, "name") || (p.service_code ? p.service_code + " #" + item.feature.id : "#" + item.feature.id);
        list.appendChild(Site.el("li", {}, [swatch(item.level), name + " · " + item.collection + " · " + levelName(item.level)
          + (p.value !== null && p.value !== undefined ? " (" + number(p.value, layer.units) + ")" : "")]));
      });
      if (!exposed.length) { list.appendChild(Site.el("li", { text: gettext("None in this area.") })); }
      box.appendChild(list);
    });
  }

  /* --- districts' levels as a choropleth ---------------------------------------------------- */

  function withDistricts(callback) {
    if (districtShapes) { callback(districtShapes); return; }
    Site.request(config.districtsUrl).then(function (answer) {
      if (answer.ok) { districtShapes = answer.data; callback(districtShapes); }
    });
  }

  var kindSelect = document.getElementById("choropleth-kind");
  var choroplethLegend = document.getElementById("choropleth-legend");
  kindSelect.addEventListener("change", function () {
    var kind = kindSelect.value;
    if (choropleth) { map.removeLayer(choropleth); choropleth = null; }
    Site.clear(choroplethLegend);
    document.getElementById("choropleth-rule").textContent = "";
    if (!kind) { return; }
    Site.request(config.districtLevelsUrl + "?kind=" + encodeURIComponent(kind)).then(function (answer) {
      if (!answer.ok || kindSelect.value !== kind) { return; }
      var levels = {};
      answer.data.forEach(function (row) {
        var entry = row.kinds.filter(function (k) { return k.kind === kind; })[0];
        levels[row.district] = entry ? entry.level : null;
      });
      withDistricts(function (collection) {
        if (kindSelect.value !== kind) { return; }
        choropleth = L.geoJSON(collection, {
          pane: "districtLevels",
          style: function (feature) {
            return { className: "choropleth-district choropleth--" + (levels[feature.id] || "none"), weight: 1.5, fillOpacity: 0.7 };
          },
          onEachFeature: function (feature, shape) {
            shape.bindTooltip(SiteMap.popup([{ title: Site.pick(feature.properties, "name") },
              { text: (kindNames[kind] || kind) + ": " + levelName(levels[feature.id] || "none") }]));
            shape.on("click", function (event) { clickAt(event.latlng); });
          }
        }).addTo(map);
        LEVELS.concat(["none"]).forEach(function (level) {
          var districtsAt = Object.keys(levels).filter(function (code) { return (levels[code] || "none") === level; });
          choroplethLegend.appendChild(Site.el("li", { dataset: { level: level } }, [swatch(level),
            levelName(level) + (districtsAt.length ? ": " + districtsAt.join(", ") : "")]));
        });
        if (answer.data.length) { document.getElementById("choropleth-rule").textContent = answer.data[0].rule; }
        Site.announce(Site.format(gettext("District levels of %(kind)s drawn"), { kind: kindNames[kind] || kind }));
      });
    });
  });

  /* --- start ---------------------------------------------------------------------------------- */

  Site.request(config.layersUrl).then(function (answer) {
    var list = document.getElementById("layer-list");
    if (!answer.ok) { list.appendChild(Site.el("li", { class: "message message--error", text: failure(answer) })); return; }
    layers = answer.data;
    layers.forEach(function (layer) {
      list.appendChild(layerItem(layer));
      if (layer.kind !== "site") {  // site data (Vs30) has no levels to count exposure in
        exposureSelect.appendChild(Site.el("option", { value: layer.layer, text: title(layer) }));
      }
    });
    var flood = layers.filter(function (layer) { return layer.kind === "flood"; })[1] || layers[0];
    if (flood) { exposureSelect.value = flood.layer; }
  });

  window.plannerPage = {
    map: map, profileAt: profileAt, queryArea: queryArea, failure: failure, levelName: levelName, number: number,
    onMapClick: function (hook) { clickHooks.push(hook); },
    addLayer: function (layer) { layers.push(layer); var item = layerItem(layer); document.getElementById("layer-list").appendChild(item); return item; }
  };
})();
