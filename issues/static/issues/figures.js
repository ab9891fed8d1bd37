/* The KPI dashboard: the scope form (period, department, district, category) drives the key figures, four
 * charts (Charts), the district choropleth, the CSV download and the printable map's link. Reads
 * /api/stats/kpis and /api/stats/districts with the session. */
(function () {
  "use strict";
  var Site = window.Site;
  var L = window.L;
  var config = Site.page;
  var form = document.getElementById("figures-scope");
  if (!form || !config.kpisUrl) { return; }

  var message = document.getElementById("figures-message");
  var cards = document.getElementById("kpi-cards");
  var metricSelect = document.getElementById("choropleth-metric");
  var legend = document.getElementById("figures-legend");
  var metricNames = {};
  config.metrics.forEach(function (m) { metricNames[m.value] = m.label; });
  var BACKLOG = {
    under_7_days: gettext("under 7 days"), "7_to_30_days": gettext("7 to 30 days"),
    "30_to_90_days": gettext("30 to 90 days"), over_90_days: gettext("over 90 days")
  };
  var CLASSES = 5;

  var map = SiteMap.create(document.getElementById("figures-map"), { label: gettext("Districts coloured by the chosen figure") });
  var districtLayer = null;
  var districts = null;

  function percent(value) { return value === null || value === undefined ? "–" : Math.round(value * 100) + " %"; }
  function days(value) { return value === null || value === undefined ? "–" : (Math.round(value * 10) / 10).toLocaleString(Site.lang === "en" ? "en-GB" : "el-GR"); }
  function count(value) { return value === null || value === undefined ? "–" : Number(value).toLocaleString(Site.lang === "en" ? "en-GB" : "el-GR"); }

  function scope() {
    var data = new FormData(form);
    var params = new URLSearchParams();
    var from = String(data.get("from") || "");
    var to = String(data.get("to") || "");
    if (from) { params.set("from", from); }
    if (to) {  // the form's "until" is inclusive: the API's "to" is the next day
      var next = new Date(to + "T00:00:00Z");
      next.setUTCDate(next.getUTCDate() + 1);
      params.set("to", next.toISOString().slice(0, 10));
    }
    ["department", "district", "category"].forEach(function (name) {
      var value = String(data.get(name) || "");
      if (value) { params.set(name, value); }
    });
    return params;
  }

  function refresh() {
    var params = scope();
    message.className = "message";
    message.textContent = gettext("Counting…");
    var csv = new URLSearchParams(params);
    csv.set("format", "csv");
    document.getElementById("csv-download").href = config.kpisUrl + "?" + csv.toString();
    updatePrintableLink();
    return Promise.all([
      Site.request(config.kpisUrl + "?" + params.toString()),
      Site.request(config.districtsUrl + "?" + params.toString())
    ]).then(function (answers) {
      var failed = answers.filter(function (a) { return !a.ok; })[0];
      if (failed) {
        message.className = "message message--error";
        message.textContent = Site.format(gettext("The figures could not be read (%(status)s): %(detail)s"),
          { status: failed.status, detail: (failed.data && failed.data.detail) || "" });
        return;
      }
      message.textContent = "";
      var kpis = answers[0].data;
      districts = answers[1].data;
      showCards(kpis);
      showCharts(kpis, districts);
      showChoropleth();
      Site.announce(Site.format(gettext("Figures for %(count)s reports"), { count: kpis.posted }));
    });
  }

  function updatePrintableLink() {
    var params = scope();
    params.set("metric", metricSelect.value);
    document.getElementById("printable-map").href = config.mapUrl + "?" + params.toString();
  }

  function showCards(k) {
    var backlog = Object.keys(k.backlog_by_age).reduce(function (sum, key) { return sum + k.backlog_by_age[key]; }, 0);
    var entries = [
      [count(k.posted), gettext("reports posted")],
      [count(k.solved), gettext("solved")],
      [percent(k.share_solved), gettext("share solved")],
      [days(k.median_days_to_resolve), gettext("median days to resolve")],
      [days(k.mean_days_to_resolve), gettext("mean days to resolve")],
      [count(backlog), gettext("open now")],
      [percent(k.reopen_rate), gettext("reopened")],
      [count(k.comments), gettext("comments")],
      [count(k.supports), gettext("supports (\"me too\")")],
      [count(k.new_registered_users), gettext("new registered citizens")]
    ];
    Site.clear(cards);
    entries.forEach(function (entry) {
      cards.appendChild(Site.el("li", { class: "card" }, [
        Site.el("span", { class: "card__value", text: entry[0] }), Site.el("span", { class: "card__label", text: entry[1] })
      ]));
    });
  }

  function body(id) { return document.querySelector("#" + id + " .chart__body"); }

  function showCharts(k, collection) {
    var months = k.per_month.map(function (m) { return m.month; });
    Charts.bars(body("chart-per-month"), {
      label: gettext("Reports posted and solved per month"), categories: months, categoryName: gettext("Month"),
      series: [
        { name: gettext("posted"), values: k.per_month.map(function (m) { return m.posted; }), className: "posted" },
        { name: gettext("solved"), values: k.per_month.map(function (m) { return m.solved; }), className: "solved" }
      ],
      format: function (v) { return String(Math.round(v)); }
    });
    Charts.line(body("chart-share-solved"), {
      label: gettext("Share solved per month"), categories: months, categoryName: gettext("Month"), valueName: gettext("share solved"),
      values: k.per_month.map(function (m) { return m.posted ? m.solved / m.posted : null; }), max: 1, className: "share",
      format: percent
    });
    var features = collection.features;
    Charts.hbars(body("chart-days-to-resolve"), {
      label: gettext("Median days to resolve, by district"), categoryName: gettext("District"), valueName: gettext("median days"),
      categories: features.map(function (f) { return f.properties.code; }),
      values: features.map(function (f) { return f.properties.median_days_to_resolve === null ? null : Number(f.properties.median_days_to_resolve); }),
      className: "days", format: days
    });
    var buckets = Object.keys(BACKLOG);
    Charts.bars(body("chart-backlog"), {
      label: gettext("Open reports by age"), categories: buckets.map(function (b) { return BACKLOG[b]; }), categoryName: gettext("Age"),
      series: [{ name: gettext("open reports"), values: buckets.map(function (b) { return k.backlog_by_age[b]; }), className: "backlog" }],
      format: function (v) { return String(Math.round(v)); }
    });
  }

  /* Equal steps from the lowest to the highest district, as the printable map (issues/pages/figures.py). */
  function shown(metric, value) {
    if (value === null || value === undefined) { return "–"; }
    if (metric === "share_solved") { return percent(value); }
    if (metric === "median_days_to_resolve") { return days(value); }
    return count(value);
  }

  function showChoropleth() {
    if (!districts) { return; }
    var metric = metricSelect.value;
    var result = window.SiteChoropleth.classifyFeatures(districts.features, function (f) {
      var v = f.properties[metric];
      return v === null || v === undefined ? null : Number(v);
    }, CLASSES);
    if (districtLayer) { map.removeLayer(districtLayer); }
    districtLayer = L.geoJSON(districts, {
      style: function (feature) { return { className: "figures-district figures-district--" + result.classOf(feature), weight: 1.5 }; },
      onEachFeature: function (feature, layer) {
        layer.bindTooltip(SiteMap.popup([{ title: Site.pick(feature.properties, "name") },
          { text: metricNames[metric] + ": " + shown(metric, feature.properties[metric]) }]));
      }
    }).addTo(map);
    map.fitBounds(districtLayer.getBounds(), { padding: [10, 10] });
    Site.clear(legend);
    legend.appendChild(Site.el("li", {}, [Site.el("strong", { text: metricNames[metric] })]));
    if (!result.ranges.length) {
      legend.appendChild(Site.el("li", {}, [Site.el("span", { class: "swatch class-none" }), gettext("No figure in any district")]));
    }
    window.SiteChoropleth.rangeLegend(legend, result.ranges, function (value) { return shown(metric, value); });
    updatePrintableLink();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!form.reportValidity()) { return; }
    refresh();
  });
  metricSelect.addEventListener("change", showChoropleth);

  window.figuresPage = { map: map, refresh: refresh };
  refresh();
})();
