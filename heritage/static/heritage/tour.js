/* A virtual tour: Pannellum shows the scenes' equirectangular panoramas; a hotspot to another scene moves there, a
 * hotspot to an object opens its page. The list of scenes (the text alternative) and the small map move the viewer
 * too, and the scene shown is said in #tour-current (a polite live region) and marked in the list.
 * Page configuration: scenes [{slug, title, panorama, attribution, yaw, pitch, lon, lat,
 * hotspots [{yaw, pitch, text, scene | url}]}]. */
(function () {
  "use strict";
  var Site = window.Site;
  var SiteMap = window.SiteMap;
  var L = window.L;
  var scenes = (Site.page && Site.page.scenes) || [];
  var container = document.getElementById("tour-viewer");
  if (!container || !scenes.length || !window.pannellum) { return; }
  var current = document.getElementById("tour-current");

  var config = { default: { firstScene: scenes[0].slug, autoLoad: true, sceneFadeDuration: 600, compass: false,
                            keyboardZoom: true, showFullscreenCtrl: true }, scenes: {} };
  var hash = window.location.hash.replace(/^#scene-/, "");
  scenes.forEach(function (scene) {
    if (scene.slug === hash) { config.default.firstScene = hash; }
    config.scenes[scene.slug] = {
      title: scene.title, type: "equirectangular", panorama: scene.panorama, yaw: scene.yaw, pitch: scene.pitch,
      hfov: 100,
      hotSpots: scene.hotspots.map(function (spot) {
        return spot.scene
          ? { yaw: spot.yaw, pitch: spot.pitch, type: "scene", sceneId: spot.scene, text: spot.text,
              cssClass: "tour-hotspot tour-hotspot--scene" }
          : { yaw: spot.yaw, pitch: spot.pitch, type: "info", text: spot.text, URL: spot.url,
              cssClass: "tour-hotspot tour-hotspot--object" };
      })
    };
  });
  // Pannellum fades between scenes through a copy of the last view in an <img> without alt text: decorative.
  new MutationObserver(function () {
    Array.prototype.forEach.call(container.querySelectorAll("img:not([alt])"), function (img) {
      img.setAttribute("alt", "");
    });
  }).observe(container, { childList: true, subtree: true });
  var viewer = window.pannellum.viewer(container, config);
  window.tourViewer = viewer;

  var byslug = {};
  scenes.forEach(function (scene) { byslug[scene.slug] = scene; });
  var markers = {};

  function shown(slug) {
    container.dataset.scene = slug;
    Array.prototype.forEach.call(document.querySelectorAll(".scene-item"), function (item) {
      if (item.dataset.scene === slug) { item.setAttribute("aria-current", "step"); }
      else { item.removeAttribute("aria-current"); }
    });
    if (current && byslug[slug]) {
      current.textContent = interpolate(gettext("Now showing: %s"), [byslug[slug].title]);
    }
    if (markers[slug]) { markers[slug].openPopup(); }
  }
  viewer.on("load", function () { shown(viewer.getScene()); });
  viewer.on("scenechange", function (slug) { shown(slug); });

  function go(slug) {
    if (!byslug[slug]) { return; }
    if (viewer.getScene() === slug) { shown(slug); } else { viewer.loadScene(slug); }
    container.scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("click", function (event) {
    var target = event.target.closest(".scene-show, .scene-link");
    if (!target) { return; }
    event.preventDefault();
    go(target.dataset.scene);
  });

  var mapBox = document.getElementById("tour-map");
  if (mapBox) {
    var map = SiteMap.create(mapBox, { label: gettext("Map of the tour's places") });
    var points = scenes.map(function (scene) { return [scene.lat, scene.lon]; });
    L.polyline(points, { className: "tour-path", weight: 3, dashArray: "6 6" }).addTo(map);
    scenes.forEach(function (scene, index) {
      markers[scene.slug] = L.marker([scene.lat, scene.lon], { title: (index + 1) + ". " + scene.title,
                                                              alt: scene.title })
        .bindPopup(SiteMap.popup([{ title: (index + 1) + ". " + scene.title }]))
        .on("click", function () { go(scene.slug); })
        .addTo(map);
    });
    map.fitBounds(L.latLngBounds(points).pad(0.3), { maxZoom: 17 });
  }
}());
