// Runs inside the sandboxed player frame: start h5p-standalone and hand every
// xAPI statement to the module page, which sends it to the server.
(function () {
  "use strict";
  var options = JSON.parse(document.getElementById("h5p-options").textContent);
  var container = document.getElementById("h5p-container");
  new H5PStandalone.H5P(container, options.player).then(function () {
    H5P.externalDispatcher.on("xAPI", function (event) {
      window.parent.postMessage(
        { type: "helsepedagogikk:xapi", statement: event.data.statement },
        options.parentOrigin
      );
    });
  });
})();
