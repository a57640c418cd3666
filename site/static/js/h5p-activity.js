// On a module page: receive xAPI statements from each sandboxed H5P frame and
// post them to the server with the learner's session and CSRF token.
//
// A message is taken only from the frame's own window, with the opaque origin
// ("null") of a sandboxed frame, or the player's own origin when the platform has
// one (data-player-origin, H5P_PLAYER_ORIGIN), and a statement is forwarded only
// if it is about that frame's activity (its object is the player's address on
// this origin), to that block's address, with the frame's token; the server
// checks all of it again.
(function () {
  "use strict";
  document.querySelectorAll("[data-h5p-activity]").forEach(function (figure) {
    var frame = figure.querySelector("iframe");
    var frameOrigin = figure.dataset.playerOrigin || "null";
    var status = figure.querySelector("[role=status]");
    var csrfToken = figure.querySelector("input[name=csrfmiddlewaretoken]").value;
    var resize = function (height) { frame.style.height = Math.max(200, height) + "px"; };
    var done = function () {
      // The module page's status (what is left, or done) follows: see module-state.js.
      document.dispatchEvent(new CustomEvent("helsepedagogikk:activity-done", { detail: { block: figure.id } }));
    };
    var queue = Promise.resolve();
    // What the frame says about itself (issue 13): the content is on the screen ("rendered", which
    // is what the «Åpnet» rule counts), or it could not be shown ("failure", reported for the
    // content's admin page). Sent as the frame said it, with its report token; the server checks.
    var report = function (url, message) {
      var body = { token: String(message.token || "") };
      if (message.type === "helsepedagogikk:failure") {
        body.kind = String(message.kind || "");
        body.detail = String(message.detail || "").slice(0, 500);
      }
      queue = queue.then(function () {
        return fetch(url, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken },
          body: JSON.stringify(body),
        })
          .then(function (response) { return response.json(); })
          .then(function (result) {
            if (result.completed && !completed) {
              completed = true;
              status.textContent = figure.dataset.completedText;
              done();
            }
          })
          .catch(function () {});
      });
    };
    var completed = false;
    var ownActivity = function (statement) {
      try {
        var object = new URL(statement.object.id);
        var player = new URL(frame.src, window.location.href);
        return object.origin === window.location.origin && object.pathname.replace(/\/$/, "") === player.pathname.replace(/\/$/, "");
      } catch (error) {
        return false;
      }
    };
    window.addEventListener("message", function (event) {
      if (event.source !== frame.contentWindow || event.origin !== frameOrigin || !event.data) return;
      if (event.data.context === "h5p" && event.data.action === "prepareResize") {
        resize(event.data.scrollHeight);
      }
      if (event.data.type === "helsepedagogikk:rendered") {
        // Content that was reported as not starting in time may still come on the screen.
        if (status.textContent === figure.dataset.failedText) status.textContent = "";
        report(figure.dataset.renderedUrl, event.data);
        return;
      }
      if (event.data.type === "helsepedagogikk:failure") {
        status.textContent = figure.dataset.failedText;
        report(figure.dataset.failureUrl, event.data);
        return;
      }
      if (event.data.type !== "helsepedagogikk:xapi") return;
      if (!event.data.statement || !ownActivity(event.data.statement)) return;
      var body = JSON.stringify({ statement: event.data.statement, token: String(event.data.token || "") });
      // One at a time, in the order the frame sent them, so an earlier statement's answer can
      // never overwrite a later one's (the server then also sees them in order).
      queue = queue.then(function () {
        return fetch(figure.dataset.xapiUrl, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken },
          body: body,
        })
          .then(function (response) { return response.json(); })
          .then(function (result) {
            if (result.completed) {
              completed = true;
              status.textContent = figure.dataset.completedText;
              done();
            } else if (result.ok && !completed) {
              status.textContent = figure.dataset.savedText;
            } else if (result.error && !completed) {
              status.textContent = result.error;  // in Norwegian from the server, e.g. reload the page
            }
          })
          .catch(function () {});
      });
    });
  });
})();
