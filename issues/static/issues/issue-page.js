/* A report's page (/issues/<id>/): its place on the map, "me too", and comments posted without a reload.
 * Comments come back from the server and are added as text, never as HTML. */
(function () {
  "use strict";
  var Site = window.Site;
  var SiteMap = window.SiteMap;
  var L = window.L;
  var config = Site.page;

  var container = document.getElementById("issue-map");
  if (container) {
    var map = SiteMap.create(container, { center: config.location, zoom: 17 });
    L.marker(config.location, { title: document.getElementById("issue-title").textContent.trim(), keyboard: false }).addTo(map);
  }

  var supportButton = document.getElementById("support-button");
  if (supportButton) {
    supportButton.addEventListener("click", function () {
      var result = document.getElementById("support-result");
      supportButton.disabled = true;
      Site.request(config.urls.supports, { method: "POST", body: { device_id: Site.deviceId() } }).then(function (answer) {
        if (answer.status === 201) {
          document.getElementById("support-count").textContent = Site.format(ngettext(
            "%(count)s person supports this report.", "%(count)s people support this report.", answer.data.supports),
            { count: answer.data.supports });
          supportButton.textContent = gettext("You support this report");
          result.textContent = gettext("Thank you: your support is counted.");
        } else if (answer.status === 409) {
          supportButton.textContent = gettext("You support this report");
          result.textContent = gettext("You already support this report.");
        } else {
          supportButton.disabled = false;
          result.textContent = answer.data && answer.data.detail ? answer.data.detail : gettext("That did not work; try again.");
        }
      });
    });
  }

  var form = document.getElementById("comment-form");
  if (!form) { return; }
  var fields = { text: document.getElementById("comment-text"), author_name: document.getElementById("comment-author") };

  var errors = window.FormErrors.create(form, {
    formSlot: "error-comment",
    fieldOf: function (parameter) { return fields[parameter] ? parameter : "form"; },
    inputOf: function (field) { return fields[field]; },
    message: function (field, error) { return field === "text" && error.code === "required" ? gettext("Write a comment first.") : ""; }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    errors.clearAll();
    var body = { text: fields.text.value, author_name: fields.author_name.value, device_id: Site.deviceId() };
    Site.request(config.urls.comments, { method: "POST", body: body }).then(function (answer) {
      if (answer.status === 201) {
        var comment = answer.data;
        var empty = document.getElementById("no-comments");
        if (empty) { empty.remove(); }
        document.getElementById("comments").appendChild(Site.el("li", { class: "comment" }, [
          Site.el("span", { class: "comment__author", text: comment.author_name || gettext("Anonymous") }),
          " · ",
          Site.el("time", { datetime: comment.created_at, text: Site.formatDate(comment.created_at, true) }),
          Site.el("p", { class: "user-text", text: comment.text })
        ]));
        fields.text.value = "";
        Site.announce(gettext("Your comment is posted."));
        return;
      }
      // the field from the error's `parameter`, the words from its `code` or the server's (in the page's language)
      var error = answer.data || {};
      var first = errors.report([error], gettext("The comment could not be posted; try again."));
      if (fields[error.parameter]) { first.focus(); }
    });
  });
})();
