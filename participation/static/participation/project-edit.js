/* The staff's project page: the record's form sent as PATCH /api/participation/implementations/<id> (only what
 * changed), a new milestone as POST …/milestones and then each chosen photo as POST /api/participation/milestones/
 * <id>/photos; refusals shown next to their fields (FormErrors). Page configuration: record, milestones,
 * milestonePhotos ("/…/0/photos"), projectPage. */
(function () {
  "use strict";
  var Site = window.Site;
  var page = Site.page;
  function $(id) { return document.getElementById(id); }
  var FIELDS = ["status", "progress", "starts_on", "ends_on", "spent", "department", "cancel_reason"];
  var NUMBERS = { progress: true, spent: true };
  var recordForm = $("record-form");
  var recordErrors = window.FormErrors.create(recordForm, {
    fieldOf: function (parameter) { return FIELDS.indexOf(parameter) !== -1 ? parameter : "form"; } });
  var initial = values();

  function values() {
    var out = {};
    FIELDS.forEach(function (name) {
      var raw = $(name).value.trim();
      if (NUMBERS[name]) { out[name] = raw === "" ? raw : Number(raw); }
      else if (name === "starts_on" || name === "ends_on") { out[name] = raw || null; }
      else { out[name] = raw; }
    });
    return out;
  }

  recordForm.addEventListener("submit", function (event) {
    event.preventDefault();
    recordErrors.clearAll();
    $("record-saved").textContent = "";
    var now = values();
    var body = {};
    FIELDS.forEach(function (name) { if (now[name] !== initial[name]) { body[name] = now[name]; } });
    Site.request(page.record, { method: "PATCH", body: body }).then(function (answer) {
      if (!answer.ok) {
        window.FormErrors.focus(recordErrors.report([answer.data || {}], gettext("Not saved; try again.")));
        return;
      }
      initial = now;
      $("record-saved").textContent = gettext("Saved.");
      Site.announce(gettext("Saved."));
    });
  });

  var milestoneForm = $("milestone-form");
  var milestoneFields = ["date", "text_el", "text_en", "photo"];
  var milestoneErrors = window.FormErrors.create(milestoneForm, { formSlot: "error-milestone-form",
    fieldOf: function (parameter) { return milestoneFields.indexOf(parameter) !== -1 ? parameter : "form"; } });

  milestoneForm.addEventListener("submit", function (event) {
    event.preventDefault();
    milestoneErrors.clearAll();
    var body = { date: $("date").value || null, text_el: $("text_el").value, text_en: $("text_en").value };
    Site.request(page.milestones, { method: "POST", body: body }).then(function (answer) {
      if (!answer.ok) {
        window.FormErrors.focus(milestoneErrors.report([answer.data || {}], gettext("Not saved; try again.")));
        return null;
      }
      var url = page.milestonePhotos.replace("/0/", "/" + answer.data.id + "/");
      var files = Array.prototype.slice.call($("photo").files || []);
      return files.reduce(function (previous, file) {
        return previous.then(function (ok) {
          if (!ok) { return false; }
          var data = new FormData();
          data.append("photo", file);
          return Site.request(url, { method: "POST", body: data }).then(function (sent) {
            if (!sent.ok) { milestoneErrors.report([sent.data || {}], gettext("The photo was not saved.")); }
            return sent.ok;
          });
        });
      }, Promise.resolve(true)).then(function (ok) {
        if (ok) { window.location.assign(page.projectPage); }
      });
    });
  });
})();
