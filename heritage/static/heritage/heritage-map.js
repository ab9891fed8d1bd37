/* The heritage home's and a monument's map: the records of the page as markers (clustered), each popup with its
 * title linking to its page. The list beside the map says the same in text.
 * Page configuration: points [{title, url, lon, lat}]. */
(function () {
  "use strict";
  var Site = window.Site;
  var SiteMap = window.SiteMap;
  var L = window.L;
  var container = document.getElementById("heritage-map");
  var points = (Site.page && Site.page.points) || [];
  if (!container) { return; }
  var map = SiteMap.create(container, { label: gettext("Map of the heritage records") });
  window.heritageMap = map;
  var group = SiteMap.clusterGroup();
  points.forEach(function (point) {
    var rows = point.url ? [{ link: point.url, text: point.title }] : [{ title: point.title }];
    L.marker([point.lat, point.lon], { title: point.title, alt: point.title })
      .bindPopup(SiteMap.popup(rows)).addTo(group);
  });
  group.addTo(map);
  if (points.length === 1) {
    map.setView([points[0].lat, points[0].lon], 16);
  } else if (points.length > 1) {
    map.fitBounds(L.latLngBounds(points.map(function (p) { return [p.lat, p.lon]; })).pad(0.2), { maxZoom: 16 });
  }
}());
