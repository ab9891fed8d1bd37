/* PlaceSearch: the address and landmark search of every form that asks for a place (/api/places/?q=). Enter in
 * the search field or its button asks the gazetteer; each place found is a button (its name, and its kind when
 * asked for); choosing one fills the field with its name, closes the list and hands the place to the form.
 *
 * PlaceSearch.attach({url, query, button, results, showKind, onChoose(feature, name), onStart(), onBlank(),
 * onFailure(answer), onNone(message)}): only url, query, button, results and onChoose are required. Without
 * onFailure a refused search counts as finding nothing. */
(function () {
  "use strict";
  var Site = window.Site;

  var KINDS = {
    street: gettext("street"), square: gettext("square"), landmark: gettext("landmark"), heritage: gettext("monument")
  };

  function attach(options) {
    var query = options.query;
    var results = options.results;

    function choose(feature, name) {
      query.value = name;
      Site.clear(results);
      results.hidden = true;
      options.onChoose(feature, name);
    }

    function button(feature) {
      var name = Site.pick(feature.properties, "name");
      var kind = feature.properties.kind;
      var element = Site.el("button", { type: "button", class: "choice" }, options.showKind
        ? [name, " ", Site.el("span", { class: "hint-inline", text: "(" + (KINDS[kind] || kind) + ")" })] : [name]);
      element.addEventListener("click", function () { choose(feature, name); });
      return element;
    }

    function search() {
      var text = query.value.trim();
      if (options.onStart) { options.onStart(); }
      if (!text) {
        query.focus();
        if (options.onBlank) { options.onBlank(); }
        return;
      }
      Site.request(options.url + "?q=" + encodeURIComponent(text)).then(function (answer) {
        Site.clear(results);
        if (!answer.ok && options.onFailure) { options.onFailure(answer); return; }
        var found = answer.ok ? (answer.data.features || []) : [];
        found.forEach(function (feature) { results.appendChild(Site.el("li", {}, [button(feature)])); });
        results.hidden = found.length === 0;
        var message = found.length
          ? Site.format(ngettext("%(count)s place found.", "%(count)s places found.", found.length), { count: found.length })
          : gettext("No place found. Try other words.");
        if (!found.length && options.onNone) { options.onNone(message); }
        Site.announce(message);
      });
    }

    query.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); search(); }
    });
    options.button.addEventListener("click", search);
    return { search: search };
  }

  window.PlaceSearch = { attach: attach };
})();
