/* The participation section of the staff figures page: the roadmap's indicators from /api/participation/figures,
 * the totals as cards and the rows (per process, district or month) as a table, with the same figures' JSON and
 * CSV links. */
(function () {
  "use strict";
  var Site = window.Site;
  var config = (Site.page.sections || {}).participation;
  var section = document.getElementById("participation-figures");
  if (!config || !section) { return; }
  var bySelect = document.getElementById("participation-by");
  var cards = document.getElementById("participation-cards");
  var table = document.getElementById("participation-table");
  var message = document.getElementById("participation-message");
  var locale = Site.lang === "en" ? "en-GB" : "el-GR";
  config.groups.forEach(function (g) { bySelect.appendChild(Site.el("option", { value: g.value, text: g.label })); });

  function shown(name, value) {
    if (value === null || value === undefined) { return "–"; }
    if (name === "participatory_share") { return Math.round(value * 100) + " %"; }
    return Number(value).toLocaleString(locale);
  }

  function refresh() {
    var by = bySelect.value;
    var query = "?by=" + encodeURIComponent(by);
    document.getElementById("participation-csv").href = config.figuresUrl + query + "&format=csv";
    document.getElementById("participation-json").href = config.figuresUrl + query;
    message.textContent = gettext("Counting…");
    Site.request(config.figuresUrl + query).then(function (answer) {
      if (!answer.ok) {
        message.textContent = Site.format(gettext("The figures could not be read (%(status)s): %(detail)s"),
          { status: answer.status, detail: (answer.data && answer.data.detail) || "" });
        return;
      }
      message.textContent = "";
      Site.clear(cards);
      config.columns.forEach(function (column) {
        cards.appendChild(Site.el("li", { class: "card", "data-figure": column.value }, [
          Site.el("span", { class: "card__value", text: shown(column.value, answer.data.totals[column.value]) }),
          Site.el("span", { class: "card__label", text: column.label })
        ]));
      });
      var head = Site.clear(table.tHead);
      head.appendChild(Site.el("tr", {}, [Site.el("th", { scope: "col", text: bySelect.options[bySelect.selectedIndex].text })]
        .concat(config.columns.map(function (c) { return Site.el("th", { scope: "col", text: c.label }); }))));
      var body = Site.clear(table.tBodies[0]);
      answer.data.rows.forEach(function (row) {
        body.appendChild(Site.el("tr", {}, [Site.el("th", { scope: "row", text: row.key })]
          .concat(config.columns.map(function (c) { return Site.el("td", { text: shown(c.value, row[c.value]) }); }))));
      });
    });
  }

  bySelect.addEventListener("change", refresh);
  refresh();
})();
