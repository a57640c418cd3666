// On a module page: receive xAPI statements from each sandboxed H5P frame and
// post them to the server with the learner's session and CSRF token.
(function () {
  "use strict";
  document.querySelectorAll("[data-h5p-activity]").forEach(function (figure) {
    var frame = figure.querySelector("iframe");
    var status = figure.querySelector("[role=status]");
    var csrfToken = figure.querySelector("input[name=csrfmiddlewaretoken]").value;
    var resize = function (height) { frame.style.height = Math.max(200, height) + "px"; };
    var done = function () {
      // The module page's status (what is left, or done) follows: see module-state.js.
      document.dispatchEvent(new CustomEvent("helsepedagogikk:activity-done", { detail: { block: figure.id } }));
    };
    // "Counts as done when opened": the server recorded it while serving the frame.
    if (figure.dataset.completionRule === "opened") frame.addEventListener("load", done);
    window.addEventListener("message", function (event) {
      if (event.source !== frame.contentWindow || !event.data) return;
      if (event.data.context === "h5p" && event.data.action === "prepareResize") {
        resize(event.data.scrollHeight);
      }
      if (event.data.type !== "helsepedagogikk:xapi") return;
      fetch(figure.dataset.xapiUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken },
        body: JSON.stringify({ statement: event.data.statement }),
      })
        .then(function (response) { return response.json(); })
        .then(function (result) {
          if (result.completed) {
            status.textContent = figure.dataset.completedText;
            done();
          } else if (result.ok) {
            status.textContent = figure.dataset.savedText;
          }
        })
        .catch(function () {});
    });
  });
})();
