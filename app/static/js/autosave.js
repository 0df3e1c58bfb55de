/*
 * Stepwise autosave engine, shared by the questionnaire (js/questionnaire.js)
 * and the coach's review workspace (js/review/*.js). Pages load it with `defer`
 * after js/app.js (whose Stepwise.fetch makes every request) and before their
 * own scripts; without it (or without fetch) they stay plain forms.
 *
 * Both pages save with the same versioned protocol, so the machinery lives here
 * once and each page keeps only what is really its own: which fields it watches,
 * how it builds a request body, which URL it saves to, and what a 409 means for
 * its data.
 *
 * The engine gives a page:
 *   - state: {inflight, timer, backoff, failed}; the page adds its own fields
 *     (version, its pending changes...) to the same object.
 *   - scheduleFlush(delay): (re)starts the one timer that calls the page's flush.
 *   - send(url, method, body, version): Stepwise.fetch with the JSON body and
 *     If-Match; resolves to the saved state, rejects with a Stepwise.RequestError
 *     (status 0: no answer; for a 409, `body` holds the server's current state).
 *   - saved(): a save went through; the failure state and backoff start over.
 *   - failed(error): every RequestError but a 409, which the page handles:
 *     401/403 (session ended: keep, wait, renew the CSRF token, retry), the
 *     page's "rejected" statuses (shown, no retry) and the rest (network, 5xx:
 *     retry with backoff).
 *   - takeBatch() / batchDone() / batchBack(): for a page whose changes are one
 *     flat map (field -> value) in state.pending (the questionnaire, a rater's
 *     form): move the pending changes in flight (null if a batch is already in
 *     flight or nothing is pending), end the batch (returns what was sent),
 *     or put a refused batch back under anything changed since (returns it).
 *   - whenSaved(then, message): run `then` once nothing is pending, or show
 *     `message` if that takes over 10 s or a save has failed.
 *   - load() / store(value): the page's localStorage entry (null removes it);
 *     storage errors (private mode, full) are swallowed: memory still holds
 *     the changes.
 *   - setVersion(version) and showStatus(kind, text).
 * It also asks before leaving with unsaved changes (beforeunload) and retries at
 * once when the browser comes back online. After a 401/403 it asks the server
 * for the session's CSRF token (Stepwise.renewCsrfToken: signing in again in
 * another tab starts a new session with a new token) before it tries again.
 *
 * Options:
 *   form          the page's form
 *   storageKey    localStorage key of the unsaved changes
 *   flush         function (): send the next batch of pending changes, if any
 *   hasPending    function (): anything unsaved, in flight included
 *   noun          what the person's changes are called in messages ("answers")
 *   rejected      statuses shown as "Not saved - <detail>" and not retried
 *   guardLeaving  function (): warn on leaving (default: hasPending)
 *   retryOnline   function (): retry when back online (default: hasPending)
 *
 * No inline script: the Content-Security-Policy forbids it. Dependency-free,
 * plain ES2017.
 */
(function () {
  "use strict";

  var Stepwise = (window.Stepwise = window.Stepwise || {});

  var FIRST_BACKOFF_MS = 1000;
  var MAX_BACKOFF_MS = 15000;
  var SAVE_DEADLINE_MS = 10000;
  var WAIT_POLL_MS = 100;

  Stepwise.autosave = function (options) {
    var form = options.form;
    var statusEl = document.querySelector("[data-save-status]");
    var statusText = statusEl ? statusEl.querySelector("[data-save-status-text]") : null;
    var hasPending = options.hasPending;

    var state = {
      inflight: null, // what is being sent, or null
      timer: null,
      backoff: FIRST_BACKOFF_MS,
      failed: false,
    };

    function showStatus(kind, text) {
      if (!statusEl) {
        return;
      }
      statusEl.hidden = false;
      statusEl.dataset.state = kind;
      if (statusText) {
        statusText.textContent = text;
      }
    }

    function setVersion(version) {
      state.version = version;
      var input = form.querySelector("input[name=version]");
      if (input) {
        input.value = String(version);
      }
    }

    function load() {
      try {
        return JSON.parse(window.localStorage.getItem(options.storageKey) || "null");
      } catch (e) {
        return null;
      }
    }

    function store(value) {
      try {
        if (value === null) {
          window.localStorage.removeItem(options.storageKey);
        } else {
          window.localStorage.setItem(options.storageKey, JSON.stringify(value));
        }
      } catch (e) {
        /* Private mode or full storage: memory still holds the changes. */
      }
    }

    function scheduleFlush(delay) {
      if (state.timer) {
        window.clearTimeout(state.timer);
      }
      state.timer = window.setTimeout(function () {
        state.timer = null;
        options.flush();
      }, delay);
    }

    function send(url, method, body, version) {
      return Stepwise.fetch(url, {
        method: method,
        json: body,
        headers: { "If-Match": '"' + version + '"' },
      });
    }

    function takeBatch() {
      if (state.inflight || !state.pending || Object.keys(state.pending).length === 0) {
        return null;
      }
      var sending = state.pending;
      state.pending = {};
      state.inflight = sending;
      return sending;
    }

    function batchDone() {
      var sent = state.inflight;
      state.inflight = null;
      return sent;
    }

    /* Changes that were in flight go back in front of anything changed since. */
    function batchBack() {
      var sent = batchDone();
      Object.keys(sent || {}).forEach(function (key) {
        if (!(key in state.pending)) {
          state.pending[key] = sent[key];
        }
      });
      return sent;
    }

    function saved() {
      state.failed = false;
      state.backoff = FIRST_BACKOFF_MS;
    }

    function failed(error) {
      state.failed = true;
      if (error.status === 401 || error.status === 403) {
        showStatus(
          "error",
          Stepwise.t(
            "Not saved \u2014 your session has ended. Sign in again in another tab; your %(noun)s are kept here.",
            { noun: Stepwise.t(options.noun) }
          )
        );
        /* A new sign-in means a new CSRF token: pick it up, then try again. */
        window.setTimeout(function () {
          Stepwise.renewCsrfToken().then(function () {
            scheduleFlush(0);
          });
        }, MAX_BACKOFF_MS);
        return;
      }
      if (options.rejected.indexOf(error.status) !== -1) {
        showStatus("error", Stepwise.t("Not saved \u2014 %(reason)s", { reason: error.message }));
        return;
      }
      showStatus("error", Stepwise.t("Not saved \u2014 retrying"));
      scheduleFlush(state.backoff);
      state.backoff = Math.min(state.backoff * 2, MAX_BACKOFF_MS);
    }

    function whenSaved(then, message) {
      var deadline = Date.now() + SAVE_DEADLINE_MS;
      (function wait() {
        if (!hasPending()) {
          then();
        } else if (Date.now() > deadline || state.failed) {
          showStatus("error", message);
        } else {
          if (!state.inflight) {
            scheduleFlush(0);
          }
          window.setTimeout(wait, WAIT_POLL_MS);
        }
      })();
    }

    var guardLeaving = options.guardLeaving || hasPending;
    window.addEventListener("beforeunload", function (event) {
      if (guardLeaving()) {
        event.preventDefault();
        event.returnValue = "";
        return "";
      }
      return undefined;
    });

    var retryOnline = options.retryOnline || hasPending;
    window.addEventListener("online", function () {
      if (retryOnline()) {
        state.backoff = FIRST_BACKOFF_MS;
        scheduleFlush(0);
      }
    });

    return {
      state: state,
      showStatus: showStatus,
      setVersion: setVersion,
      load: load,
      store: store,
      scheduleFlush: scheduleFlush,
      send: send,
      takeBatch: takeBatch,
      batchDone: batchDone,
      batchBack: batchBack,
      saved: saved,
      failed: failed,
      whenSaved: whenSaved,
    };
  };
})();
