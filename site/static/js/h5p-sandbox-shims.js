// Loaded before the H5P player inside its sandboxed frame. The sandbox (no
// allow-same-origin) makes localStorage throw; H5P only uses it for small
// conveniences, so an in-memory stand-in is enough.
(function () {
  "use strict";
  try {
    window.localStorage.getItem("probe");
  } catch (error) {
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
  }
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
