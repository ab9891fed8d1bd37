/* The planner map's earthquake scenario panel: place the epicentre (a click on the map, or longitude and latitude),
 * set the magnitude and the fault, run; the shaking layer shows on the map with its legend, with the district
 * table (shaking and expected damage, with the band of the model's spread) and the exposure ranked by shaking.
 * Saved scenarios open again or are deleted. Reads and writes /api/hazards/scenarios. */
(function () {
  "use strict";
  var Site = window.Site;
  var L = window.L;
  var config = Site.page;
  var planner = window.plannerPage;
  var form = document.getElementById("scenario-form");
  if (!form || !planner || !config.scenariosUrl) { return; }

  var map = planner.map;
  var message = document.getElementById("scenario-message");
  var result = document.getElementById("scenario-result");
  var list = document.getElementById("scenario-list");
  var placeButton = document.getElementById("scenario-place");
  var placing = false;
  var epicentre = null;
  var shaking = null;  // the scenario's MMI tiles on the map
  var pollTimer = null;
  var STATES = ["slight", "moderate", "extensive", "complete"];

  function field(id) { return document.getElementById(id); }
  function say(text, error) {
    message.textContent = text;
    message.className = "message" + (error ? " message--error" : "");
    if (error) { message.setAttribute("role", "alert"); } else { message.setAttribute("role", "status"); }
  }
  function percent(share) { return Math.round(share * 1000) / 10 + " %"; }
  function fixed(value, digits) { return value === null || value === undefined ? "–" : Number(value).toFixed(digits); }

  function setEpicentre(lat, lon) {
    field("scenario-lat").value = lat.toFixed(3);
    field("scenario-lon").value = lon.toFixed(3);
    if (epicentre) { map.removeLayer(epicentre); }
    epicentre = L.circleMarker([lat, lon], { radius: 9, className: "scenario-epicentre", interactive: false }).addTo(map);
  }

  function fill(inputs) {
    field("scenario-magnitude").value = inputs.magnitude;
    field("scenario-depth").value = inputs.depth_km;
    field("scenario-mechanism").value = inputs.mechanism;
    field("scenario-rupture").value = inputs.rupture;
    field("scenario-strike").value = inputs.strike;
    field("scenario-dip").value = inputs.dip;
    field("scenario-model").value = inputs.model;
    field("scenario-sigma").value = String(inputs.n_sigma);
    setEpicentre(inputs.lat, inputs.lon);
  }

  field("scenario-preset").addEventListener("change", function () {
    var preset = config.scenarioPresets[this.value];
    if (preset) { fill(preset); map.setView([preset.lat, preset.lon], 10); }
  });

  placeButton.addEventListener("click", function () {
    placing = !placing;
    placeButton.setAttribute("aria-pressed", placing ? "true" : "false");
    say(placing ? gettext("Click the map where the earthquake starts.") : "");
  });
  planner.onMapClick(function (latlng) {
    if (!placing) { return false; }
    placing = false;
    placeButton.setAttribute("aria-pressed", "false");
    field("scenario-preset").value = "";
    setEpicentre(latlng.lat, latlng.lng);
    say(Site.format(gettext("Epicentre placed at %(lat)s, %(lon)s."), { lat: latlng.lat.toFixed(3), lon: latlng.lng.toFixed(3) }));
    return true;
  });

  function body() {
    var data = { rupture: field("scenario-rupture").value, mechanism: field("scenario-mechanism").value,
                 model: field("scenario-model").value, n_sigma: Number(field("scenario-sigma").value) };
    ["magnitude", "lon", "lat", "depth", "strike", "dip"].forEach(function (name) {
      var value = field("scenario-" + name).value;
      if (value !== "") { data[name === "depth" ? "depth_km" : name] = Number(value); }
    });
    var preset = field("scenario-preset").value;
    if (preset) { data.preset = preset; }
    return data;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!field("scenario-lon").value || !field("scenario-lat").value) {
      say(gettext("Place the epicentre first: on the map, or type its longitude and latitude."), true);
      return;
    }
    field("scenario-run").disabled = true;
    say(gettext("Computing the scenario…"));
    Site.request(config.scenariosUrl, { method: "POST", body: body() }).then(function (answer) {
      field("scenario-run").disabled = false;
      if (answer.status === 202) { say(gettext("Still computing; the results appear here when they are ready.")); poll(answer.data.poll); return; }
      if (!answer.ok) { say(planner.failure(answer), true); return; }
      say(gettext("Scenario ready."));
      render(answer.data);
      refreshList();
    });
  });

  function poll(url) {
    window.clearTimeout(pollTimer);
    pollTimer = window.setTimeout(function () {
      Site.request(url).then(function (answer) {
        if (!answer.ok) { say(planner.failure(answer), true); return; }
        if (answer.data.status === "running") { poll(url); return; }
        if (answer.data.status === "failed") { say(answer.data.error || gettext("The scenario failed."), true); return; }
        say(gettext("Scenario ready."));
        render(answer.data);
        refreshList();
      });
    }, 1000);
  }

  function showShaking(slug) {
    if (shaking) { map.removeLayer(shaking); }
    shaking = L.tileLayer(config.tileUrl.replace("{layer}", encodeURIComponent(slug)), {
      pane: "hazards", opacity: 0.7, maxZoom: 19, className: "hazard-tiles hazard-tiles--" + slug
    }).addTo(map);
  }

  function legendFor(slug, box) {
    Site.request(config.legendUrl.replace("{layer}", encodeURIComponent(slug))).then(function (answer) {
      if (!answer.ok) { return; }
      box.appendChild(Site.el("li", { text: answer.data.units }));
      window.SiteChoropleth.levelLegend(box, answer.data, planner.levelName);
    });
  }

  function atLeastModerate(buildings, which) {
    var counts = which ? buildings.band[which] : buildings.expected;
    return (counts.moderate || 0) + (counts.extensive || 0) + (counts.complete || 0);
  }

  function districtTable(districts) {
    var rows = districts.map(function (d) {
      var b = d.buildings;
      return Site.el("tr", { dataset: { district: d.district } }, [
        Site.el("th", { scope: "row", text: Site.pick(d, "name") }),
        Site.el("td", { class: "number", text: d.pga_g ? fixed(d.pga_g.mean, 3) : "–" }),
        Site.el("td", { class: "number", text: d.mmi ? fixed(d.mmi.mean, 1) : "–" }),
        Site.el("td", { class: "number", text: b ? String(atLeastModerate(b)) + " / " + b.total : "–" }),
        Site.el("td", { class: "number", text: b ? atLeastModerate(b, "p16") + " – " + atLeastModerate(b, "p84") : "–" }),
        Site.el("td", { class: "number", text: b ? String((b.expected.extensive || 0) + (b.expected.complete || 0)) : "–" })
      ]);
    });
    return Site.el("table", { class: "results-table", id: "scenario-districts" }, [
      Site.el("caption", { text: gettext("Districts: shaking and expected damage (relative, uncalibrated)") }),
      Site.el("thead", {}, [Site.el("tr", {}, [
        Site.el("th", { scope: "col", text: gettext("District") }),
        Site.el("th", { scope: "col", class: "number", text: gettext("PGA (g)") }),
        Site.el("th", { scope: "col", class: "number", text: gettext("MMI") }),
        Site.el("th", { scope: "col", class: "number", text: gettext("Buildings with at least moderate damage") }),
        Site.el("th", { scope: "col", class: "number", text: gettext("Band (16th–84th percentile)") }),
        Site.el("th", { scope: "col", class: "number", text: gettext("Extensive or complete") })
      ])]),
      Site.el("tbody", {}, rows)
    ]);
  }

  function exposureLists(exposure) {
    var box = Site.el("div", { id: "scenario-exposure" });
    exposure.forEach(function (collection) {
      if (!collection.features.length) { return; }
      box.appendChild(Site.el("h4", { text: Site.pick(collection, "title") }));
      var items = collection.features.slice(0, 10).map(function (f) {
        var text = (Site.pick(f, "name") || ("#" + f.id)) + " · " + fixed(f.pga_g, 3) + " g · MMI " + fixed(f.mmi, 1);
        if (f.p_at_least_moderate !== null) {
          text += " · " + Site.format(gettext("at least moderate damage: %(p)s"), { p: percent(f.p_at_least_moderate) });
        }
        return Site.el("li", { dataset: { id: String(f.id) }, text: text });
      });
      box.appendChild(Site.el("ol", { class: "ranked-list", dataset: { collection: collection.collection } }, items));
    });
    return box;
  }

  function render(scenario) {
    Site.clear(result);
    if (scenario.status !== "done") { return; }
    showShaking(scenario.layers.mmi);
    var legend = Site.el("ul", { class: "legend", id: "scenario-legend" });
    legendFor(scenario.layers.mmi, legend);
    result.appendChild(Site.el("h3", { id: "scenario-title", text: scenario.name }));
    result.appendChild(Site.el("p", { class: "provenance", text: scenario.results.label + " " + scenario.model + "; " + scenario.results.site }));
    result.appendChild(legend);
    result.appendChild(districtTable(scenario.results.districts));
    if (scenario.comparison && scenario.observed) {
      result.appendChild(Site.el("p", { id: "scenario-observed", text: Site.format(
        gettext("1978, observed: %(red)s red, %(yellow)s yellow, %(green)s green. This replay: %(rl)s extensive or complete, %(yl)s moderate, %(gl)s none or slight."),
        { red: percent(scenario.observed.red), yellow: percent(scenario.observed.yellow), green: percent(scenario.observed.green),
          rl: percent(scenario.comparison.red_like), yl: percent(scenario.comparison.yellow_like), gl: percent(scenario.comparison.green_like) }) }));
    }
    if (scenario.exposure) { result.appendChild(exposureLists(scenario.exposure)); }
    Site.announce(Site.format(gettext("Scenario %(name)s drawn"), { name: scenario.name }));
  }

  function refreshList() {
    Site.request(config.scenariosUrl).then(function (answer) {
      Site.clear(list);
      if (!answer.ok) { list.appendChild(Site.el("li", { class: "message message--error", text: planner.failure(answer) })); return; }
      if (!answer.data.scenarios.length) { list.appendChild(Site.el("li", { text: gettext("No saved scenarios yet.") })); return; }
      answer.data.scenarios.forEach(function (s) {
        var open = Site.el("button", { type: "button", class: "button button--secondary button--small", text: gettext("Open") });
        var remove = Site.el("button", { type: "button", class: "button button--secondary button--small", text: gettext("Delete") });
        open.addEventListener("click", function () {
          Site.request(s.url).then(function (detail) {
            if (!detail.ok) { say(planner.failure(detail), true); return; }
            fill(detail.data.inputs);
            render(detail.data);
          });
        });
        remove.addEventListener("click", function () {
          Site.request(s.url, { method: "DELETE" }).then(function (done) {
            if (!done.ok) { say(planner.failure(done), true); return; }
            if (shaking && s.layers.mmi && shaking.options.className.indexOf(s.layers.mmi) !== -1) {
              map.removeLayer(shaking); shaking = null; Site.clear(result);
            }
            say(Site.format(gettext("Scenario %(name)s deleted."), { name: s.name }));
            refreshList();
          });
        });
        list.appendChild(Site.el("li", { dataset: { scenario: String(s.id) } }, [
          Site.el("span", { text: s.name + " · " + s.status + " · " + (s.created_by || "") }), " ", open, " ", remove]));
      });
    });
  }

  refreshList();
})();
