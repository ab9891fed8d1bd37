/* FormErrors: the API's errors next to the form's fields. An error names its field in `parameter` and its kind
 * in `code` (Open311: `error_code`); the form's own words are chosen from the code, else the server's message
 * (in the page's language) is shown. A field's message goes in #error-<field> and marks its input
 * aria-invalid; an error of no field goes in the form's slot. Nothing typed is cleared.
 *
 * FormErrors.create(form, {fieldOf(parameter) -> field or "form", inputOf(field), message(field, error),
 * formSlot}) -> {show(field, text), clear(field), clearAll(), report(errors, fallback)}; FormErrors.focus(element).
 * inputOf defaults to the element whose id is the field; formSlot to "error-form". */
(function () {
  "use strict";

  function $(id) { return document.getElementById(id); }

  /* Focus an input, or a message slot (made focusable for that). */
  function focus(element) {
    if (!element) { return; }
    if (element.tabIndex < 0 && !element.hasAttribute("tabindex")) { element.setAttribute("tabindex", "-1"); }
    element.focus();
  }

  function create(form, options) {
    var formSlot = options.formSlot || "error-form";
    function inputOf(field) {
      if (field === "form") { return null; }
      return options.inputOf ? options.inputOf(field) : $(field);
    }
    function slotOf(field) { return (field !== "form" && $("error-" + field)) || $(formSlot); }

    function show(field, text) {
      slotOf(field).textContent = text;
      var input = inputOf(field);
      if (input) { input.setAttribute("aria-invalid", "true"); }
      return input;
    }

    function clear(field) {
      var slot = $("error-" + field);
      if (slot) { slot.textContent = ""; }
      var input = inputOf(field);
      if (input) { input.removeAttribute("aria-invalid"); }
    }

    function clearAll() {
      Array.prototype.forEach.call(form.querySelectorAll(".field-error, .form-error"), function (slot) { slot.textContent = ""; });
      if ($(formSlot)) { $(formSlot).textContent = ""; }
      Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (input) { input.removeAttribute("aria-invalid"); });
    }

    /* Each error next to its field; returns the first input (or the slot of an error of no field). */
    function report(errors, fallback) {
      var first = null;
      errors.forEach(function (error) {
        var field = options.fieldOf(error.parameter || "") || "form";
        var own = options.message ? options.message(field, error) : "";
        var text = own || (field === "form"
          ? error.detail || error.message || error.description || fallback
          : error.message || error.description || error.detail || fallback);
        first = first || show(field, String(text)) || slotOf(field);
      });
      return first;
    }

    return { show: show, clear: clear, clearAll: clearAll, report: report };
  }

  window.FormErrors = { create: create, focus: focus };
})();
