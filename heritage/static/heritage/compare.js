/* Two heritage objects side by side: Mirador (its UMD bundle, served by this server) with one window per manifest,
   in the page's language where Mirador has it. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("page-config").textContent);
  if (!window.Mirador || config.manifests.length !== 2) return;
  window.Mirador.viewer({
    id: "mirador",
    language: config.language,
    windows: config.manifests.map(function (manifestId) {
      return {manifestId: manifestId, thumbnailNavigationPosition: "off"};
    }),
    window: {allowClose: false, allowMaximize: false, sideBarOpenByDefault: false, defaultSideBarPanel: "info"},
    workspace: {type: "mosaic", allowNewWindows: false},
    workspaceControlPanel: {enabled: false},
  });
})();
