/* The participation section of the staff figures page: the roadmap's indicators from /api/participation/figures,
 * the totals as cards (each with its definition) and the rows (per process, district or month) as a table, the
 * outcome indicator per year from /api/participation/figures/outcome with its definition, the same figures' JSON
 * and CSV links; demo data only when the box is ticked, and then said above the figures. */
(function () {
  "use strict";
  var Site = window.Site;
  var config = (Site.page.sections || {}).participation;
  var section = document.getElementById("participation-figures");
  if (!config || !section) { return; }
  function $(id) { return document.getElementById(id); }
  var bySelect = $("participation-by");
  var demoBox = $("participation-include-demo");
  var cards = $("participation-cards");
  var table = $("participation-table");
  var message = $("participation-message");
  var locale = Site.lang === "en" ? "en-GB" : "el-GR";
  config.groups.forEach(function (g) { bySelect.appendChild(Site.el("option", { value: g.value, text: g.label })); });
  $("participation-outcome-definition").textContent = config.outcomeDefinition;
  var definitions = $("participation-definitions");
  config.columns.forEach(function (column) {
    definitions.appendChild(Site.el("dt", { text: column.label }));
    definitions.appendChild(Site.el("dd", { text: column.definition }));
  });

  function shown(name, value) {
    if (value === null || value === undefined) { return "–"; }
    if (name === "participatory_share" || name === "share") { return Math.round(value * 100) + " %"; }
    return Number(value).toLocaleString(locale);
  }

  function showDemo(answer) {
    var notice = $("participation-demo");
    notice.hidden = !answer.include_demo;
    notice.textContent = answer.demo_label || "";
  }

  function refreshOutcome(demo) {
    $("participation-outcome-csv").href = config.outcomeUrl + "?format=csv" + demo;
    Site.request(config.outcomeUrl + (demo ? "?" + demo.slice(1) : "")).then(function (answer) {
      if (!answer.ok) { return; }
      var body = Site.clear($("participation-outcome").tBodies[0]);
      answer.data.rows.forEach(function (row) {
        body.appendChild(Site.el("tr", { "data-year": String(row.year) }, [
          Site.el("th", { scope: "row", text: String(row.year) }),
          Site.el("td", { text: shown("implemented_projects", row.implemented_projects) }),
          Site.el("td", { text: shown("participatory_projects", row.participatory_projects) }),
          Site.el("td", { text: shown("share", row.share) })]));
      });
    });
  }

  function refresh() {
    var by = bySelect.value;
    var demo = demoBox.checked ? "&include_demo=true" : "";
    var query = "?by=" + encodeURIComponent(by) + demo;
    $("participation-csv").href = config.figuresUrl + query + "&format=csv";
    $("participation-json").href = config.figuresUrl + query;
    message.textContent = gettext("Counting…");
    refreshOutcome(demo);
    Site.request(config.figuresUrl + query).then(function (answer) {
      if (!answer.ok) {
        message.textContent = Site.format(gettext("The figures could not be read (%(status)s): %(detail)s"),
          { status: answer.status, detail: (answer.data && answer.data.detail) || "" });
        return;
      }
      message.textContent = "";
      showDemo(answer.data);
      Site.clear(cards);
      config.columns.forEach(function (column) {
        cards.appendChild(Site.el("li", { class: "card", "data-figure": column.value }, [
          Site.el("span", { class: "card__value", text: shown(column.value, answer.data.totals[column.value]) }),
          Site.el("span", { class: "card__label", text: column.label }),
          Site.el("span", { class: "card__definition", text: column.definition })
        ]));
      });
      var head = Site.clear(table.tHead);
      head.appendChild(Site.el("tr", {}, [Site.el("th", { scope: "col", text: bySelect.options[bySelect.selectedIndex].text })]
        .concat(config.columns.map(function (c) { return Site.el("th", { scope: "col", text: c.label, title: c.definition }); }))));
      var body = Site.clear(table.tBodies[0]);
      answer.data.rows.forEach(function (row) {
        body.appendChild(Site.el("tr", {}, [Site.el("th", { scope: "row", text: row.key })]
          .concat(config.columns.map(function (c) { return Site.el("td", { text: shown(c.value, row[c.value]) }); }))));
      });
    });
  }

  bySelect.addEventListener("change", refresh);
  demoBox.addEventListener("change", refresh);
  refresh();
})();
