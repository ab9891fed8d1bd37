/* The results page: the selected projects on a map (GeoJSON of the OGC API's participation-projects collection,
 * this process only), and the districts coloured by participants per 1,000 residents, the same numbers as a table. */
(function () {
  "use strict";
  var Site = window.Site;
  var L = window.L;
  var page = Site.page;
  function $(id) { return document.getElementById(id); }

  if ($("results-map")) {
    var map = window.SiteMap.create($("results-map"), { label: gettext("Map of the selected projects") });
    window.resultsMap = map;
    var query = "?process=" + encodeURIComponent(page.process) + "&limit=1000";
    Site.request(page.urls.projects + query).then(function (answer) {
      if (!answer.ok) { return; }
      var layer = L.geoJSON(answer.data, {
        style: function () { return { className: "project-shape" }; },
        pointToLayer: function (feature, latlng) { return L.circleMarker(latlng, { radius: 8, className: "project-shape" }); },
        onEachFeature: function (feature, shape) {
          var p = feature.properties;
          shape.bindPopup(window.SiteMap.popup([{ title: Site.pick(p, "title") },
            { text: Site.format(ngettext("%(count)s vote", "%(count)s votes", p.votes || 0), { count: p.votes || 0 }) }]));
        }
      }).addTo(map);
      $("results-map").dataset.projects = String(layer.getLayers().length);
      if (layer.getLayers().length) { map.fitBounds(layer.getBounds().pad(0.2), { maxZoom: 16 }); }
    });
  }

  if (!$("participation-map")) { return; }
  var choropleth = window.SiteMap.create($("participation-map"), { label: gettext("Districts coloured by participants per 1,000 residents") });
  window.participationMap = choropleth;
  /* Districts with their residents (OGC API) joined with the participants per district (/api/participation/figures). */
  Promise.all([Site.request(page.urls.districts), Site.request(page.urls.figures)]).then(function (answers) {
    if (!answers[0].ok || !answers[1].ok) { return; }
    var participants = {};
    answers[1].data.rows.forEach(function (row) { participants[row.key] = row.participants; });
    var answer = answers[0];
    var features = answer.data.features || [];
    features.forEach(function (feature) {
      var p = feature.properties;
      p.code = p.code || feature.id;
      p.participants = participants[p.code] || 0;
      p.per_thousand = p.population ? Math.round(p.participants * 100000 / p.population) / 100 : null;
    });
    var result = window.SiteChoropleth.classifyFeatures(features, function (f) { return f.properties.per_thousand; });
    var layer = L.geoJSON(answer.data, {
      style: function (feature) { return { className: "choropleth class-" + result.classOf(feature), weight: 1 }; },
      onEachFeature: function (feature, shape) {
        var p = feature.properties;
        shape.bindTooltip(document.createTextNode(Site.pick(p, "name") + ": " + format(p.per_thousand)));
      }
    }).addTo(choropleth);
    if (layer.getLayers().length) { choropleth.fitBounds(layer.getBounds()); }
    var body = document.querySelector("#participation-table tbody");
    features.forEach(function (feature) {
      var p = feature.properties;
      body.appendChild(Site.el("tr", { "data-district": p.code }, [
        Site.el("th", { scope: "row", text: Site.pick(p, "name") }), Site.el("td", { text: String(p.participants) }),
        Site.el("td", { text: p.population === null || p.population === undefined ? "–" : String(p.population) }),
        Site.el("td", { text: format(p.per_thousand) })]));
    });
    if (result.ranges.length > 1) {
      window.SiteChoropleth.rangeLegend($("participation-legend"), result.ranges, format, "legend-swatch choropleth-swatch");
    }
  });

  function format(value) {
    if (value === null || value === undefined) { return "–"; }
    return Number(value).toLocaleString(Site.lang === "en" ? "en-GB" : "el-GR", { maximumFractionDigits: 2 });
  }
})();
