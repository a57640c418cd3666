// Quiz attempt page: saves answers as the learner goes, and shows the time left.
// Everything also works without this script (the "Lagre svarene" and "Lever testen" buttons).
(function () {
  "use strict";
  var form = document.querySelector("[data-quiz-form]");
  if (!form) return;
  var status = form.querySelector("[data-save-status]");
  var pending = null;
  var inFlight = null;
  // Once the learner hands in, the submission carries every answer: a save still waiting or on its
  // way changes nothing (the server ignores a save after the submission) and must not show an error.
  var submitting = false;

  function questionErrors(errors) {
    form.querySelectorAll("[data-question]").forEach(function (item) {
      var node = item.querySelector("[data-question-error]");
      if (!node) return;
      var message = errors[item.dataset.question];
      var fields = item.querySelectorAll("select, input:not([type=hidden])");
      if (message) {
        node.textContent = "";
        var prefix = document.createElement("strong");
        prefix.textContent = form.dataset.errorPrefix;
        node.appendChild(prefix);
        node.appendChild(document.createTextNode(" " + message));
        node.hidden = false;
        fields.forEach(function (field) {
          field.setAttribute("aria-invalid", "true");
          field.setAttribute("aria-describedby", node.id);
        });
      } else if (!node.hidden) {
        node.hidden = true;
        node.textContent = "";
        fields.forEach(function (field) {
          field.removeAttribute("aria-invalid");
          field.removeAttribute("aria-describedby");
        });
      }
    });
  }

  function save() {
    if (submitting) return;
    var data = new FormData(form);
    data.set("action", "save");
    var controller = window.AbortController ? new AbortController() : null;
    inFlight = controller;
    // The form posts to its own page; form.action would find the buttons named "action".
    return fetch(window.location.href, {
      method: "POST",
      body: data,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) { return response.json().then(function (body) { return { ok: response.ok, body: body }; }); })
      .then(function (result) {
        if (submitting) return;
        if (result.ok && result.body.ok) {
          questionErrors({});
          status.textContent = result.body.closed
            ? form.dataset.closedText
            : form.dataset.savedText + " " + result.body.at;
        } else if (result.body.errors) {
          questionErrors(result.body.errors); // at their questions; the page keeps the learner's place
          status.textContent = "";
        } else {
          status.textContent = result.body.error || form.dataset.errorText;
        }
      })
      .catch(function () { if (!submitting) status.textContent = form.dataset.errorText; });
  }

  form.addEventListener("change", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(save, 400);
  });
  form.addEventListener("submit", function (event) {
    if (!event.submitter || event.submitter.value !== "submit") return;
    submitting = true;
    window.clearTimeout(pending);
    if (inFlight) inFlight.abort();
  });

  // Time limit: a visible countdown, and two spoken warnings (5 and 1 minute left) rather than
  // announcing every second. At the deadline the answers are handed in automatically.
  var deadlineNode = document.querySelector("[data-quiz-deadline]");
  if (!deadlineNode) return;
  var deadline = new Date(deadlineNode.dataset.quizDeadline).getTime();
  var left = deadlineNode.querySelector("[data-time-left]");
  var announcer = document.querySelector("[data-time-announcer]");
  var warned = {};
  var lang = document.documentElement.lang;
  function minutesText(n) {
    if (lang === "en") return n === 1 ? "1 minute left." : n + " minutes left.";
    return n === 1 ? "1 minutt igjen." : n + " minutter igjen.";
  }
  function tick() {
    var ms = deadline - Date.now();
    if (ms <= 0) {
      window.clearInterval(timer);
      var submit = form.querySelector("[data-submit-button]");
      if (submit) submit.click();
      return;
    }
    var minutes = Math.floor(ms / 60000);
    var seconds = Math.floor((ms % 60000) / 1000);
    left.textContent = "(" + minutes + ":" + (seconds < 10 ? "0" : "") + seconds + ")";
    [5, 1].forEach(function (mark) {
      if (minutes < mark && !warned[mark] && ms > 0) {
        warned[mark] = true;
        announcer.textContent = minutesText(mark);
      }
    });
  }
  var timer = window.setInterval(tick, 1000);
  tick();
})();
