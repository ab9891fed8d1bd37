/* The citizen map at /: the public reports of the last 90 days (Open311, clustered at low zoom), the
 * districts, heritage sites and service points, with a layer switcher; a tap (or Enter on the focused
 * map, for its centre) places the report's pin, which can be dragged. Popups are built from text. */
(function () {
  "use strict";
  var Site = window.Site;
  var SiteMap = window.SiteMap;
  var L = window.L;
  var container = document.getElementById("citizen-map");
  if (!container) { return; }
  var urls = Site.page.urls;
  var statusLabels = Site.page.statusLabels;
  var OPEN = ["new", "acknowledged", "in_progress", "reopened"];

  var map = window.citizenMap = SiteMap.create(container, {
    label: gettext("Map of reports. Tap, or press Enter, to place your report at the centre.")
  });

  function issueUrl(id) { return urls.issuePage.replace("/0/", "/" + encodeURIComponent(id) + "/"); }

  // --- reports ---
  var reports = SiteMap.clusterGroup();
  function reportMarker(report) {
    var status = report.extended_attributes ? report.extended_attributes.internal_status : report.status;
    var open = OPEN.indexOf(status) !== -1 || status === "open";
    var marker = L.marker([report.lat, report.long], {
      icon: L.divIcon({ className: "report-marker report-marker--" + (open ? "open" : "closed"), iconSize: [18, 18] }),
      title: report.service_name,
      alt: report.service_name
    });
    marker.bindPopup(function () {
      return SiteMap.popup([
        { title: report.service_name },
        { text: [statusLabels[status] || status, Site.formatDate(report.requested_datetime)].join(" · ") },
        report.description ? { text: report.description.slice(0, 300), class: "user-text" } : null,
        { link: issueUrl(report.service_request_id), text: Site.format(gettext("See report %(id)s"), { id: report.service_request_id }) }
      ]);
    });
    return marker;
  }
  Site.request(urls.issues + "?extensions=true&page_size=1000&lang=" + Site.lang).then(function (answer) {
    if (!answer.ok) { return; }
    answer.data.forEach(function (report) { reports.addLayer(reportMarker(report)); });
    container.dataset.reports = String(answer.data.length);
  });
  reports.addTo(map);

  // --- districts ---
  var districts = L.geoJSON(null, {
    style: function () { return { className: "district-area", weight: 2 }; },
    onEachFeature: function (feature, layer) {
      layer.bindTooltip(document.createTextNode(Site.pick(feature.properties, "name")), { sticky: true, className: "district-label" });
    }
  });
  Site.request(urls.districts).then(function (answer) { if (answer.ok) { districts.addData(answer.data); } });
  districts.addTo(map);

  // --- heritage sites and service points (OGC API items) ---
  function pointLayer(kind, rows) {
    return L.geoJSON(null, {
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, { radius: 6, className: "poi poi--" + kind });
      },
      onEachFeature: function (feature, layer) {
        layer.bindPopup(function () { return SiteMap.popup(rows(feature.properties)); });
      }
    });
  }
  var heritage = pointLayer("heritage", function (site) {
    return [
      { title: Site.pick(site, "name") },
      site.period ? { text: site.period } : null,
      site.unesco_component ? { text: gettext("Part of the UNESCO World Heritage site") } : null,
      Site.lang === "en" && site.description_en ? { text: site.description_en } : null
    ];
  });
  var services = pointLayer("service", function (point) {
    return [
      { title: Site.pick(point, "name") },
      point.address ? { text: point.address } : null,
      point.opening_hours ? { text: Site.format(gettext("Opening hours: %(hours)s"), { hours: point.opening_hours }) } : null
    ];
  });
  Site.request(urls.heritage + "?limit=1000").then(function (answer) { if (answer.ok) { heritage.addData(answer.data); } });
  Site.request(urls.servicePoints + "?limit=1000").then(function (answer) { if (answer.ok) { services.addData(answer.data); } });

  SiteMap.layerSwitcher(map, [
    { name: gettext("Reports"), layer: reports, swatch: "reports" },
    { name: gettext("Districts"), layer: districts, swatch: "districts" },
    { name: gettext("Heritage sites"), layer: heritage, swatch: "heritage" },
    { name: gettext("Service points"), layer: services, swatch: "service" }
  ]);

  // --- the report's pin ---
  var form = window.ReportForm;
  if (!form) { return; }
  var pin = null;
  function placePin(lat, lon) {
    if (lat === null) {
      if (pin) { map.removeLayer(pin); pin = null; }
      return;
    }
    if (!pin) {
      pin = L.marker([lat, lon], { draggable: true, title: gettext("Your report"), alt: gettext("Your report"), zIndexOffset: 1000 });
      pin.on("dragend", function () {
        var at = pin.getLatLng();
        form.setLocation(at.lat, at.lng, { source: "map" });
      });
      pin.addTo(map);
    } else {
      pin.setLatLng([lat, lon]);
    }
    if (!map.getBounds().contains([lat, lon])) { map.setView([lat, lon], Math.max(map.getZoom(), 16)); }
  }
  form.onLocation(placePin);
  map.on("click", function (event) { form.setLocation(event.latlng.lat, event.latlng.lng, { source: "map" }); });
  container.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target === container) {
      var centre = map.getCenter();
      form.setLocation(centre.lat, centre.lng, { source: "map" });
    }
  });
  form.onReported(function (report) {
    if (pin) { map.removeLayer(pin); pin = null; }
    var category = Site.page.categories.filter(function (c) { return c.service_code === report.serviceCode; })[0];
    reports.addLayer(reportMarker({
      service_request_id: report.id, lat: report.lat, long: report.lon, status: "new",
      service_name: category ? Site.pick(category, "name") : report.serviceCode,
      requested_datetime: new Date().toISOString(), description: ""
    }));
  });
})();
