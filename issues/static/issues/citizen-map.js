/* The citizen map at /: public reports, districts, heritage and service layers. */
(function () {
  "use strict";
  var container = document.getElementById("citizen-map");
  if (!container) { return; }
  window.citizenMap = SiteMap.create(container, { label: gettext("Map of reports") });
})();
