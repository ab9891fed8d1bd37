/* A walking route's map: its line and its numbered stops; a stop's popup links to its place in the list below,
 * which says the same in text (the stops in order, with their story and audio).
 * Page configuration: line [[lat, lon], ...], stops [{position, title, url, lon, lat}]. */
(function () {
  "use strict";
  var Site = window.Site;
  var SiteMap = window.SiteMap;
  var L = window.L;
  var container = document.getElementById("route-map");
  var page = Site.page || {};
  if (!container || !page.line) { return; }
  var map = SiteMap.create(container, { label: gettext("Map of the route and its stops") });
  window.routeMap = map;
  var line = L.polyline(page.line, { className: "route-line", weight: 5 }).addTo(map);
  page.stops.forEach(function (stop) {
    var icon = L.divIcon({ className: "route-stop-marker", html: "", iconSize: [28, 28] });
    var marker = L.marker([stop.lat, stop.lon], { icon: icon, title: stop.position + ". " + stop.title,
                                                 alt: stop.title }).addTo(map);
    marker.getElement().textContent = String(stop.position);
    marker.bindPopup(SiteMap.popup([{ title: stop.position + ". " + stop.title },
                                    { link: "#stop-" + stop.position, text: gettext("Read about this stop") }]));
  });
  map.fitBounds(line.getBounds().pad(0.2), { maxZoom: 17 });
}());
