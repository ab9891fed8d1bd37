/* The proposal form, on the map (page.withMap) or without it. The place is drawn on the map (core's MapDraw: a point, a
 * line or an area, by tapping or with the map's centre from the keyboard), found by the address search (a point), or
 * left empty (the whole city). "Check and publish" first asks for similar proposals (same place or like title); when
 * there are some, they are listed with a link to each, and the next press publishes. Errors from the server are shown
 * next to their fields; nothing typed is lost. */
(function () {
  "use strict";
  var Site = window.Site;
  var L = window.L;
  var page = Site.page;
  var urls = page.urls;
  function $(id) { return document.getElementById(id); }
  var form = $("proposal-form");
  if (!form) { return; }
  var status = $("place-status");
  var similarBox = $("similar");
  var similarList = $("similar-list");
  var addressQuery = $("address-query");
  var addressResults = $("address-results");
  var geometry = null;          // the chosen place (GeoJSON), or null for the whole city
  var similarShownFor = null;   // the text and place the similar list was made for: a second press publishes

  var map = null, drawing = null, shapeLayer = null;

  function setStatus(text, warning) {
    status.textContent = text;
    status.classList.toggle("location-status--warning", Boolean(warning));
  }

  function describe(kind, count) {
    if (kind === "point") { return gettext("A point is chosen."); }
    if (kind === "line") { return Site.format(ngettext("A line of %(count)s point is drawn.", "A line of %(count)s points is drawn.", count), { count: count }); }
    return Site.format(ngettext("An area of %(count)s corner is drawn.", "An area of %(count)s corners is drawn.", count), { count: count });
  }

  function showShape(shape) {
    geometry = shape;
    if (!map) { return; }
    if (shapeLayer) { map.removeLayer(shapeLayer); }
    shapeLayer = shape ? window.MapDraw.layerFor(shape, "proposal-shape").addTo(map) : null;
  }

  function chosenKind() {
    var checked = form.querySelector("input[name=geometry_kind]:checked");
    return checked ? checked.value : "point";
  }

  function startDrawing() {
    if (!map) { return; }
    if (drawing && drawing.isActive()) { drawing.cancel(); }
    showShape(null);
    var kind = chosenKind();
    if (kind === "none") {
      drawing = null;
      setStatus(gettext("The proposal is about the whole city."));
      return;
    }
    setStatus({ point: gettext("Tap the map where it should be."), line: gettext("Tap the map at each point of the line, then finish."),
                polygon: gettext("Tap the map at each corner of the area, then finish.") }[kind]);
    drawing = window.MapDraw.start(map, kind, {
      onChange: function (count) { if (count && kind !== "point") { setStatus(describe(kind, count)); } },
      onFinish: function (shape) {
        showShape(shape);
        var count = kind === "polygon" ? shape.coordinates[0].length - 1 : kind === "line" ? shape.coordinates.length : 1;
        setStatus(describe(kind, count) + " " + gettext("Press Start again to change it."));
        $("error-geometry").textContent = "";
        Site.announce(status.textContent);
      }
    });
  }

  if (page.withMap && $("proposal-map")) {
    map = window.SiteMap.create($("proposal-map"), { label: gettext("Map: draw the place of your proposal") });
    window.proposalMap = map;
    Array.prototype.forEach.call(form.querySelectorAll("input[name=geometry_kind]"), function (radio) {
      radio.addEventListener("change", startDrawing);
    });
    $("draw-centre").addEventListener("click", function () { if (drawing) { drawing.addAtCentre(); } });
    $("draw-undo").addEventListener("click", function () { if (drawing) { drawing.undo(); } });
    $("draw-finish").addEventListener("click", function () {
      if (drawing && drawing.isActive() && !drawing.finish()) {
        setStatus(Site.format(gettext("Add at least %(count)s points first."), { count: window.MapDraw.minimum[drawing.kind] }), true);
      }
    });
    $("draw-restart").addEventListener("click", startDrawing);
    startDrawing();
  }

  /* Address search: a place found becomes the proposal's point (and, on the map, the view moves there). */
  window.PlaceSearch.attach({
    url: urls.places, query: addressQuery, button: $("address-search"), results: addressResults,
    onChoose: choosePlace, onNone: function (message) { setStatus(message, true); }
  });

  function choosePlace(feature, name) {
    var c = feature.geometry.coordinates;
    var point = feature.geometry.type === "Point" ? c : null;
    if (!point) { return; }
    if (map) {
      map.setView([point[1], point[0]], 17);
      var radio = form.querySelector("input[name=geometry_kind][value=point]");
      if (radio) { radio.checked = true; }
      if (drawing && drawing.isActive()) { drawing.cancel(); }
    }
    showShape({ type: "Point", coordinates: [point[0], point[1]] });
    setStatus(Site.format(gettext("The place: %(name)s."), { name: name }));
    status.focus();
  }

  /* Errors: cleared before each send; "place" is drawn in the geometry's slot; others go at the form's end. */
  var errors = window.FormErrors.create(form, {
    fieldOf: function (parameter) {
      return parameter === "place" ? "geometry" : ["title", "body", "category"].indexOf(parameter) !== -1 ? parameter : "form";
    }
  });

  function showErrors(answer) {
    if (answer.status === 0) { $("error-form").textContent = gettext("The server could not be reached. Your proposal is kept: try again."); return; }
    var error = answer.data && typeof answer.data === "object" ? answer.data : {};
    var first = errors.report([error], Site.format(gettext("The proposal was not accepted (error %(status)s)."), { status: answer.status }));
    (first || $("error-form")).focus();
  }

  function payload() {
    return { title: $("title").value.trim(), body: $("body").value.trim(), category: $("category").value || "", place: geometry,
             publish: true };
  }

  function showSimilar(items) {
    Site.clear(similarList);
    items.forEach(function (item) {
      var link = Site.el("a", { href: urls.proposalPage.replace("/0/", "/" + item.id + "/"), text: item.title });
      var support = Site.format(ngettext("%(count)s support", "%(count)s supports", item.support_count || 0), { count: item.support_count || 0 });
      similarList.appendChild(Site.el("li", { class: "similar-item" }, [link, " ", Site.el("span", { class: "hint-inline", text: "(" + support + ")" })]));
    });
    similarBox.hidden = false;
    similarBox.focus();
    $("publish").textContent = gettext("Publish mine anyway");
    Site.announce(Site.format(ngettext("%(count)s similar proposal found.", "%(count)s similar proposals found.", items.length), { count: items.length }));
  }

  function publish(body) {
    $("publish").disabled = true;
    Site.request(urls.create, { method: "POST", body: body }).then(function (answer) {
      $("publish").disabled = false;
      if (!answer.ok) { showErrors(answer); return; }
      var created = answer.data;
      form.hidden = true;
      var result = $("proposal-result");
      $("proposal-link").href = urls.proposalPage.replace("/0/", "/" + created.id + "/");
      var names = (created.districts || []).map(function (d) { return Site.pick(d, "name") || d.code || d; });
      $("proposal-districts").textContent = names.length
        ? Site.format(gettext("Districts: %(names)s."), { names: names.join(", ") }) : "";
      result.hidden = false;
      result.focus();
      Site.announce(result.textContent);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    errors.clearAll();
    if (drawing && drawing.isActive() && drawing.ready()) { drawing.finish(); }
    if (map && chosenKind() !== "none" && !geometry) {
      $("error-geometry").textContent = gettext("Draw the place on the map first, or choose The whole city.");
      status.focus();
      return;
    }
    var body = payload();
    var key = JSON.stringify([body.title, body.body, body.place]);
    if (similarShownFor === key) { publish(body); return; }
    if (!body.title) { publish(body); return; }  // the server names what is missing
    Site.request(urls.similar, { method: "POST", body: { title: body.title, body: body.body, place: body.place } }).then(function (answer) {
      var items = answer.ok && Array.isArray(answer.data) ? answer.data : [];
      if (items.length) {
        similarShownFor = key;
        showSimilar(items);
        return;
      }
      publish(body);
    });
  });
})();
