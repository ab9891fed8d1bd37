/* The report form (issues/templates/issues/pages/_report_form.html), with or without a map.
 *
 * The place comes from the address and landmark search (/api/places/?q=), the device's location, or
 * (through ReportForm.setLocation) a tap on the map. Once a place and a category are chosen, open
 * reports of that category nearby are offered with a "me too" button (/api/issues/nearby, supports).
 * Sending posts the form to Open311 with the CSRF token and an Idempotency-Key; the server's errors are
 * shown next to their fields and nothing typed is cleared. What users typed, and every name from the
 * server, is set as text (Site.el), never as HTML.
 *
 * window.ReportForm: setLocation(lat, lon, options), onLocation(fn), onReported(fn).
 */
(function () {
  "use strict";
  var Site = window.Site;
  var form = document.getElementById("report-form");
  if (!form) { return; }

  var page = Site.page;
  var urls = page.urls;
  var byCode = {};
  page.categories.forEach(function (category) { byCode[category.service_code] = category; });

  function $(id) { return document.getElementById(id); }
  var select = $("service_code");
  var lat = $("lat");
  var lon = $("long");
  var addressString = $("address_string");
  var addressId = $("address_id");
  var locationStatus = $("location-status");
  var addressQuery = $("address-query");
  var addressResults = $("address-results");
  var sendButton = $("send-report");
  var state = { sending: false, idempotencyKey: null, editedSinceSend: true, nearbyFor: "", locateFor: "", neighbour: "" };
  var locationListeners = [];
  var reportedListeners = [];

  /* "Which animal? / Ποιο ζώο;": the demo catalogue writes some texts in both languages. */
  function localText(text) {
    var parts = String(text || "").split(" / ");
    if (parts.length !== 2) { return text || ""; }
    return Site.lang === "en" ? parts[0] : parts[1];
  }

  function issueUrl(template, id) { return template.replace("/0/", "/" + encodeURIComponent(id) + "/"); }

  // --- errors next to their fields -------------------------------------------------------------

  function fieldOf(parameter) {
    if (["lat", "long", "lat, long", "address_string", "address_id", "location"].indexOf(parameter) !== -1) { return "location"; }
    var attribute = /^attribute\[([^\]]+)\]/.exec(parameter);
    if (attribute) { return "attribute-" + attribute[1]; }
    if (["service_code", "description", "media", "email"].indexOf(parameter) !== -1) { return parameter; }
    return "form";
  }

  function inputOf(field) {
    if (field === "location") { return addressQuery; }
    return $(field === "service_code" ? "service_code" : field);
  }

  function capitalised(text) { return text ? text.charAt(0).toUpperCase() + text.slice(1) : text; }

  /* What to say next to the field, from the error's stable code (`error_code`): the form's own words where it
     has them, else the server's message (without the parameter's name), which is in the page's language (the form
     asks with ?lang=). */
  function friendlyMessage(field, error) {
    var code = error.error_code;
    if (code === "out_of_area") {
      // named in the page's language when the pin was placed, else as the server names it
      var neighbour = state.neighbour || (error.neighbour ? Site.pick(error.neighbour, "name") : "");
      return gettext("This place is outside the Municipality of Thessaloniki.")
        + (neighbour ? " " + Site.format(gettext("It lies in %(place)s."), { place: neighbour }) : "")
        + " " + gettext("Choose a place in the city.");
    }
    if (field === "location" && code === "required") {
      return page.withMap ? gettext("Choose a place: tap the map, use your location, or search an address or landmark.")
        : gettext("Choose a place: search an address or landmark, or use your location.");
    }
    if (field === "location" && code === "address_not_found") {
      var places = (error.suggestions || []).map(function (place) { return Site.pick(place, "name"); }).join("; ");
      return gettext("No single place matches this address.")
        + (places ? " " + Site.format(gettext("Did you mean: %(places)s?"), { places: places }) : "");
    }
    if (field === "service_code" && code === "required") { return gettext("Choose a category."); }
    if (field === "media") { return gettext("The photo was not accepted:") + " " + (error.message || error.description); }
    if (field === "email") { return gettext("This is not an e-mail address. Correct it, or leave the field empty."); }
    if (field === "description" && code === "too_long") { return gettext("The description is too long: at most 4000 characters."); }
    if (field.indexOf("attribute-") === 0 && code === "required") { return gettext("Please answer this question."); }
    return capitalised(String(error.message || error.description || ""));
  }

  var errors = window.FormErrors.create(form, { fieldOf: fieldOf, inputOf: inputOf, message: friendlyMessage });
  var showError = errors.show;
  var clearError = errors.clear;

  // --- the place ---------------------------------------------------------------------------------

  function setStatus(text, warning) {
    locationStatus.textContent = text;
    locationStatus.classList.toggle("location-status--warning", Boolean(warning));
  }

  function setLocation(latitude, longitude, options) {
    options = options || {};
    lat.value = Number(latitude).toFixed(6);
    lon.value = Number(longitude).toFixed(6);
    addressString.value = options.label || "";
    addressId.value = options.addressId || "";
    clearError("location");
    var chosen = options.label ? Site.format(gettext("Chosen: %(place)s."), { place: options.label })
      : Site.format(gettext("Chosen: the point %(lat)s, %(lon)s."), { lat: lat.value, lon: lon.value });
    setStatus(chosen, false);
    locationListeners.forEach(function (listener) { listener(Number(latitude), Number(longitude), options); });
    locate(chosen);
    checkNearby();
  }

  /* Say which district the place is in, or that it is outside the city (the server decides on sending). */
  function locate(chosen) {
    var key = lat.value + "," + lon.value;
    state.locateFor = key;
    state.neighbour = "";
    Site.request(urls.locate + "?lat=" + lat.value + "&lon=" + lon.value).then(function (answer) {
      if (state.locateFor !== key || !answer.ok) { return; }
      var place = answer.data;
      if (place.district) {
        var text = chosen + " " + Site.format(gettext("District: %(district)s."), { district: Site.pick(place.district, "name") });
        setStatus(text, false);
        Site.announce(text);
      } else if (!place.inside) {
        state.neighbour = place.municipality ? Site.pick(place.municipality, "name") : "";
        var where = state.neighbour ? " " + Site.format(gettext("It lies in %(place)s."), { place: state.neighbour }) : "";
        var warning = chosen + " " + gettext("This place is outside the Municipality of Thessaloniki.") + where;
        setStatus(warning, true);
        Site.announce(warning);
      } else {
        Site.announce(chosen);
      }
    });
  }

  window.PlaceSearch.attach({
    url: urls.places, query: addressQuery, button: $("address-search"), results: addressResults, showKind: true,
    onStart: function () { clearError("location"); },
    onBlank: function () { showError("location", gettext("Type an address or landmark first.")); },
    onFailure: function (answer) {
      showError("location", answer.data && answer.data.detail ? capitalised(answer.data.detail) : gettext("The search failed; try again."));
    },
    onNone: function (message) { showError("location", message); },
    onChoose: function (feature, name) {
      var coordinates = feature.geometry.coordinates;
      setLocation(coordinates[1], coordinates[0], { label: name, addressId: String(feature.id), source: "search" });
      locationStatus.focus();
    }
  });

  $("use-my-location").addEventListener("click", function () {
    clearError("location");
    if (!navigator.geolocation) {
      showError("location", gettext("This browser cannot give your location; search an address instead."));
      return;
    }
    setStatus(gettext("Finding your location…"), false);
    navigator.geolocation.getCurrentPosition(function (position) {
      setLocation(position.coords.latitude, position.coords.longitude, { source: "device" });
      locationStatus.focus();
    }, function () {
      setStatus(gettext("No place chosen yet."), false);
      showError("location", gettext("Your location is not available: allow it in the browser, or search an address."));
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });

  // --- the category: a searchable, grouped list, and its questions -------------------------------

  function folded(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  $("category-filter").addEventListener("input", function (event) {
    var words = folded(event.target.value).split(/\s+/).filter(Boolean);
    var matches = [];
    Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
      var visible = 0;
      Array.prototype.forEach.call(group.querySelectorAll("option"), function (option) {
        var category = byCode[option.value];
        var haystack = folded([category.name_el, category.name_en, category.group_el, category.group_en]
          .concat(category.keywords || []).join(" "));
        var match = words.every(function (word) { return haystack.indexOf(word) !== -1; });
        option.hidden = !match;
        option.disabled = !match;
        if (match) { visible += 1; matches.push(option); }
      });
      group.hidden = visible === 0;
    });
    var status = words.length
      ? Site.format(ngettext("%(count)s category matches.", "%(count)s categories match.", matches.length), { count: matches.length })
      : "";
    $("category-filter-status").textContent = status;
    if (words.length && matches.length === 1 && select.value !== matches[0].value) {
      select.value = matches[0].value;
      categoryChanged();
      $("category-filter-status").textContent = status + " " + Site.format(gettext("Chosen: %(place)s."), { place: matches[0].textContent });
    }
  });

  function categoryChanged() {
    clearError("service_code");
    var category = byCode[select.value];
    $("category-description").textContent = category ? Site.pick(category, "description") : "";
    renderAttributes(category);
    checkNearby();
  }
  select.addEventListener("change", categoryChanged);

  function renderAttributes(category) {
    var box = Site.clear($("category-attributes"));
    if (!category) { return; }
    (category.attributes || []).slice().sort(function (a, b) { return (a.order || 0) - (b.order || 0); })
      .forEach(function (attribute) {
        if (attribute.variable === false) { return; }
        box.appendChild(attributeField(attribute));
      });
  }

  function attributeField(attribute) {
    var id = "attribute-" + attribute.code;
    var name = "attribute[" + attribute.code + "]";
    var label = localText(attribute.description);
    var optional = attribute.required ? null : Site.el("span", { class: "hint-inline", text: " (" + gettext("optional") + ")" });
    var error = Site.el("p", { id: "error-" + id, class: "field-error", role: "alert" });
    var values = attribute.values || [];
    if (attribute.datatype === "multivaluelist") {
      var boxes = values.map(function (value, index) {
        var checkbox = Site.el("input", { type: "checkbox", name: name + "[]", value: value.key, id: id + "-" + index });
        return Site.el("div", { class: "check" }, [checkbox, " ", Site.el("label", { for: id + "-" + index, text: localText(value.name) })]);
      });
      return Site.el("fieldset", { id: id, class: "field", "aria-describedby": "error-" + id },
        [Site.el("legend", {}, [label, optional])].concat(boxes, [error]));
    }
    var input;
    if (attribute.datatype === "singlevaluelist") {
      input = Site.el("select", { id: id, name: name, "aria-describedby": "error-" + id },
        [Site.el("option", { value: "", text: gettext("Choose") })].concat(values.map(function (value) {
          return Site.el("option", { value: value.key, text: localText(value.name) });
        })));
    } else if (attribute.datatype === "text") {
      input = Site.el("textarea", { id: id, name: name, maxlength: 1000, "aria-describedby": "error-" + id });
    } else {
      var type = { number: "number", datetime: "datetime-local" }[attribute.datatype] || "text";
      input = Site.el("input", { id: id, name: name, type: type, "aria-describedby": "error-" + id });
    }
    return Site.el("div", { class: "field" }, [Site.el("label", { for: id }, [label, optional]), input, error]);
  }

  // --- possible duplicates: "me too" instead of a new report --------------------------------------

  function checkNearby() {
    var section = $("nearby");
    var code = select.value;
    if (!code || !lat.value) { section.hidden = true; state.nearbyFor = ""; return; }
    var key = code + "@" + lat.value + "," + lon.value;
    if (key === state.nearbyFor) { return; }
    state.nearbyFor = key;
    var query = "?service_code=" + encodeURIComponent(code) + "&lat=" + lat.value + "&long=" + lon.value;
    Site.request(urls.nearby + query).then(function (answer) {
      if (state.nearbyFor !== key) { return; }
      var list = Site.clear($("nearby-list"));
      if (!answer.ok || !answer.data.length) { section.hidden = true; return; }
      answer.data.forEach(function (report) { list.appendChild(nearbyItem(report)); });
      var intro = Site.format(ngettext(
        "%(count)s open report of this kind is close to the place you chose. If it is the same problem, say “me too” instead of sending a new report.",
        "%(count)s open reports of this kind are close to the place you chose. If one is the same problem, say “me too” instead of sending a new report.",
        answer.data.length), { count: answer.data.length });
      $("nearby-intro").textContent = intro;
      section.hidden = false;
      Site.announce(intro);
    });
  }

  function nearbyItem(report) {
    var category = byCode[report.service_code];
    var summary = [
      category ? Site.pick(category, "name") : report.service_code,
      page.statusLabels[report.status] || report.status,
      Site.format(gettext("%(metres)s m away"), { metres: Math.round(report.distance_m) }),
      Site.formatDate(report.requested_datetime)
    ].join(" · ");
    var result = Site.el("p", { class: "nearby__result", "aria-live": "polite" });
    var button = Site.el("button", { type: "button", class: "button button--secondary", text: gettext("Me too") });
    button.addEventListener("click", function () { support(report.service_request_id, button, result); });
    return Site.el("li", { class: "nearby__item" }, [
      Site.el("p", { class: "nearby__summary", text: summary }),
      report.description ? Site.el("p", { class: "nearby__description user-text", text: report.description.slice(0, 300) }) : null,
      Site.el("div", { class: "button-row" }, [
        button,
        Site.el("a", { href: issueUrl(urls.issuePage, report.service_request_id), text: Site.format(gettext("See report %(id)s"), { id: report.service_request_id }) })
      ]),
      result
    ]);
  }

  function support(id, button, result) {
    button.disabled = true;
    Site.request(issueUrl(urls.supports, id), { method: "POST", body: { device_id: Site.deviceId() } }).then(function (answer) {
      if (answer.status === 201) {
        button.textContent = gettext("You support this report");
        result.textContent = gettext("Thank you: your support is counted. You do not need to send a new report.") + " "
          + Site.format(ngettext("%(count)s person supports it.", "%(count)s people support it.", answer.data.supports), { count: answer.data.supports });
      } else if (answer.status === 409) {
        button.textContent = gettext("You support this report");
        result.textContent = gettext("You already support this report.");
      } else {
        button.disabled = false;
        result.textContent = answer.data && answer.data.detail ? capitalised(answer.data.detail) : gettext("That did not work; try again.");
      }
    });
  }

  // --- sending -----------------------------------------------------------------------------------

  form.addEventListener("input", function () { state.editedSinceSend = true; });
  form.addEventListener("change", function () { state.editedSinceSend = true; });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (state.sending) { return; }
    errors.clearAll();
    var body = new FormData(form);
    var photo = $("media");
    if (!photo.files.length) { body.delete("media"); }
    ["address_string", "address_id"].forEach(function (name) { if (!body.get(name)) { body.delete(name); } });
    // A retry of an unchanged form after no answer reuses its key, so the server cannot store it twice.
    if (!state.idempotencyKey || state.editedSinceSend) { state.idempotencyKey = Site.randomId(); }
    state.editedSinceSend = false;
    state.sending = true;
    sendButton.disabled = true;
    sendButton.setAttribute("aria-busy", "true");
    Site.announce(gettext("Sending your report…"));
    Site.request(urls.report, { method: "POST", body: body, headers: { "Idempotency-Key": state.idempotencyKey } })
      .then(function (answer) {
        state.sending = false;
        sendButton.disabled = false;
        sendButton.removeAttribute("aria-busy");
        if (answer.status === 0) {
          showError("form", gettext("The server could not be reached. Nothing you typed is lost: try again."));
          Site.announce($("error-form").textContent);
          return;
        }
        state.idempotencyKey = null;
        if (answer.ok) { showResult(answer.data[0]); return; }
        showErrors(Array.isArray(answer.data) ? answer.data : [{ description: gettext("The report could not be sent; try again.") }]);
      });
  });

  function showErrors(list) {
    var first = errors.report(list, "");
    Site.announce(gettext("The report was not sent: see the message next to the field."));
    window.FormErrors.focus(first);
  }

  function showResult(result) {
    var id = result.service_request_id;
    $("report-reference").textContent = id;
    $("report-notice").textContent = result.service_notice || "";
    $("report-link").setAttribute("href", issueUrl(urls.issuePage, id));
    form.hidden = true;
    var section = $("report-result");
    section.hidden = false;
    section.focus();
    Site.announce(Site.format(gettext("Your report is in. Its reference number is %(id)s."), { id: id }));
    reportedListeners.forEach(function (listener) {
      listener({ id: id, lat: Number(lat.value), lon: Number(lon.value), serviceCode: select.value });
    });
  }

  $("report-another").addEventListener("click", function () {
    form.reset();
    [lat, lon, addressString, addressId].forEach(function (input) { input.value = ""; });
    renderAttributes(null);
    $("category-description").textContent = "";
    $("nearby").hidden = true;
    state.nearbyFor = "";
    setStatus(gettext("No place chosen yet."), false);
    locationListeners.forEach(function (listener) { listener(null, null, {}); });
    $("report-result").hidden = true;
    form.hidden = false;
    addressQuery.focus();
  });

  window.ReportForm = {
    setLocation: setLocation,
    onLocation: function (listener) { locationListeners.push(listener); },
    onReported: function (listener) { reportedListeners.push(listener); }
  };
})();
