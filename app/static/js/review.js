/*
 * Stepwise review workspace: autosave for coach ratings, notes and plan actions.
 *
 * The page works without this script: the workspace is one form whose buttons
 * post everything (with the review's version and each plan action's version)
 * and redirect back. With the script, every change is saved in the background
 * through the JSON API with the same versioned protocol as the questionnaire:
 *
 *   - Changes waiting to be saved ("pending") live in memory AND in localStorage
 *     (key "stepwise:review:<review id>"), so a reload or crash does not lose
 *     them; they are put back into the form and saved on the next load.
 *   - Ratings and notes go to PATCH /api/v1/reviews/<id> as
 *     {version, ratings: {behavior: {field: value}}, shared_notes, private_notes},
 *     only the fields changed. Plan action fields go to PATCH
 *     /api/v1/plan-actions/<id> with that action's own version.
 *   - 409 (another tab or device saved first): the server sends its current
 *     state; fields not pending here take the server's values, our pending
 *     changes are kept on top and the save is retried at once.
 *   - Network errors and 5xx: "Not saved - retrying" with backoff. 401/403:
 *     kept, sign in again. 422: shown; the change stays pending until edited.
 *   - After a save, the computed parts of the page (flags, charts, development
 *     paths: the elements marked data-live) are refreshed from the server, so
 *     nothing is computed twice in two languages.
 *   - The page's buttons (add to plan, rate unrated, save) and the Finalize link
 *     wait for pending saves first; leaving with unsaved changes asks first.
 *
 * The saving machinery (timer, request, retries, statuses, localStorage, leaving
 * and online guards) is js/autosave.js, shared with the questionnaire; this file
 * is what is the review's own: its fields, its two kinds of request, its 409
 * handling, the live refresh and its buttons.
 *
 * Configuration comes from data- attributes of the form (no inline script: the
 * Content-Security-Policy forbids it). Dependency-free, plain ES2017.
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-review]");
  if (!form || !window.fetch || !window.Stepwise || !window.Stepwise.autosave) {
    return;
  }

  var cfg = form.dataset;
  var TEXT_DEBOUNCE_MS = 700;
  var CHOICE_DEBOUNCE_MS = 120;

  var saver = window.Stepwise.autosave({
    form: form,
    storageKey: "stepwise:review:" + cfg.reviewId,
    flush: flush,
    hasPending: hasPending,
    noun: "changes",
    rejected: [422, 404, 428],
    renewToken: true,
    guardLeaving: function () {
      return hasPending() && !state.submitting;
    },
  });
  var showStatus = saver.showStatus;
  var scheduleFlush = saver.scheduleFlush;

  /* The engine's state (inflight: {kind: "review"|"action", ...}, timer, backoff,
     failed) plus ours. */
  var state = saver.state;
  state.version = parseInt(cfg.version, 10);
  state.review = {}; // "rating:<behavior>:<field>" or "note:<field>" -> value
  state.actions = {}; // action id -> {field: value}
  state.submitting = false;

  /* ------------------------------------------------------------- helpers */

  function keyOf(el) {
    if (el.dataset.rating) {
      return "rating:" + el.dataset.rating + ":" + el.dataset.field;
    }
    if (el.dataset.note) {
      return "note:" + el.dataset.note;
    }
    return null;
  }

  function elementFor(key) {
    var parts = key.split(":");
    if (parts[0] === "note") {
      return form.querySelector("[data-note='" + parts[1] + "']");
    }
    return form.querySelector(
      "[data-rating='" + parts[1] + "'][data-field='" + parts[2] + "']"
    );
  }

  function hasPending() {
    return (
      Object.keys(state.review).length > 0 ||
      Object.keys(state.actions).length > 0 ||
      state.inflight !== null
    );
  }

  function setActionVersion(id, version) {
    var input = form.querySelector("[data-action-version='" + id + "']");
    if (input) {
      input.value = String(version);
    }
  }

  function actionVersion(id) {
    var input = form.querySelector("[data-action-version='" + id + "']");
    return input ? parseInt(input.value, 10) : null;
  }

  /* A level select's value as the API wants it: null or an integer. */
  function levelValue(text) {
    return text === "" ? null : parseInt(text, 10);
  }

  /* ------------------------------------------------------------- storage */

  function store() {
    saver.store(
      hasPending() ? { review: state.review, actions: state.actions, version: state.version } : null
    );
  }

  function restore() {
    var saved = saver.load();
    if (!saved) {
      return;
    }
    Object.keys(saved.review || {}).forEach(function (key) {
      var el = elementFor(key);
      if (el) {
        el.value = saved.review[key];
        state.review[key] = saved.review[key];
      }
    });
    Object.keys(saved.actions || {}).forEach(function (id) {
      Object.keys(saved.actions[id]).forEach(function (field) {
        var el = form.querySelector("[data-action='" + id + "'][data-field='" + field + "']");
        if (el) {
          el.value = saved.actions[id][field];
          state.actions[id] = state.actions[id] || {};
          state.actions[id][field] = saved.actions[id][field];
        }
      });
    });
    if (hasPending()) {
      showStatus("saving", "Saving changes kept from your last visit\u2026");
      scheduleFlush(0);
    }
  }

  /* ---------------------------------------------------------------- API */

  function reviewBody(pending) {
    var body = { version: state.version, ratings: {} };
    Object.keys(pending).forEach(function (key) {
      var parts = key.split(":");
      if (parts[0] === "note") {
        body[parts[1]] = pending[key];
        return;
      }
      var behavior = parts[1];
      var field = parts[2];
      body.ratings[behavior] = body.ratings[behavior] || {};
      body.ratings[behavior][field] =
        field === "coach_level" || field === "target_level"
          ? levelValue(pending[key])
          : pending[key];
    });
    return body;
  }

  function flush() {
    if (state.inflight) {
      return;
    }
    if (Object.keys(state.review).length > 0) {
      var sending = state.review;
      state.review = {};
      state.inflight = { kind: "review", sent: sending };
      showStatus("saving", "Saving\u2026");
      saver.send(cfg.saveUrl, "PATCH", reviewBody(sending), state.version).then(handleReview);
      return;
    }
    var ids = Object.keys(state.actions);
    if (ids.length > 0) {
      var id = ids[0];
      var fields = state.actions[id];
      delete state.actions[id];
      state.inflight = { kind: "action", id: id, sent: fields };
      var body = { version: actionVersion(id) };
      Object.keys(fields).forEach(function (field) {
        body[field] = field === "due_date" && fields[field] === "" ? null : fields[field];
      });
      showStatus("saving", "Saving\u2026");
      saver.send(cfg.planUrl + id, "PATCH", body, body.version).then(handleAction);
    }
  }

  function requeueReview(sent) {
    Object.keys(sent).forEach(function (key) {
      if (!(key in state.review)) {
        state.review[key] = sent[key];
      }
    });
  }

  function requeueAction(id, sent) {
    var current = state.actions[id] || {};
    Object.keys(sent).forEach(function (field) {
      if (!(field in current)) {
        current[field] = sent[field];
      }
    });
    state.actions[id] = current;
  }

  /* Take the server's values for everything not pending or being typed here. */
  function applyServerReview(current) {
    var focused = document.activeElement;
    (current.behaviors || []).forEach(function (b) {
      ["coach_level", "target_level", "rationale", "evidence"].forEach(function (field) {
        var key = "rating:" + b.behavior_id + ":" + field;
        var el = elementFor(key);
        if (el && !(key in state.review) && el !== focused) {
          var value = b[field];
          el.value = value === null || value === undefined ? "" : String(value);
        }
      });
    });
    ["shared_notes", "private_notes"].forEach(function (field) {
      var key = "note:" + field;
      var el = elementFor(key);
      if (el && !(key in state.review) && el !== focused && typeof current[field] === "string") {
        el.value = current[field];
      }
    });
  }

  function afterSuccess() {
    saver.saved();
    store();
    if (hasPending()) {
      scheduleFlush(0);
    } else {
      showStatus("saved", "All changes saved");
      refreshLive();
    }
  }

  function handleReview(result) {
    var sent = state.inflight.sent;
    state.inflight = null;
    var body = result.body || {};
    if (result.status >= 200 && result.status < 300) {
      saver.setVersion(body.version);
      afterSuccess();
      return;
    }
    requeueReview(sent);
    store();
    if (result.status === 409 && body.current) {
      if (body.current.status === "final") {
        state.failed = true;
        showStatus("error", "Not saved \u2014 this review was finalized elsewhere. Reload the page.");
        return;
      }
      saver.setVersion(body.current.version);
      applyServerReview(body.current);
      scheduleFlush(0);
      return;
    }
    saver.failed(result);
  }

  function handleAction(result) {
    var id = state.inflight.id;
    var sent = state.inflight.sent;
    state.inflight = null;
    var body = result.body || {};
    if (result.status >= 200 && result.status < 300) {
      setActionVersion(id, body.version);
      afterSuccess();
      return;
    }
    requeueAction(id, sent);
    store();
    if (result.status === 409 && body.current) {
      setActionVersion(id, body.current.version);
      scheduleFlush(0);
      return;
    }
    saver.failed(result);
  }

  /* Re-read the computed parts of the page (flags, charts, paths) from the server. */
  var refreshing = false;
  function refreshLive() {
    if (refreshing) {
      return;
    }
    refreshing = true;
    fetch(window.location.pathname, {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
    })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(
        function (html) {
          refreshing = false;
          if (!html || hasPending()) {
            return;
          }
          var doc = new DOMParser().parseFromString(html, "text/html");
          document.querySelectorAll("[data-live][id]").forEach(function (el) {
            var fresh = doc.getElementById(el.id);
            if (fresh && !el.contains(document.activeElement)) {
              el.innerHTML = fresh.innerHTML;
            }
          });
        },
        function () {
          refreshing = false;
        }
      );
  }

  /* --------------------------------------------------------------- events */

  function changed(el, delay) {
    var key = keyOf(el);
    if (key) {
      state.review[key] = el.value;
    } else if (el.dataset.action) {
      var id = el.dataset.action;
      state.actions[id] = state.actions[id] || {};
      state.actions[id][el.dataset.field] = el.value;
    } else {
      return;
    }
    state.failed = false;
    store();
    showStatus("saving", "Saving\u2026");
    scheduleFlush(delay);
  }

  form.addEventListener("change", function (event) {
    var el = event.target;
    if (el && (el.tagName === "SELECT" || el.type === "date")) {
      changed(el, CHOICE_DEBOUNCE_MS);
    } else if (el && (el.tagName === "TEXTAREA" || el.type === "text")) {
      changed(el, 0);
    }
  });

  form.addEventListener("input", function (event) {
    var el = event.target;
    if (el && (el.tagName === "TEXTAREA" || el.type === "text")) {
      changed(el, TEXT_DEBOUNCE_MS);
    }
  });

  /* Buttons post the form (add to plan, rate unrated, save): save pending changes first. */
  function whenSaved(then) {
    saver.whenSaved(then, "Not saved \u2014 your changes are kept on this page. Try again.");
  }

  form.addEventListener("submit", function (event) {
    if (!hasPending() || state.submitting) {
      state.submitting = true;
      store();
      return;
    }
    event.preventDefault();
    var submitter = event.submitter;
    whenSaved(function () {
      state.submitting = true;
      if (form.requestSubmit) {
        form.requestSubmit(submitter || undefined);
      } else {
        form.submit();
      }
    });
  });

  document.querySelectorAll("a[data-finalize]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (!hasPending()) {
        return;
      }
      event.preventDefault();
      whenSaved(function () {
        window.location.assign(link.href);
      });
    });
  });

  restore();
})();
