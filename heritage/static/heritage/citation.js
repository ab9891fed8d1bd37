/* The citation's copy button: shown where the browser can copy, and it says so when done. */
(function () {
  "use strict";
  var button = document.getElementById("copy-citation");
  if (!button || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(document.getElementById("citation").textContent.trim()).then(function () {
      document.getElementById("announcer").textContent = gettext("The citation was copied.");
    });
  });
})();
