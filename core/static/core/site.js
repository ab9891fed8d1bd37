/* Site: what every page's script shares: the page configuration (the JSON blocks #site-config and
 * #page-config, never executed), building DOM from text only (what users typed is never parsed as
 * HTML), the live region, and JSON requests that carry the CSRF token.
 * Texts are translated with gettext() and ngettext() from Django's JavaScript catalog (/jsi18n/, loaded
 * first by core/base.html); `make messages` extracts them into each app's locale/el/LC_MESSAGES/djangojs.po. */
(function () {
  "use strict";

  function readJSON(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : {};
  }

  var config = readJSON("site-config");

  /* "Found %(count)s places" with {count: 3}: values are inserted as text. */
  function format(template, values) {
    return template.replace(/%\(([a-z_]+)\)s/g, function (match, name) {
      return values && values[name] !== undefined && values[name] !== null ? String(values[name]) : "";
    });
  }

  /* el("a", {href: url, class: "x", text: "label"}, [children]): children are nodes or strings (as text). */
  function el(tag, attributes, children) {
    var element = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      var value = attributes[name];
      if (value === undefined || value === null || value === false) { return; }
      if (name === "text") { element.textContent = String(value); }
      else if (name === "class") { element.className = value; }
      else if (name === "dataset") { Object.keys(value).forEach(function (key) { element.dataset[key] = value[key]; }); }
      else if (name === "style" || name.indexOf("on") === 0 || name === "innerHTML") {
        throw new Error("el(): " + name + " is not allowed (CSP, and text only)");
      }
      else { element.setAttribute(name, value === true ? "" : String(value)); }
    });
    (children || []).forEach(function (child) {
      if (child === undefined || child === null || child === false) { return; }
      element.appendChild(typeof child === "string" || typeof child === "number"
        ? document.createTextNode(String(child)) : child);
    });
    return element;
  }

  function clear(element) {
    while (element.firstChild) { element.removeChild(element.firstChild); }
    return element;
  }

  /* Say something to screen-reader users through the page's polite live region. */
  function announce(message) {
    var region = document.getElementById("announcer");
    if (!region) { return; }
    region.textContent = "";
    window.setTimeout(function () { region.textContent = message; }, 50);
  }

  /* fetch with JSON answers: resolves {ok, status, data, headers}; a network failure gives status 0. */
  function request(url, options) {
    options = options || {};
    var headers = Object.assign({ "Accept": "application/json" }, options.headers || {});
    var method = (options.method || "GET").toUpperCase();
    if (method !== "GET" && method !== "HEAD") { headers["X-CSRFToken"] = config.csrfToken; }
    var body = options.body;
    if (body && !(body instanceof FormData) && typeof body !== "string") {
      body = JSON.stringify(body);
      headers["Content-Type"] = "application/json";
    }
    return fetch(url, { method: method, headers: headers, body: body, credentials: "same-origin" })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        var parse = type.indexOf("json") !== -1 ? response.json() : response.text();
        return parse.then(function (data) {
          return { ok: response.ok, status: response.status, data: data, headers: response.headers };
        }, function () {
          return { ok: response.ok, status: response.status, data: null, headers: response.headers };
        });
      }, function () {
        return { ok: false, status: 0, data: null, headers: null };
      });
  }

  /* The name of a thing in the page's language: pick(category, "name") reads name_en or name_el. */
  function pick(item, base) {
    if (!item) { return ""; }
    var other = config.lang === "en" ? "el" : "en";
    return item[base + "_" + config.lang] || item[base + "_" + other] || item[base] || "";
  }

  function formatDate(iso, withTime) {
    if (!iso) { return ""; }
    var date = new Date(iso);
    if (isNaN(date.getTime())) { return String(iso); }
    var options = { year: "numeric", month: "short", day: "numeric", timeZone: "Europe/Athens" };
    if (withTime) { options.hour = "2-digit"; options.minute = "2-digit"; }
    return date.toLocaleString(config.lang === "en" ? "en-GB" : "el-GR", options);
  }

  function randomId() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  /* One id per browser for "me too" supports (the server counts one per device). */
  function deviceId() {
    var key = "gis-portal-device-id";
    var id = null;
    try { id = window.localStorage.getItem(key); } catch (error) { id = null; }
    if (!id) {
      id = "web-" + randomId();
      try { window.localStorage.setItem(key, id); } catch (error) { /* private mode: one per page */ }
    }
    return id;
  }

  window.Site = {
    config: config,
    page: readJSON("page-config"),
    lang: config.lang,
    format: format,
    el: el,
    clear: clear,
    announce: announce,
    request: request,
    pick: pick,
    formatDate: formatDate,
    randomId: randomId,
    deviceId: deviceId
  };
})();
