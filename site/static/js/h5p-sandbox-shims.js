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
