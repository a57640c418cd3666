// Progress of a required-learning re-check or staff import: polls the job's status while it runs.
// Without JavaScript the page offers a plain «Oppdater siden» link instead.
(function () {
  "use strict";
  var box = document.getElementById("sync-job");
  if (!box || box.dataset.finished === "true" || !window.fetch) return;
  var progress = document.getElementById("sync-job-progress");
  var text = document.getElementById("sync-job-text");
  function poll() {
    fetch(box.dataset.statusUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (job) {
        progress.max = job.total;
        progress.value = job.done;
        if (text.textContent !== job.text) text.textContent = job.text;
        if (job.status === "failed") {
          window.location.reload();
        } else if (!job.finished) {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
