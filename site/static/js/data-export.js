// «Mine data»: while the copy is being made, ask the server how far it has come and move the
// progress bar; when it is ready, load the page again so it shows the download link. Without
// this script the page has a link to refresh it by hand.
(function () {
  "use strict";
  var section = document.querySelector("[data-data-export]");
  if (!section) return;
  var bar = section.querySelector("[data-data-export-progress]");
  if (!bar) return;
  var url = section.dataset.dataExport;
  var delay = 1500;

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) return;
        if (state.status === "pending" || state.status === "running") {
          bar.value = state.progress;
          bar.textContent = state.progress + " %";
          delay = Math.min(delay * 1.3, 10000);
          window.setTimeout(poll, delay);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { window.setTimeout(poll, 10000); });
  }

  window.setTimeout(poll, delay);
})();
