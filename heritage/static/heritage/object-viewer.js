/* Deep zoom of a heritage object's IIIF images (OpenSeadragon, level-0 tiles from this server), with keyboard
   controls: the toolbar's buttons, and on the focused image the arrow keys, + / - and 0. The figure's caption is the
   text alternative, always present; the first image stays when the viewer cannot start. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("page-config").textContent);
  var element = document.getElementById("deep-zoom");
  if (!element || !window.OpenSeadragon || !config.tileSources.length) return;

  var viewer = OpenSeadragon({
    element: element,
    tileSources: config.tileSources,
    sequenceMode: config.tileSources.length > 1,
    showNavigationControl: false,
    showSequenceControl: false,
    drawer: "canvas",
    crossOriginPolicy: "Anonymous",
    visibilityRatio: 0.8,
    gestureSettingsMouse: {clickToZoom: false},
  });
  viewer.addHandler("open", function () {
    element.classList.add("deep-zoom__view--ready");
    var fallback = element.querySelector(".deep-zoom__fallback");
    if (fallback) fallback.remove();
  });

  var toolbar = document.querySelector(".deep-zoom__controls");
  toolbar.hidden = false;
  document.getElementById("deep-zoom-keys").hidden = false;
  element.setAttribute("aria-describedby", "deep-zoom-keys");

  function zoom(action) {
    var viewport = viewer.viewport;
    if (action === "in") viewport.zoomBy(1.5);
    else if (action === "out") viewport.zoomBy(1 / 1.5);
    else if (action === "home") viewport.goHome();
    else if (action === "full") viewer.setFullScreen(!viewer.isFullPage());
    viewport.applyConstraints();
  }
  toolbar.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    if (button.dataset.zoom) zoom(button.dataset.zoom);
    if (button.dataset.page) {
      var count = config.tileSources.length;
      var page = (viewer.currentPage() + (button.dataset.page === "next" ? 1 : count - 1)) % count;
      viewer.goToPage(page);
    }
  });
})();
