// Quiz attempt page: saves answers as the learner goes, and shows the time left.
// Everything also works without this script (the "Lagre svarene" and "Lever testen" buttons).
(function () {
  "use strict";
  var form = document.querySelector("[data-quiz-form]");
  if (!form) return;
  var status = form.querySelector("[data-save-status]");
  var pending = null;

  function save() {
    var data = new FormData(form);
    data.set("action", "save");
    // The form posts to its own page; form.action would find the buttons named "action".
    return fetch(window.location.href, {
      method: "POST",
      body: data,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) { return response.json().then(function (body) { return { ok: response.ok, body: body }; }); })
      .then(function (result) {
        if (result.ok && result.body.ok) {
          status.textContent = form.dataset.savedText + " " + result.body.at;
        } else {
          status.textContent = result.body.error || form.dataset.errorText;
        }
      })
      .catch(function () { status.textContent = form.dataset.errorText; });
  }

  form.addEventListener("change", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(save, 400);
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
