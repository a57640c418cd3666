// Runs inside the sandboxed player frame: start h5p-standalone and hand every
// xAPI statement to the module page, which sends it to the server.
//
// The learner is an opaque account here (options.actor), never a name or an
// e-mail address: H5P's own actor is replaced by it, and every statement goes
// out with it and with the signed token of this frame (its learner, module,
// block and content), which the server checks.
(function () {
  "use strict";
  var options = JSON.parse(document.getElementById("h5p-options").textContent);
  var container = document.getElementById("h5p-container");
  var anonymous = function () {
    return JSON.parse(JSON.stringify(options.actor));
  };
  new H5PStandalone.H5P(container, options.player).then(function () {
    if (window.H5P && H5P.XAPIEvent) {
      H5P.XAPIEvent.prototype.setActor = function () {
        this.data.statement.actor = anonymous();
      };
    }
    H5P.externalDispatcher.on("xAPI", function (event) {
      var statement = event.data.statement;
      statement.actor = anonymous();
      window.parent.postMessage(
        { type: "helsepedagogikk:xapi", statement: statement, token: options.xapiToken },
        options.parentOrigin
      );
    });
  });
})();
