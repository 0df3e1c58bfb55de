/*
 * Stepwise — small progressive enhancements for every page (base.html loads
 * this with `defer`). Pages work without it.
 *
 * Sections:
 *   1. CSRF-aware fetch: Stepwise.fetch(url, options) / Stepwise.csrfToken()
 *   2. Copy buttons: <button data-copy-target="input-id">
 *   3. Confirmations: <form data-confirm="Are you sure?">
 *
 * Domain scripts (e.g. js/questionnaire.js) go in their own files; add shared
 * helpers here, as a new numbered section. No inline scripts: the CSP is
 * script-src 'self'.
 */
(function () {
  "use strict";

  var Stepwise = (window.Stepwise = window.Stepwise || {});

  /* 1. CSRF-aware fetch ------------------------------------------------- */
  var UNSAFE = { POST: true, PUT: true, PATCH: true, DELETE: true };

  /** The signed-in session's CSRF token, from <meta name="csrf-token">. */
  Stepwise.csrfToken = function () {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") || "" : "";
  };

  /**
   * fetch() with the session cookie and, for POST/PUT/PATCH/DELETE, the
   * X-CSRF-Token header the server requires. JSON bodies: pass `json`.
   */
  Stepwise.fetch = function (url, options) {
    var opts = Object.assign({ credentials: "same-origin" }, options || {});
    var method = (opts.method || "GET").toUpperCase();
    var headers = new Headers(opts.headers || {});
    if (UNSAFE[method]) {
      headers.set("X-CSRF-Token", Stepwise.csrfToken());
    }
    if (opts.json !== undefined) {
      headers.set("Content-Type", "application/json");
      opts.body = JSON.stringify(opts.json);
      delete opts.json;
    }
    if (!headers.has("Accept")) {
      headers.set("Accept", "application/json");
    }
    opts.headers = headers;
    opts.method = method;
    return window.fetch(url, opts);
  };

  /* 2. Copy buttons ----------------------------------------------------- */
  function setUpCopyButtons() {
    var buttons = document.querySelectorAll("[data-copy-target]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.addEventListener("click", function () {
        var input = document.getElementById(button.getAttribute("data-copy-target"));
        if (!input) {
          return;
        }
        var label = button.textContent;
        var done = function () {
          button.textContent = "Copied";
          window.setTimeout(function () {
            button.textContent = label;
          }, 2000);
        };
        input.select();
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(input.value).then(done, function () {});
        } else if (document.execCommand && document.execCommand("copy")) {
          done();
        }
      });
    });
  }

  /* 3. Confirmations ---------------------------------------------------- */
  function setUpConfirmations() {
    var forms = document.querySelectorAll("form[data-confirm]");
    Array.prototype.forEach.call(forms, function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) {
          event.preventDefault();
        }
      });
    });
  }

  function ready(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }

  ready(function () {
    setUpCopyButtons();
    setUpConfirmations();
  });
})();
