/* A proposal's page: its place on a map with the open reports near it, the support button, and the threaded
 * comments (a reply is sent with its parent's id). Answers of the server are shown as they come, as text. */
(function () {
  "use strict";
  var Site = window.Site;
  var L = window.L;
  var page = Site.page;
  function $(id) { return document.getElementById(id); }

  if ($("proposal-map") && page.geometry) {
    var map = window.SiteMap.create($("proposal-map"), { label: gettext("The place of the proposal and the open reports near it") });
    window.proposalMap = map;
    var shape = L.geoJSON({ type: "Feature", geometry: JSON.parse(page.geometry), properties: {} }, {
      style: function () { return { className: "proposal-shape" }; },
      pointToLayer: function (feature, latlng) { return L.circleMarker(latlng, { radius: 9, className: "proposal-shape" }); }
    }).addTo(map);
    map.fitBounds(shape.getBounds().pad(0.6), { maxZoom: 17 });
    page.nearby.forEach(function (issue) {
      L.circleMarker([issue.lat, issue.lon], { radius: 6, className: "nearby-report" })
        .bindPopup(window.SiteMap.popup([{ title: issue.category },
          { link: page.urls.issuePage.replace("/0/", "/" + issue.id + "/"), text: gettext("Open the report") }]))
        .addTo(map);
    });
  }

  function errorText(answer) {
    if (answer.status === 0) { return gettext("The server could not be reached; try again."); }
    var data = answer.data || {};
    if (typeof data === "string") { return data; }
    return Object.keys(data).map(function (key) { return Array.isArray(data[key]) ? data[key].join(" ") : String(data[key]); }).join(" ")
      || Site.format(gettext("Refused (error %(status)s)."), { status: answer.status });
  }

  var supportButton = $("support-button");
  if (supportButton) {
    supportButton.addEventListener("click", function () {
      supportButton.disabled = true;
      Site.request(page.urls.supports, { method: "POST", body: {} }).then(function (answer) {
        var result = $("support-result");
        if (answer.ok) {
          var count = answer.data && answer.data.support_count;
          if (typeof count === "number") {
            $("support-count").textContent = Site.format(ngettext("%(count)s person supports this proposal.",
              "%(count)s people support this proposal.", count), { count: count });
          }
          result.textContent = gettext("Thank you, your support is counted.");
          result.classList.remove("field-error");
          supportButton.hidden = true;
          if ($("support-withdraw-form")) { $("support-withdraw-form").hidden = false; }  // withdrawn by a plain form
          return;
        }
        supportButton.disabled = false;
        result.textContent = errorText(answer);
        result.classList.add("field-error");
      });
    });
  }

  var form = $("comment-form");
  if (!form) { return; }
  var parent = $("comment-parent");

  function replyTo(id) {
    parent.value = id || "";
    $("reply-to").hidden = !id;
    if (id) {
      var author = document.querySelector("#comment-" + id + " .comment__author");
      $("reply-to-text").textContent = Site.format(gettext("Replying to %(name)s."), { name: author ? author.textContent : "" });
    }
    $("comment-body").focus();
  }

  $("comments").addEventListener("click", function (event) {
    var button = event.target.closest("[data-reply-to]");
    if (button) { replyTo(button.dataset.replyTo); }
  });
  $("reply-cancel").addEventListener("click", function () { replyTo(null); });

  function commentItem(comment) {
    var item = Site.el("li", { class: "comment", id: "comment-" + comment.id, "data-comment": comment.id }, [
      Site.el("p", {}, [Site.el("span", { class: "comment__author", text: comment.author || "" }), " ",
        Site.el("time", { datetime: comment.created_at, text: Site.formatDate(comment.created_at, true) })]),
      Site.el("p", { class: "user-text comment__body", text: comment.body }),
      Site.el("button", { type: "button", class: "button-link comment__reply", "data-reply-to": comment.id, text: gettext("Reply") })
    ]);
    return item;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var body = $("comment-body").value.trim();
    $("error-comment").textContent = "";
    if (!body) { $("error-comment").textContent = gettext("Write your comment first."); $("comment-body").focus(); return; }
    $("comment-send").disabled = true;
    var sent = { body: body };
    if (parent.value) { sent.parent = Number(parent.value); }
    Site.request(page.urls.comments, { method: "POST", body: sent }).then(function (answer) {
      $("comment-send").disabled = false;
      if (!answer.ok) { $("error-comment").textContent = errorText(answer); $("comment-body").focus(); return; }
      var comment = answer.data;
      var item = commentItem({ id: comment.id, author: gettext("You"), body: comment.body || body,
                               created_at: comment.created_at });
      var list = $("comments");
      if (parent.value) {
        var host = $("comment-" + parent.value);
        list = host.querySelector(":scope > .comment-replies");
        if (!list) { list = Site.el("ul", { class: "comment-replies list-plain" }); host.appendChild(list); }
      }
      list.appendChild(item);
      var count = document.querySelectorAll("#comments .comment__body").length;
      $("comments-title").textContent = Site.format(ngettext("%(count)s comment", "%(count)s comments", count), { count: count });
      $("comment-body").value = "";
      replyTo(null);
      Site.announce(gettext("Your comment is published."));
    });
  });
})();
