/* A department's queue: the map and the list follow each other (choosing a report in one highlights it in the
 * other), filters, bulk acknowledge, and the panel of one report with the actions this account may take.
 * Calls the workspace API with the session and the CSRF token; every action sends If-Match with the ETag of
 * the report as last read, so a change made meanwhile by someone else is refused (409) and said so. */
(function () {
  "use strict";
  var Site = window.Site;
  var L = window.L;
  var config = Site.page;
  var mapBox = document.getElementById("queue-map");
  if (!mapBox || !config.queueUrl) { return; }

  var labels = {
    status: toMap(config.statuses), priority: toMap(config.priorities), closeReason: toMap(config.closeReasons),
    action: toMap(config.actions), history: toMap(config.historyKinds)
  };
  var TRANSITION_ACTIONS = ["acknowledge", "start", "resolve", "close", "reopen"];
  var FORM_ACTIONS = { resolve: true, close: true, reopen: true, duplicate: true, reassign: true, public_update: true, internal_note: true };

  var form = document.getElementById("queue-filters");
  var list = document.getElementById("queue-list");
  var countsLine = document.getElementById("queue-counts");
  var totalLabel = document.getElementById("queue-total");
  var queueMessage = document.getElementById("queue-message");
  var pager = document.getElementById("queue-pager");
  var panel = document.getElementById("issue-panel");
  var detail = document.getElementById("issue-detail");
  var panelEmpty = document.getElementById("panel-empty");
  var bulkBar = document.getElementById("bulk-bar");
  var bulkButton = document.getElementById("bulk-acknowledge");
  var bulkResult = document.getElementById("bulk-result");
  var selectAll = document.getElementById("select-all");

  var map = SiteMap.create(mapBox, { label: gettext("Map of the queue") });
  var markers = L.featureGroup().addTo(map);
  var state = { page: 1, features: [], byId: {}, markerById: {}, selected: null, issue: null, etag: null, fitted: false };

  function toMap(choices) {
    var out = {};
    (choices || []).forEach(function (choice) { out[String(choice.value)] = choice.label; });
    return out;
  }

  function statusBadge(status) {
    return Site.el("span", { class: "badge badge--" + status, text: labels.status[status] || status });
  }

  function priorityBadge(priority) {
    return Site.el("span", { class: "badge badge--p" + priority, text: labels.priority[String(priority)] || String(priority) });
  }

  function categoryName(p) { return Site.pick(p, "category"); }

  /* --- the queue ------------------------------------------------------------------------- */

  function query() {
    var data = new FormData(form);
    var params = new URLSearchParams();
    ["status", "category", "district", "priority", "q"].forEach(function (name) {
      var value = String(data.get(name) || "").trim();
      if (name === "status" && value === "all") { return; }
      if (value) { params.set(name, value); }
    });
    return params;
  }

  function load(options) {
    options = options || {};
    var params = query();
    params.set("page", String(state.page));
    params.set("page_size", String(config.pageSize));
    queueMessage.textContent = gettext("Loading…");
    queueMessage.className = "message";
    return Site.request(config.queueUrl + "?" + params.toString()).then(function (answer) {
      if (!answer.ok) {
        queueMessage.textContent = problem(answer);
        queueMessage.className = "message message--error";
        return;
      }
      queueMessage.textContent = "";
      show(answer.data, options);
    });
  }

  function show(collection, options) {
    state.features = collection.features;
    state.byId = {};
    state.markerById = {};
    markers.clearLayers();
    Site.clear(list);
    collection.features.forEach(function (feature) {
      state.byId[feature.id] = feature;
      list.appendChild(listItem(feature));
      var marker = L.circleMarker([feature.geometry.coordinates[1], feature.geometry.coordinates[0]], {
        radius: 8, className: "queue-marker queue-marker--" + feature.properties.status, bubblingMouseEvents: false
      });
      marker.bindTooltip("#" + feature.id + " " + categoryName(feature.properties));
      marker.on("click", function () { select(feature.id, "map"); });
      marker.addTo(markers);
      marker.getElement().setAttribute("data-issue", String(feature.id));
      state.markerById[feature.id] = marker;
    });
    var counts = collection.counts || {};
    countsLine.textContent = Object.keys(counts).map(function (status) {
      return (labels.status[status] || status) + ": " + counts[status];
    }).join(" · ");
    totalLabel.textContent = Site.format(gettext("(%(shown)s of %(total)s)"), { shown: collection.numberReturned, total: collection.numberMatched });
    var pages = Math.max(1, Math.ceil(collection.numberMatched / collection.page_size));
    pager.hidden = pages <= 1;
    document.getElementById("page-label").textContent = Site.format(gettext("page %(page)s of %(pages)s"), { page: collection.page, pages: pages });
    document.getElementById("page-previous").disabled = collection.page <= 1;
    document.getElementById("page-next").disabled = collection.page >= pages;
    if (!collection.features.length) {
      list.appendChild(Site.el("li", { class: "queue-item", text: gettext("No report matches these filters.") }));
    }
    if ((options.fit || !state.fitted) && collection.features.length) {
      map.fitBounds(markers.getBounds(), { maxZoom: 16, padding: [30, 30] });
      state.fitted = true;
    }
    if (state.selected && state.byId[state.selected]) { highlight(state.selected); }
    updateBulk();
    Site.announce(Site.format(gettext("%(total)s reports in the queue"), { total: collection.numberMatched }));
  }

  function listItem(feature) {
    var p = feature.properties;
    var checkbox = Site.el("input", { type: "checkbox", class: "bulk-select", value: String(feature.id),
      "aria-label": Site.format(gettext("Select report %(id)s"), { id: feature.id }) });
    checkbox.addEventListener("change", updateBulk);
    var meta = Site.el("span", { class: "queue-item__meta" }, [
      statusBadge(p.status), priorityBadge(p.priority),
      p.overdue ? Site.el("span", { class: "badge badge--overdue", text: gettext("overdue") }) : null,
      p.district ? Site.el("span", { text: p.district }) : null, Site.el("span", { text: Site.formatDate(p.created_at) })
    ]);
    var open = Site.el("button", { type: "button", class: "queue-item__open", "aria-controls": "issue-panel" }, [
      Site.el("span", { class: "queue-item__title", text: "#" + feature.id + " " + categoryName(p) }),
      meta,
      Site.el("span", { class: "queue-item__text", text: p.address || p.description || "" })
    ]);
    open.addEventListener("click", function () { select(feature.id, "list"); });
    var item = Site.el("li", { class: "queue-item", id: "queue-item-" + feature.id, dataset: { id: String(feature.id) } },
      [config.canAct ? checkbox : null, open]);
    return item;
  }

  /* --- map and list follow each other ----------------------------------------------------- */

  function highlight(id) {
    Array.prototype.forEach.call(list.querySelectorAll(".queue-item.is-selected"), function (item) {
      item.classList.remove("is-selected");
      item.querySelector(".queue-item__open").removeAttribute("aria-current");
    });
    Object.keys(state.markerById).forEach(function (key) {
      var element = state.markerById[key].getElement();
      if (element) { element.classList.remove("is-selected"); }
      state.markerById[key].setRadius(8);
    });
    var item = document.getElementById("queue-item-" + id);
    if (item) {
      item.classList.add("is-selected");
      item.querySelector(".queue-item__open").setAttribute("aria-current", "true");
    }
    var marker = state.markerById[id];
    if (marker) {
      marker.setRadius(12);
      marker.bringToFront();
      var element = marker.getElement();
      if (element) { element.classList.add("is-selected"); }
    }
    return { item: item, marker: marker };
  }

  function select(id, source) {
    state.selected = id;
    var found = highlight(id);
    if (source !== "list" && found.item) { found.item.scrollIntoView({ block: "nearest", behavior: "smooth" }); }
    if (source !== "map" && found.marker) {
      var where = found.marker.getLatLng();
      if (!map.getBounds().pad(-0.1).contains(where)) { map.panTo(where); }
    }
    openIssue(id, source === "list");
  }

  /* --- the panel ---------------------------------------------------------------------------- */

  function openIssue(id, focusPanel) {
    return Site.request(config.issuesUrl + id).then(function (answer) {
      if (!answer.ok) {
        panelEmpty.hidden = true;
        Site.clear(detail).appendChild(Site.el("p", { class: "message message--error", role: "alert", text: problem(answer) }));
        return;
      }
      state.issue = answer.data;
      state.etag = answer.headers.get("ETag");
      renderIssue();
      if (focusPanel && window.matchMedia("(max-width: 48rem)").matches) { panel.scrollIntoView({ block: "start" }); }
    });
  }

  function renderIssue(message) {
    var issue = state.issue;
    var p = issue.properties;
    panelEmpty.hidden = true;
    Site.clear(detail);
    detail.appendChild(Site.el("h3", { id: "issue-title", text: "#" + issue.id + " " + categoryName(p) }));
    detail.appendChild(Site.el("p", { class: "queue-item__meta" }, [statusBadge(p.status), priorityBadge(p.priority),
      p.overdue ? Site.el("span", { class: "badge badge--overdue", text: gettext("overdue") }) : null]));
    var facts = Site.el("dl", { class: "issue-facts" });
    function fact(name, value) {
      if (value === undefined || value === null || value === "") { return; }
      facts.appendChild(Site.el("dt", { text: name }));
      facts.appendChild(Site.el("dd", { text: String(value) }));
    }
    fact(gettext("Description"), p.description);
    fact(gettext("Address"), p.address);
    fact(gettext("District"), p.district);
    fact(gettext("Reported"), Site.formatDate(p.created_at, true));
    fact(gettext("Expected by"), Site.formatDate(p.expected_at));
    fact(gettext("Why this priority"), p.priority_reason);
    fact(gettext("Routing"), p.routing_note);
    fact(gettext("Supports"), p.supports);
    if (p.close_reason) { fact(gettext("Close reason"), labels.closeReason[p.close_reason] || p.close_reason); }
    if (p.reporter) {
      fact(gettext("Reporter"), [p.reporter.first_name, p.reporter.last_name].join(" ").trim());
      fact(gettext("E-mail"), p.reporter.email);
      fact(gettext("Phone"), p.reporter.phone);
    }
    fact(gettext("Version"), p.version);
    detail.appendChild(facts);

    var feedback = Site.el("div", { id: "action-message", class: "message", role: "status" });
    detail.appendChild(feedback);
    if (message) { say(message.text, message.error, message.reload); }

    if (config.canAct) {
      detail.appendChild(Site.el("h3", { text: gettext("Actions") }));
      var buttons = Site.el("div", { class: "issue-actions", id: "issue-actions" });
      allowedActions(p.status).forEach(function (action) {
        var button = Site.el("button", { type: "button", class: "button button--small" + (TRANSITION_ACTIONS.indexOf(action) === -1 ? " button--secondary" : ""),
          dataset: { action: action }, text: labels.action[action] || action });
        button.addEventListener("click", function () { chooseAction(action); });
        buttons.appendChild(button);
      });
      detail.appendChild(buttons);
      detail.appendChild(Site.el("div", { id: "action-form-slot" }));
    } else {
      detail.appendChild(Site.el("p", { class: "notice", text: gettext("You can read this queue; only the department's staff change its reports.") }));
    }

    detail.appendChild(Site.el("h3", { text: gettext("History") }));
    var history = Site.el("ol", { class: "issue-history" });
    (p.history || []).slice().reverse().forEach(function (entry) {
      var what = labels.history[entry.kind] || entry.kind;
      if (entry.to_status && entry.to_status !== entry.from_status) {
        what += ": " + (entry.from_status ? (labels.status[entry.from_status] || entry.from_status) + " → " : "") + (labels.status[entry.to_status] || entry.to_status);
      }
      history.appendChild(Site.el("li", { class: entry.public ? "" : "history--internal" }, [
        Site.el("strong", { text: what }), " · ", Site.formatDate(entry.at, true), " · ", entry.actor || "",
        entry.public ? "" : " · " + gettext("internal"),
        entry.note ? Site.el("div", { text: entry.note }) : null
      ]));
    });
    detail.appendChild(history);
  }

  function allowedActions(status) {
    var actions = (config.moves[status] || []).slice();
    if (actions.indexOf("close") !== -1) { actions.push("duplicate"); }
    if (config.canReassign && config.openStatuses.indexOf(status) !== -1) { actions.push("reassign"); }
    actions.push("public_update", "internal_note");
    return actions;
  }

  function say(text, isError, offerReload) {
    var box = document.getElementById("action-message");
    if (!box) { return; }
    Site.clear(box);
    box.className = "message" + (isError ? " message--error" : " message--ok");
    box.setAttribute("role", isError ? "alert" : "status");
    box.appendChild(document.createTextNode(text));
    if (offerReload) {
      var reload = Site.el("button", { type: "button", class: "button button--small", text: gettext("Reload the report") });
      reload.addEventListener("click", function () { openIssue(state.issue.id); load(); });
      box.appendChild(document.createTextNode(" "));
      box.appendChild(reload);
    }
    if (!isError) { Site.announce(text); }
  }

  /* --- actions ------------------------------------------------------------------------------ */

  function chooseAction(action) {
    var slot = document.getElementById("action-form-slot");
    Site.clear(slot);
    if (!FORM_ACTIONS[action]) { send(action, {}); return; }
    var fields = [];
    var formBox = Site.el("form", { class: "action-form", id: "action-form", dataset: { action: action } });
    formBox.appendChild(Site.el("h3", { text: labels.action[action] || action }));
    if (action === "close") {
      fields.push(selectField("reason", gettext("Reason"), config.closeReasons, true));
    }
    if (action === "duplicate") {
      fields.push(inputField("duplicate_of", gettext("Duplicate of report number"), "number", true));
    }
    if (action === "reassign") {
      fields.push(selectField("department", gettext("To department"), config.departments, true));
      fields.push(textField("reason", gettext("Reason (kept in the history)"), true));
    } else {
      var noteRequired = action === "public_update" || action === "internal_note";
      var noteLabel = action === "internal_note" ? gettext("Note (staff only)") : gettext("Note (the reporter sees it)");
      fields.push(textField("note", noteLabel, noteRequired));
    }
    if (action === "resolve") {
      fields.push(inputField("photo", gettext("Photo of the work (JPEG, PNG or WebP)"), "file", false));
    }
    if (action === "resolve" || action === "reopen") {
      var box = Site.el("input", { type: "checkbox", name: "public", id: "field-public", checked: true });
      fields.push(Site.el("div", { class: "field" }, [Site.el("label", { class: "checkbox-field", for: "field-public" },
        [box, gettext("Tell the reporter")])]));
    }
    fields.forEach(function (field) { formBox.appendChild(field); });
    var submit = Site.el("button", { type: "submit", class: "button", text: labels.action[action] || action });
    var cancel = Site.el("button", { type: "button", class: "button button--secondary", text: gettext("Cancel") });
    cancel.addEventListener("click", function () { Site.clear(slot); });
    formBox.appendChild(Site.el("div", { class: "button-row" }, [submit, cancel]));
    formBox.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(formBox);
      if (action === "resolve" || action === "reopen") { data.set("public", formBox.elements["public"].checked ? "true" : "false"); }
      var photo = formBox.elements.photo;
      if (photo && (!photo.files || !photo.files.length)) { data.delete("photo"); }
      submit.disabled = true;
      send(action, data).then(function () { submit.disabled = false; });
    });
    slot.appendChild(formBox);
    var first = formBox.querySelector("select, input, textarea");
    if (first) { first.focus(); }
  }

  function fieldId(name) { return "field-" + name.replace(/_/g, "-"); }

  function wrap(name, label, control) {
    return Site.el("div", { class: "field" }, [Site.el("label", { for: fieldId(name), text: label }), control,
      Site.el("p", { class: "field-error", id: fieldId(name) + "-error" })]);
  }

  function selectField(name, label, choices, required) {
    var select = Site.el("select", { name: name, id: fieldId(name), required: required });
    select.appendChild(Site.el("option", { value: "", text: gettext("Choose…") }));
    choices.forEach(function (choice) { select.appendChild(Site.el("option", { value: choice.value, text: choice.label })); });
    return wrap(name, label, select);
  }

  function textField(name, label, required) {
    return wrap(name, label, Site.el("textarea", { name: name, id: fieldId(name), required: required, maxlength: "4000" }));
  }

  function inputField(name, label, type, required) {
    var attributes = { type: type, name: name, id: fieldId(name), required: required };
    if (type === "file") { attributes.accept = "image/jpeg,image/png,image/webp"; }
    if (type === "number") { attributes.min = "1"; attributes.step = "1"; }
    return wrap(name, label, Site.el("input", attributes));
  }

  function send(action, body) {
    var issue = state.issue;
    return Site.request(config.issuesUrl + issue.id + "/actions/" + action, {
      method: "POST", body: body, headers: { "If-Match": state.etag }
    }).then(function (answer) {
      if (answer.ok && answer.data.properties.department !== config.department) {
        state.issue = null;
        state.selected = null;
        var gone = Site.format(gettext("%(action)s: done. Report %(id)s has left this queue."), { action: labels.action[action] || action, id: issue.id });
        Site.clear(detail).appendChild(Site.el("p", { id: "action-message", class: "message message--ok", role: "status", text: gone }));
        Site.announce(gone);
        return load();
      }
      if (answer.ok) {
        var done = Site.format(gettext("%(action)s: done. The report is now %(status)s."), {
          action: labels.action[action] || action, status: labels.status[answer.data.properties.status] || answer.data.properties.status
        });
        return Promise.all([openIssue(issue.id), load()]).then(function () {
          say(done, false);
          panel.scrollTop = 0;
        });
      }
      var data = answer.data || {};
      if (answer.status === 409 && data.version !== undefined) {
        say(Site.format(gettext("Not saved: someone changed this report after you opened it (it is now at version %(version)s). Reload it, check the change and try again."),
          { version: data.version }), true, true);
      } else if (answer.status === 409) {
        var allowed = (data.allowed || []).map(function (name) { return labels.action[name] || name; }).join(", ");
        say(Site.format(gettext("Not possible now: %(detail)s. Possible: %(allowed)s."),
          { detail: data.detail || "", allowed: allowed || gettext("nothing") }), true, true);
      } else if (answer.status === 403) {
        say(Site.format(gettext("Not allowed: %(detail)s"), { detail: data.detail || "" }), true, false);
      } else {
        say(problem(answer), true, false);
      }
      return null;
    });
  }

  function problem(answer) {
    if (answer.status === 0) { return gettext("The server cannot be reached. Check the connection and try again."); }
    var detail = answer.data && answer.data.detail ? answer.data.detail : "";
    if (!detail && answer.data && typeof answer.data === "object") {
      detail = Object.keys(answer.data).map(function (key) { return key + ": " + answer.data[key]; }).join("; ");
    }
    return Site.format(gettext("The server refused (%(status)s): %(detail)s"), { status: answer.status, detail: detail });
  }

  /* --- bulk acknowledge ---------------------------------------------------------------------- */

  function checked() {
    return Array.prototype.filter.call(list.querySelectorAll(".bulk-select"), function (box) { return box.checked; })
      .map(function (box) { return Number(box.value); });
  }

  function updateBulk() {
    bulkBar.hidden = !config.canAct;
    var count = checked().length;
    bulkButton.disabled = count === 0;
    bulkButton.textContent = count ? Site.format(gettext("Acknowledge selected (%(count)s)"), { count: count }) : gettext("Acknowledge selected");
  }

  selectAll.addEventListener("change", function () {
    Array.prototype.forEach.call(list.querySelectorAll(".bulk-select"), function (box) { box.checked = selectAll.checked; });
    updateBulk();
  });

  bulkButton.addEventListener("click", function () {
    var ids = checked();
    var done = [];
    var refused = [];
    bulkButton.disabled = true;
    bulkResult.className = "message";
    bulkResult.textContent = gettext("Acknowledging…");
    var chain = Promise.resolve();
    ids.forEach(function (id) {
      chain = chain.then(function () {
        var feature = state.byId[id];
        var moves = config.moves[feature.properties.status] || [];
        if (moves.indexOf("acknowledge") === -1) {
          refused.push("#" + id + " (" + (labels.status[feature.properties.status] || feature.properties.status) + ")");
          return null;
        }
        return Site.request(config.issuesUrl + id + "/actions/acknowledge", {
          method: "POST", body: {}, headers: { "If-Match": '"v' + feature.properties.version + '"' }
        }).then(function (answer) {
          if (answer.ok) { done.push(id); }
          else { refused.push("#" + id + " (" + ((answer.data && answer.data.detail) || answer.status) + ")"); }
        });
      });
    });
    chain.then(function () {
      var text = Site.format(ngettext("%(count)s report acknowledged.", "%(count)s reports acknowledged.", done.length), { count: done.length });
      if (refused.length) { text += " " + Site.format(gettext("Not acknowledged: %(list)s."), { list: refused.join(", ") }); }
      bulkResult.className = "message " + (refused.length ? "message--error" : "message--ok");
      bulkResult.textContent = text;
      selectAll.checked = false;
      return load();
    }).then(function () {
      if (state.issue && done.indexOf(state.issue.id) !== -1) { openIssue(state.issue.id); }
    });
  });

  /* --- filters and paging --------------------------------------------------------------------- */

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    state.page = 1;
    var params = query();
    if (new FormData(form).get("status") === "all") { params.set("status", "all"); }
    window.history.replaceState(null, "", "?" + params.toString());
    load({ fit: true });
  });
  document.getElementById("page-previous").addEventListener("click", function () { state.page -= 1; load({ fit: true }); });
  document.getElementById("page-next").addEventListener("click", function () { state.page += 1; load({ fit: true }); });

  window.queuePage = { map: map, select: select, state: state };
  load();
})();
