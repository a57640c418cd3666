// Runs inside the sandboxed player frame: start h5p-standalone and hand every
// xAPI statement to the module page, which sends it to the server.
//
// The learner is an opaque account here (options.actor), never a name or an
// e-mail address: H5P's own actor is replaced by it, and every statement goes
// out with it and with the signed token of this frame (its learner, module,
// block and content), which the server checks.
//
// The player never fails silently (issue 13): if a library's script or style
// sheet does not load (a 404, or a file the joined bundle had to leave out:
// h5p/bundles.py names it in H5PMissingFiles or --h5p-missing-files), or the
// content throws while starting, the learner sees a message here (role=alert)
// and the module page is told, which reports it to the server. Only content
// that is on the screen with nothing failed is reported as "rendered": that,
// not serving this page, is what the «Åpnet» completion rule counts.
//
// What counts as a failure: a script or style sheet of the player's own (the
// libraries, the joined bundle, H5P's core files) that did not load, and an
// uncaught exception (an ErrorEvent on the window) while the content starts.
// Not the content's own media (a missing image, video, audio or caption
// file, or one the policy refused) nor a third party's script (YouTube's,
// Vimeo's): H5P shows its own placeholder or message for those and the
// content plays on. Content that had not started within the time allowed is
// reported as failed, but if it comes on the screen later it is still
// reported as rendered (and the alert goes).
(function () {
  "use strict";
  var options = JSON.parse(document.getElementById("h5p-options").textContent);
  var container = document.getElementById("h5p-container");
  var anonymous = function () {
    return JSON.parse(JSON.stringify(options.actor));
  };
  var toParent = function (message) {
    message.token = options.reportToken;
    window.parent.postMessage(message, options.parentOrigin);
  };

  var START_TIMEOUT = 20000; // ms for the content to come on the screen before it counts as failed
  var failed = false;
  var timedOut = false; // failed only for being slow: rendering later still counts
  var rendered = false;
  var lastError = "";
  var absolute = function (url) {
    try {
      return new URL(url, window.location.href).href;
    } catch (error) {
      return "";
    }
  };
  var libraryFiles = absolute(options.player.librariesPath + "/");
  var coreFiles = [absolute(options.player.frameJs), absolute(options.player.frameCss)];
  var isPlayerFile = function (url) {
    var address = absolute(url);
    return !!address && (address.indexOf(libraryFiles) === 0 || coreFiles.indexOf(address) !== -1);
  };
  var fail = function (kind, detail) {
    if (failed || rendered) return;
    failed = true;
    var alert = document.getElementById("h5p-failure");
    alert.appendChild(document.getElementById("h5p-failure-text").content.cloneNode(true));
    toParent({ type: "helsepedagogikk:failure", kind: kind, detail: String(detail || lastError || "").slice(0, 500) });
  };
  // H5P reports a content type it cannot start (a missing constructor) with console.error only.
  var consoleError = console.error;
  console.error = function () {
    lastError = Array.prototype.map.call(arguments, String).join(" ");
    return consoleError.apply(console, arguments);
  };
  // Resource errors do not bubble: listen in the capture phase.
  window.addEventListener("error", function (event) {
    var element = event.target;
    if (element === window) {
      // An uncaught exception while the content starts.
      failStart(event.message || (event.error && String(event.error)) || "");
      return;
    }
    var tag = element && element.tagName;
    var address = "";
    if (tag === "SCRIPT") address = element.src;
    else if (tag === "LINK" && /(^|\s)stylesheet(\s|$)/i.test(element.rel || "")) address = element.href;
    if (address && isPlayerFile(address)) fail("load", "Lastet ikke: " + address);
    // Anything else (IMG, VIDEO, SOURCE, AUDIO, TRACK, a third party's script) is not a failure.
  }, true);
  // A rejected promise is not counted on its own (a video service's script that did not load
  // rejects one): kept as the likely cause should the content not start in time.
  window.addEventListener("unhandledrejection", function (event) {
    lastError = String((event.reason && (event.reason.message || event.reason)) || lastError);
  });

  // Style sheets are added without being waited for: wait until each has loaded or failed.
  var stylesSettled = function () {
    var links = Array.prototype.slice.call(document.querySelectorAll("link[rel=stylesheet]"));
    return Promise.all(links.map(function (link) {
      if (link.sheet) return Promise.resolve();
      return new Promise(function (resolve) {
        link.addEventListener("load", resolve);
        link.addEventListener("error", resolve);
      });
    }));
  };
  var missingFiles = function () {
    var scripts = window.H5PMissingFiles || [];
    var styles = getComputedStyle(document.documentElement).getPropertyValue("--h5p-missing-files").trim();
    return scripts.concat(styles ? styles.replace(/"/g, "").split(" ") : []).filter(Boolean);
  };
  // The content threw while starting: a library file left out of the joined bundle is the
  // likelier cause, and what the admin page should say.
  var failStart = function (detail) {
    if (failed || rendered) return;
    var missing = missingFiles();
    if (missing.length) fail("load", "Mangler i biblioteket: " + missing.join(", "));
    else fail("start", detail);
  };
  var contentShown = function () {
    var shown = container.querySelector(".h5p-content.h5p-initialized .h5p-container");
    return !!(window.H5P && H5P.instances && H5P.instances.length && shown && shown.children.length);
  };
  var observer = null;
  var check = function () {
    if (rendered || (failed && !timedOut)) return;
    var missing = missingFiles();
    if (missing.length) {
      fail("load", "Mangler i biblioteket: " + missing.join(", "));
      timedOut = false;
    } else if (contentShown()) {
      rendered = true;
      if (timedOut) {
        // It only came late: the learner can use it, and it counts.
        document.getElementById("h5p-failure").textContent = "";
      }
      toParent({ type: "helsepedagogikk:rendered" });
    }
    if ((rendered || (failed && !timedOut)) && observer) observer.disconnect();
  };
  // After the time allowed, content that still comes on the screen is noticed by its changes.
  var watchLateContent = function () {
    if (rendered || !window.MutationObserver) return;
    var pending = false;
    observer = new MutationObserver(function () {
      if (pending) return;
      pending = true;
      setTimeout(function () {
        pending = false;
        check();
      }, 250);
    });
    observer.observe(container, { childList: true, subtree: true, attributes: true, attributeFilter: ["class"] });
  };

  // Counted from the start, so that a library file that never answers is not silent either.
  setTimeout(function () {
    check();
    if (failed || rendered) return;
    failStart(lastError || "Innholdet startet ikke.");
    timedOut = failed && !missingFiles().length;
    if (timedOut) watchLateContent();
  }, START_TIMEOUT);

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
    return stylesSettled();
  }).then(function () {
    check();
    if (failed || rendered) return;
    // The content may start a moment later (after H5P has fetched the learner's saved state).
    H5P.externalDispatcher.on("initialized", check);
  }, function (error) {
    failStart(error && (error.message || String(error)));
  });
})();
