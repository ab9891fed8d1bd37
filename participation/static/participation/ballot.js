/* The ballot page: a running total of the chosen projects against the budget (knapsack) or against the number
 * of projects a voter may choose (approval), said in words next to the list and to screen readers, and a ballot
 * over either limit is refused before it is sent; the server checks it again and its answer is shown as it is.
 * Page configuration: ballot {style: "knapsack"|"approval", budget, maxChoices}, urls.vote. */
(function () {
  "use strict";
  var Site = window.Site;
  var page = Site.page;
  var form = document.getElementById("ballot-form");
  if (!form) { return; }
  var totalBox = document.getElementById("ballot-total");
  var message = document.getElementById("ballot-message");
  var result = document.getElementById("ballot-result");
  var meter = document.getElementById("ballot-meter");
  var ballot = page.ballot;
  var money = new Intl.NumberFormat(Site.lang === "en" ? "en-GB" : "el-GR",
    { style: "currency", currency: "EUR", maximumFractionDigits: 0 });

  function chosen() {
    return Array.prototype.filter.call(form.querySelectorAll("input[name=project]"), function (box) { return box.checked; });
  }

  /* {count, spent, over, text}: over is the amount (knapsack) or the number of projects (approval) past the limit. */
  function tally() {
    var boxes = chosen();
    var spent = boxes.reduce(function (sum, box) { return sum + Number(box.dataset.cost); }, 0);
    if (ballot.style === "knapsack") {
      var minimum = Math.ceil(ballot.budget * (ballot.minimumShare || 0) / 100);
      return {
        count: boxes.length, spent: spent, over: Math.max(0, spent - ballot.budget),
        short: boxes.length ? Math.max(0, minimum - spent) : 0, minimum: minimum,
        text: Site.format(gettext("%(spent)s of %(budget)s chosen, %(left)s left"), {
          spent: money.format(spent), budget: money.format(ballot.budget), left: money.format(Math.max(0, ballot.budget - spent))
        })
      };
    }
    return {
      count: boxes.length, spent: spent, over: Math.max(0, boxes.length - ballot.maxChoices), short: 0,
      text: Site.format(ngettext("%(count)s of %(max)s project chosen", "%(count)s of %(max)s projects chosen", ballot.maxChoices),
        { count: boxes.length, max: ballot.maxChoices })
    };
  }

  function overText(state) {
    if (ballot.style === "knapsack") {
      return Site.format(gettext("Over the budget by %(over)s: remove a project or choose a cheaper one."), { over: money.format(state.over) });
    }
    return Site.format(ngettext("You may choose at most %(max)s project: remove %(over)s.",
      "You may choose at most %(max)s projects: remove %(over)s.", ballot.maxChoices), { max: ballot.maxChoices, over: state.over });
  }

  function shortText(state) {
    return Site.format(gettext("A ballot spends at least %(minimum)s: add projects worth %(short)s."),
      { minimum: money.format(state.minimum), short: money.format(state.short) });
  }

  function update(announceIt) {
    var state = tally();
    totalBox.textContent = state.text;
    var limit = ballot.style === "knapsack" ? ballot.budget : ballot.maxChoices;
    var used = ballot.style === "knapsack" ? state.spent : state.count;
    if (meter) { meter.max = limit; meter.value = Math.min(used, limit); }
    form.classList.toggle("ballot--over", state.over > 0);
    message.textContent = state.over > 0 ? overText(state) : state.short > 0 ? shortText(state) : "";
    message.className = state.over > 0 ? "notice notice--error" : state.short > 0 ? "notice notice--warning" : "";
    if (announceIt) { Site.announce(state.over > 0 ? overText(state) : state.text); }
    return state;
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "project") { update(true); }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var state = update(false);
    result.hidden = true;
    if (state.over > 0) {
      message.textContent = overText(state);
      message.focus();
      return;
    }
    if (state.short > 0) {
      message.className = "notice notice--error";
      message.textContent = shortText(state);
      message.focus();
      return;
    }
    if (!state.count) {
      message.className = "notice notice--error";
      message.textContent = gettext("Choose at least one project.");
      message.focus();
      return;
    }
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    Site.request(page.urls.vote, {
      method: "PUT",  // the voter's one ballot, cast or changed
      body: { projects: chosen().map(function (box) { return Number(box.value); }) }
    }).then(function (answer) {
      button.disabled = false;
      if (answer.ok) {
        message.textContent = "";
        message.className = "";
        result.hidden = false;
        result.focus();
        Site.announce(result.textContent);
        return;
      }
      message.className = "notice notice--error";
      message.textContent = errorText(answer);
      message.focus();
    });
  });

  function errorText(answer) {
    if (answer.status === 0) { return gettext("The server could not be reached. Your choices are kept: try again."); }
    var data = answer.data || {};
    if (typeof data === "string") { return data; }
    var parts = [];
    ["detail", "projects", "non_field_errors", "ballot"].forEach(function (key) {
      var value = data[key];
      if (value) { parts.push(Array.isArray(value) ? value.join(" ") : String(value)); }
    });
    return parts.join(" ") || Site.format(gettext("The ballot was not accepted (error %(status)s)."), { status: answer.status });
  }

  update(false);
})();
