/*
 * Stepwise — small progressive enhancements for every page (base.html loads
 * this with `defer`). Pages work without it.
 *
 * Sections:
 *   1. Requests: Stepwise.fetch(url, options) (CSRF, JSON, errors as
 *      Stepwise.RequestError), Stepwise.renewCsrfToken(), Stepwise.csrfToken()
 *   2. Copy buttons: <button data-copy-target="input-id">
 *   3. Confirmations: <form data-confirm="Are you sure?">
 *   4. Translations: Stepwise.t("All answers saved"), Stepwise.t("%(n)s left", {n: 3})
 *
 * Domain scripts (e.g. js/questionnaire.js) go in their own files and make
 * every request through Stepwise.fetch; add shared helpers here, as a new
 * numbered section. No inline scripts: the CSP is script-src 'self'.
 */
(function () {
  "use strict";

  var Stepwise = (window.Stepwise = window.Stepwise || {});

  /* 4. Translations (first: the other sections use it) ------------------- */
  /* The page's translations of the scripts' strings, keyed by the English text:
     <script type="application/json" id="i18n"> (templates/_js_strings.html, built
     with |tojson, so there is no JS build step; docs/i18n.md). A string missing
     from it stays English. Placeholders are by name, as in the catalog. */
  var catalog = null;
  Stepwise.t = function (text, values) {
    if (catalog === null) {
      catalog = {};
      var block = document.getElementById("i18n");
      try {
        catalog = (block && JSON.parse(block.textContent)) || {};
      } catch (e) {
        catalog = {};
      }
    }
    var translated = Object.prototype.hasOwnProperty.call(catalog, text) ? catalog[text] : text;
    return translated.replace(/%\((\w+)\)[sd]/g, function (whole, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  };

  /* 1. Requests ---------------------------------------------------------- */
  /* The names the server checks (app/core/csrf_names.py). */
  var CSRF_HEADER = "X-CSRF-Token";
  var CSRF_FIELD = "csrf_token";
  var CSRF_URL = "/api/v1/auth/csrf";
  var UNSAFE = { POST: true, PUT: true, PATCH: true, DELETE: true };

  /** The signed-in session's CSRF token, from <meta name="csrf-token">. */
  Stepwise.csrfToken = function () {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") || "" : "";
  };

  /**
   * A failed request. `status` is the HTTP status (0: no answer, e.g. offline);
   * `body` the parsed body (JSON, else text, else null); `problem` the RFC 9457
   * fields of a JSON error body, always present: {type, title, status, detail,
   * errors: [{loc, msg, type}]}; `message` the best text to show a person.
   */
  function RequestError(status, body) {
    var p = body && typeof body === "object" ? body : {};
    this.name = "RequestError";
    this.status = status;
    this.body = body;
    this.problem = {
      type: typeof p.type === "string" ? p.type : "about:blank",
      title: typeof p.title === "string" ? p.title : "",
      status: typeof p.status === "number" ? p.status : status,
      detail: typeof p.detail === "string" ? p.detail : "",
      errors: Array.isArray(p.errors) ? p.errors : [],
    };
    this.message =
      this.problem.detail ||
      this.problem.title ||
      (status === 0
        ? Stepwise.t("no answer from the server")
        : Stepwise.t("request failed (%(status)s)", { status: status }));
  }
  RequestError.prototype = Object.create(Error.prototype);
  RequestError.prototype.constructor = RequestError;
  Stepwise.RequestError = RequestError;

  /* JSON (application/json, application/problem+json) parsed, other bodies as text. */
  function readBody(response) {
    if (response.status === 204 || response.status === 304) {
      return Promise.resolve(null);
    }
    var type = response.headers.get("Content-Type") || "";
    return response.text().then(function (text) {
      if (!/[/+]json\b/.test(type)) {
        return text;
      }
      try {
        return text ? JSON.parse(text) : null;
      } catch (e) {
        return null;
      }
    });
  }

  /**
   * The one way scripts talk to the server: fetch() with the session cookie,
   * the CSRF header on POST/PUT/PATCH/DELETE, a JSON body from `json`, and
   * `Accept: application/json` unless `headers` say otherwise. Resolves to the
   * parsed body of a 2xx answer (null when empty); rejects with a
   * Stepwise.RequestError for any other status or no answer at all.
   */
  Stepwise.fetch = function (url, options) {
    var opts = Object.assign({ credentials: "same-origin" }, options || {});
    var method = (opts.method || "GET").toUpperCase();
    var headers = new Headers(opts.headers || {});
    if (UNSAFE[method]) {
      headers.set(CSRF_HEADER, Stepwise.csrfToken());
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
    return window.fetch(url, opts).then(
      function (response) {
        return readBody(response).then(function (body) {
          if (!response.ok) {
            throw new RequestError(response.status, body);
          }
          return body;
        });
      },
      function () {
        throw new RequestError(0, null);
      }
    );
  };

  /**
   * Ask the server for the session's current CSRF token (a sign-in in another
   * tab starts a new session with a new one) and put it where requests and
   * plain forms read it: the <meta> and every hidden csrf_token field. Resolves
   * to the token, or null when there is none (still signed out, offline);
   * never rejects.
   */
  Stepwise.renewCsrfToken = function () {
    return Stepwise.fetch(CSRF_URL).then(
      function (body) {
        var token = body && typeof body.csrf_token === "string" ? body.csrf_token : null;
        if (token) {
          var meta = document.querySelector('meta[name="csrf-token"]');
          if (meta) {
            meta.setAttribute("content", token);
          }
          document.querySelectorAll("input[name='" + CSRF_FIELD + "']").forEach(function (input) {
            input.value = token;
          });
        }
        return token;
      },
      function () {
        return null;
      }
    );
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
          button.textContent = Stepwise.t("Copied");
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
