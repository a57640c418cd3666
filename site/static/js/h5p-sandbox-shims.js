// Loaded before the H5P player inside its frame. H5P only uses localStorage for
// small conveniences, so an in-memory stand-in is enough, and is used everywhere:
// in the sandboxed frame (opaque origin) localStorage throws, and on the player's
// own origin (H5P_PLAYER_ORIGIN) nothing one learner did may stay in the browser
// for the next one at a shared computer.
(function () {
  "use strict";
  var items = {};
  var memory = {
    getItem: function (key) { return Object.prototype.hasOwnProperty.call(items, key) ? items[key] : null; },
    setItem: function (key, value) { items[key] = String(value); },
    removeItem: function (key) { delete items[key]; },
    clear: function () { items = {}; },
    key: function (index) { return Object.keys(items)[index] || null; },
    get length() { return Object.keys(items).length; },
  };
  Object.defineProperty(window, "localStorage", { value: memory, configurable: true });
  Object.defineProperty(window, "sessionStorage", { value: memory, configurable: true });
})();

// The JSON files h5p-standalone fetches first (h5p.json, content.json, each library.json) come
// with the frame page (options.preloaded, by address): answered here, they cost no request.
// Chromium keeps nothing in its HTTP cache for a sandboxed frame, so every request saved counts.
(function () {
  "use strict";
  var element = document.getElementById("h5p-options");
  var preloaded = element ? JSON.parse(element.textContent).preloaded || {} : {};
  var fetchFromNetwork = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var address = typeof input === "string" ? input : input && input.url;
    var path = address ? new URL(address, window.location.href).pathname : "";
    if (Object.prototype.hasOwnProperty.call(preloaded, path)) {
      return Promise.resolve(
        new Response(JSON.stringify(preloaded[path]), { status: 200, headers: { "Content-Type": "application/json" } })
      );
    }
    return fetchFromNetwork(input, init);
  };
})();
