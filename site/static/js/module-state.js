// On a module page with activities: when an activity reports that it is done (an H5P answer, a
// submitted reflection), or the page comes back from the browser's cache, ask the server for the
// module's status and show it: what is left to do, or that the module is complete. The server's
// ledger decides; without this script the page shows the same after a reload.
(function () {
  "use strict";
  var section = document.querySelector("[data-module-state]");
  if (!section) return;
  var body = section.querySelector("[data-module-state-body]");
  var announcer = section.querySelector("[data-module-state-announcer]");
  var last = null;

  function refresh(announce) {
    return fetch(section.dataset.moduleState, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      cache: "no-store",
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state || state.html === last) return;
        last = state.html;
        body.innerHTML = state.html;
        if (announce && announcer && state.announcement) announcer.textContent = state.announcement;
      })
      .catch(function () {});
  }

  document.addEventListener("helsepedagogikk:activity-done", function () { refresh(true); });
  window.addEventListener("pageshow", function (event) { if (event.persisted) refresh(false); });
})();
