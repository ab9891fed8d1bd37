/* A project's page: its place on a map, coloured by its status. Page configuration: place (GeoJSON), status. */
(function () {
  "use strict";
  var Site = window.Site;
  var L = window.L;
  var container = document.getElementById("project-map");
  if (!container || !Site.page.place) { return; }
  var map = window.SiteMap.create(container, { label: gettext("Map of the project") });
  window.projectMap = map;
  var className = "implementation-shape implementation--" + Site.page.status;
  var shape = L.geoJSON(Site.page.place, {
    style: function () { return { className: className }; },
    pointToLayer: function (feature, latlng) { return L.circleMarker(latlng, { radius: 9, className: className }); }
  }).addTo(map);
  map.fitBounds(shape.getBounds().pad(0.3), { maxZoom: 17 });
})();
