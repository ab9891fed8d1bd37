/* The participation staff workspace: the evaluation queue's map (the listed proposals, the same filters as the
 * list), a proposal's evaluation (answer, evaluate, put on a ballot: POST to the participation API, errors next to
 * their fields) and the budgets (close the vote and publish the results). After a change the page is read again,
 * and what happened is said in its status line. */
(function () {
  "use strict";
  var Site = window.Site;
  var L = window.L;
  var page = Site.page || {};
  var STATUS_KEY = "participation-staff-status";
  function $(id) { return document.getElementById(id); }

  function say(text) {
    var status = $("action-status");
    if (!status) { return; }
    status.hidden = false;
    status.textContent = text;
  }

  function reloadSaying(text) {
    try { window.sessionStorage.setItem(STATUS_KEY, text); } catch (error) { /* private mode: no message kept */ }
    window.location.reload();
  }

  try {
    var kept = window.sessionStorage.getItem(STATUS_KEY);
    if (kept) { window.sessionStorage.removeItem(STATUS_KEY); say(kept); }
  } catch (error) { /* private mode */ }

  function shapes(collection, link) {
    return L.geoJSON(collection, {
      style: function (feature) { return { className: "proposal-shape proposal-shape--" + feature.properties.state }; },
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, { radius: 8, className: "proposal-shape proposal-shape--" + feature.properties.state });
      },
      onEachFeature: function (feature, shape) {
        if (!link) { return; }
        var p = feature.properties;
        shape.bindPopup(window.SiteMap.popup([{ title: p.title }, { text: page.stateLabels[p.state] || p.state },
          { text: Site.format(ngettext("%(count)s support", "%(count)s supports", p.supports), { count: p.supports }) },
          { link: link.replace("/0/", "/" + feature.id + "/"), text: gettext("Evaluate") }]));
      }
    });
  }

  if ($("queue-map")) {
    var queueMap = window.SiteMap.create($("queue-map"), { label: gettext("Map of the listed proposals") });
    window.queueMap = queueMap;
    var listed = shapes(page.features, page.evaluationPage).addTo(queueMap);
    $("queue-map").dataset.shapes = String(listed.getLayers().length);
    if (listed.getLayers().length) { queueMap.fitBounds(listed.getBounds().pad(0.1), { maxZoom: 16 }); }
  }

  if ($("evaluate-map") && page.geometry) {
    var placeMap = window.SiteMap.create($("evaluate-map"), { label: gettext("The place of the proposal") });
    var place = shapes({ type: "Feature", geometry: page.geometry, properties: { state: "" } }, null).addTo(placeMap);
    placeMap.fitBounds(place.getBounds().pad(0.5), { maxZoom: 17 });
  }

  /* A form whose fields go to the API as JSON; done(answer) says what happened. */
  function wire(form, fields, url, body, done) {
    if (!form) { return; }
    var errors = window.FormErrors.create(form, {
      formSlot: "error-" + form.id,
      fieldOf: function (parameter) { return fields.indexOf(parameter) !== -1 ? parameter : "form"; }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      errors.clearAll();
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      Site.request(url(), { method: "POST", body: body() }).then(function (answer) {
        button.disabled = false;
        if (answer.ok) { reloadSaying(done(answer.data)); return; }
        var problem = answer.data && typeof answer.data === "object" ? answer.data : {};
        window.FormErrors.focus(errors.report([problem], gettext("Something went wrong; try again.")));
      });
    });
  }

  function whole(id) {
    var value = $(id).value.trim();
    return /^[0-9]+$/.test(value) ? Number(value) : (value === "" ? null : value);
  }

  if (page.urls) {
    wire($("answer-form"), ["reason", "state"], function () { return page.urls.answer; }, function () {
      return { state: $("answer-form").querySelector("input[name=state]:checked").value, reason: $("reason").value };
    }, function (data) { return Site.format(gettext("Answer sent: %(state)s."), { state: data.state }); });
    wire($("evaluate-form"), ["cost_estimate", "feasibility", "department"], function () { return page.urls.answer; }, function () {
      return { state: "evaluated", cost_estimate: whole("cost_estimate"), feasibility: $("feasibility").value,
               department: $("department").value };
    }, function () { return gettext("Evaluation saved."); });
    wire($("ballot-form"), ["cost"], function () {
      return page.urls.projects.replace("/0/", "/" + $("budget").value + "/");
    }, function () {
      return { proposal_id: page.proposal, cost: whole("cost") };
    }, function () { return gettext("The proposal is on the ballot."); });
  }

  Array.prototype.forEach.call(document.querySelectorAll(".publish-results"), function (button) {
    button.addEventListener("click", function () {
      button.disabled = true;
      Site.request(button.dataset.url, { method: "POST" }).then(function (answer) {
        button.disabled = false;
        var data = answer.data && typeof answer.data === "object" ? answer.data : {};
        if (answer.ok) { reloadSaying(data.message); return; }
        say(data.detail || gettext("Something went wrong; try again."));
      });
    });
  });
}());
