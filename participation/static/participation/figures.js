/* The participation section of the staff figures page: the roadmap's figures as cards for the period of the page's
 * scope form and the chosen process, with the same figures as JSON and CSV links (/api/participation/figures). */
(function () {
  "use strict";
  var Site = window.Site;
  var config = (Site.page.sections || {}).participation;
  var section = document.getElementById("participation-figures");
  if (!config || !section) { return; }
  var scopeForm = document.getElementById("figures-scope");
  var processSelect = document.getElementById("participation-page-process");
  var cards = document.getElementById("participation-cards");
  var message = document.getElementById("participation-message");
  config.processes.forEach(function (p) { processSelect.appendChild(Site.el("option", { value: p.value, text: p.label })); });

  function shown(name, value) {
    if (value === null || value === undefined) { return "–"; }
    if (name.indexOf("share_") === 0) { return Math.round(value * 100) + " %"; }
    return Number(value).toLocaleString(Site.lang === "en" ? "en-GB" : "el-GR");
  }

  function params() {
    var query = new URLSearchParams();
    var from = scopeForm && scopeForm.elements.from ? scopeForm.elements.from.value : "";
    var to = scopeForm && scopeForm.elements.to ? scopeForm.elements.to.value : "";
    if (from) { query.set("from", from); }
    if (to) {  // the form's "until" is inclusive
      var next = new Date(to + "T00:00:00Z");
      next.setUTCDate(next.getUTCDate() + 1);
      query.set("to", next.toISOString().slice(0, 10));
    }
    if (processSelect.value) { query.set("process", processSelect.value); }
    return query;
  }

  function refresh() {
    var query = params();
    var csv = new URLSearchParams(query);
    csv.set("format", "csv");
    document.getElementById("participation-csv").href = config.figuresUrl + "?" + csv.toString();
    document.getElementById("participation-json").href = config.figuresUrl + "?" + query.toString();
    message.textContent = gettext("Counting…");
    Site.request(config.figuresUrl + "?" + query.toString()).then(function (answer) {
      if (!answer.ok) {
        message.textContent = Site.format(gettext("The figures could not be read (%(status)s): %(detail)s"),
          { status: answer.status, detail: (answer.data && answer.data.detail) || "" });
        return;
      }
      message.textContent = "";
      Site.clear(cards);
      config.figures.forEach(function (figure) {
        cards.appendChild(Site.el("li", { class: "card", "data-figure": figure.value }, [
          Site.el("span", { class: "card__value", text: shown(figure.value, answer.data.figures[figure.value]) }),
          Site.el("span", { class: "card__label", text: figure.label })
        ]));
      });
    });
  }

  processSelect.addEventListener("change", refresh);
  if (scopeForm) { scopeForm.addEventListener("submit", function () { window.setTimeout(refresh, 0); }); }
  refresh();
})();
