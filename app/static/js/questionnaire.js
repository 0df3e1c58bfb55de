/*
 * Stepwise questionnaire: autosave that never loses an answer.
 *
 * The page works without this script: every section is a plain form that posts
 * its answers (with the version and CSRF token) and redirects to the next one.
 * With the script, each answer is saved in the background shortly after it is
 * chosen, using the API's versioned save:
 *
 *   - Answers waiting to be saved ("pending") live in memory AND in localStorage
 *     (key "stepwise:pending:<assessment id>", one entry per item), so a reload,
 *     crash or closed laptop does not lose them; they are flushed on the next load.
 *   - A save sends {version, responses} for the pending items only. On success the
 *     saved items leave the pending set (unless changed again meanwhile) and the
 *     new version is remembered.
 *   - 409 (another tab or device saved first): the server answers with its current
 *     state. Our pending answers are laid over it (they are newer than anything we
 *     showed), the other answers on this page are updated to the server's, and the
 *     save is retried at once with the new version. Two tabs answering different
 *     items therefore both keep their answers.
 *   - Network errors and 5xx: "Not saved - retrying", retried with backoff (and at
 *     once when the browser comes back online). 401/403: kept, and the person is
 *     asked to sign in again in another tab; the script then asks the server for
 *     the new session's CSRF token (GET /api/v1/auth/csrf) and retries. 422:
 *     shown; the answer stays pending.
 *     A 409 because the assessment was submitted elsewhere stops saving and says so.
 *   - Leaving the page with unsaved answers asks for confirmation (beforeunload).
 *
 * The saving machinery (timer, request, retries, statuses, localStorage, leaving
 * and online guards) is js/autosave.js, shared with the review workspace; this
 * file is what is the questionnaire's own: its radios, its request body, its
 * 409 handling and its navigation buttons.
 *
 * Configuration comes from data- attributes of the form (no inline script: the
 * Content-Security-Policy forbids it). Dependency-free, plain ES2017.
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-questionnaire]");
  if (!form || !window.fetch || !window.Stepwise || !window.Stepwise.autosave) {
    return;
  }

  var FIELD_PREFIX = "a.";
  var DEBOUNCE_MS = 250;

  var cfg = form.dataset;
  var total = parseInt(cfg.total, 10) || 0;

  var saver = window.Stepwise.autosave({
    form: form,
    storageKey: "stepwise:pending:" + cfg.assessmentId,
    flush: flush,
    hasPending: hasPending,
    noun: "answers",
    rejected: [422, 404],
    retryOnline: function () {
      return Object.keys(state.pending).length > 0;
    },
  });
  var showStatus = saver.showStatus;
  var scheduleFlush = saver.scheduleFlush;

  /* The engine's state (inflight: the answers being sent, timer, backoff, failed) plus ours. */
  var state = saver.state;
  state.version = parseInt(cfg.version, 10);
  state.pending = {}; // item id -> answer text ("3", "n/a")
  /* Answers on the server outside this section (count), kept current from responses. */
  state.answeredElsewhere = parseInt(cfg.answeredElsewhere, 10) || 0;

  var progressEl = document.querySelector("[data-progress]");
  var progressText = document.querySelector("[data-progress-text]");
  var minutesLeft = document.querySelector("[data-minutes-left]");
  /* The current section's count appears in both section lists (sidebar and phone menu). */
  var sectionCounts = document.querySelectorAll("[data-section-count]");

  /* ---------------------------------------------------------------- helpers */

  function itemIdOf(input) {
    return input.name.indexOf(FIELD_PREFIX) === 0 ? input.name.slice(FIELD_PREFIX.length) : null;
  }

  function radiosFor(itemId) {
    return form.querySelectorAll("input[type=radio][name='" + FIELD_PREFIX + itemId + "']");
  }

  function sectionItemIds() {
    var seen = {};
    var ids = [];
    form.querySelectorAll("input[type=radio]").forEach(function (input) {
      var id = itemIdOf(input);
      if (id && !seen[id]) {
        seen[id] = true;
        ids.push(id);
      }
    });
    return ids;
  }

  var ITEM_IDS = sectionItemIds();

  function checkedValue(itemId) {
    var radios = radiosFor(itemId);
    for (var i = 0; i < radios.length; i++) {
      if (radios[i].checked) {
        return radios[i].value;
      }
    }
    return null;
  }

  function setChecked(itemId, value) {
    radiosFor(itemId).forEach(function (radio) {
      radio.checked = value !== null && radio.value === String(value);
    });
  }

  function hasPending() {
    return Object.keys(state.pending).length > 0 || state.inflight !== null;
  }

  /* ------------------------------------------------------------- storage */

  /* One entry per item: {item id: {v: answer text, t: when chosen}}. */
  function readStored() {
    return saver.load() || {};
  }

  function writeStored(entries) {
    saver.store(Object.keys(entries).length === 0 ? null : entries);
  }

  /* Read-modify-write, item by item: several tabs share the key. */
  function storePending(itemId, value) {
    var entries = readStored();
    entries[itemId] = { v: value, t: Date.now() };
    writeStored(entries);
  }

  function forgetStored(saved) {
    var entries = readStored();
    Object.keys(saved).forEach(function (itemId) {
      if (entries[itemId] && entries[itemId].v === saved[itemId]) {
        delete entries[itemId];
      }
    });
    writeStored(entries);
  }

  /* ------------------------------------------------------------------ UI */

  function refreshProgress() {
    var inSection = 0;
    ITEM_IDS.forEach(function (id) {
      if (checkedValue(id) !== null) {
        inSection += 1;
      }
    });
    var answered = state.answeredElsewhere + inSection;
    if (progressEl) {
      progressEl.value = answered;
      progressEl.max = total;
    }
    if (progressText) {
      progressText.textContent = Stepwise.t("%(answered)s of %(total)s answered", {
        answered: answered,
        total: total,
      });
    }
    if (minutesLeft) {
      /* The same rounding up as app/assessments/questionnaire.py's minutes_for. */
      var perStatement = parseInt(minutesLeft.getAttribute("data-seconds-per-statement"), 10) || 8;
      var minutes = Math.ceil(((total - answered) * perStatement) / 60);
      minutesLeft.textContent =
        minutes > 0
          ? Stepwise.t("about %(minutes)s min left in total", { minutes: minutes })
          : Stepwise.t("everything answered");
    }
    sectionCounts.forEach(function (count) {
      count.textContent = inSection + "/" + ITEM_IDS.length;
      var entry = count.closest(".section-entry");
      if (entry) {
        entry.classList.toggle("is-complete", inSection === ITEM_IDS.length);
      }
    });
    form.querySelectorAll("[data-item]").forEach(function (fieldset) {
      fieldset.classList.toggle("is-answered", checkedValue(fieldset.dataset.item) !== null);
    });
  }

  /* Take the server's answers for everything not pending here, and recount. */
  function applyServerResponses(responses) {
    if (!responses) {
      return;
    }
    var elsewhere = 0;
    Object.keys(responses).forEach(function (itemId) {
      var value = responses[itemId];
      var text = value === null || value === undefined ? null : String(value);
      if (ITEM_IDS.indexOf(itemId) === -1) {
        if (text !== null) {
          elsewhere += 1;
        }
      } else if (!(itemId in state.pending) && !(state.inflight && itemId in state.inflight)) {
        setChecked(itemId, text);
      }
    });
    state.answeredElsewhere = elsewhere;
    refreshProgress();
  }

  /* ----------------------------------------------------------------- API */

  /* The answer as the API wants it: integers for scale points, "n/a" as is. */
  function apiValue(text) {
    return /^-?[0-9]+$/.test(text) ? parseInt(text, 10) : text;
  }

  /* The assessment state in a response body, wherever the API nests it. */
  function stateOf(body) {
    if (!body || typeof body !== "object") {
      return null;
    }
    if (typeof body.version === "number") {
      return body;
    }
    return body.current || body.assessment || null;
  }

  function flush() {
    var sending = saver.takeBatch();
    if (!sending) {
      return;
    }
    var responses = {};
    Object.keys(sending).forEach(function (id) {
      responses[id] = apiValue(sending[id]);
    });
    if (!state.failed) {
      showStatus("saving", Stepwise.t("Saving\u2026"));
    }
    saver
      .send(
        cfg.saveUrl,
        cfg.saveMethod || "PATCH",
        { version: state.version, responses: responses },
        state.version
      )
      .then(handleSaved, handleRefused);
  }

  function handleSaved(body) {
    var sent = saver.batchDone();
    var current = stateOf(body);
    saver.saved();
    forgetStored(sent);
    if (current) {
      saver.setVersion(current.version);
      applyServerResponses(current.responses);
    }
    if (Object.keys(state.pending).length > 0) {
      scheduleFlush(0);
    } else {
      showStatus("saved", Stepwise.t("All answers saved"));
    }
  }

  function handleRefused(error) {
    saver.batchBack();
    var current = error.status === 409 ? stateOf(error.body) : null;
    if (current && current.status && current.status !== "in_progress") {
      /* Submitted from another tab: nothing can change any more; stop and say so. */
      state.pending = {};
      state.failed = true;
      writeStored({});
      showStatus(
        "error",
        Stepwise.t(
          "Not saved \u2014 this assessment has been submitted (perhaps in another tab). " +
            "Reload the page to see the results."
        )
      );
      return;
    }
    if (current) {
      /* Someone else saved first: our pending answers go on top of their state. */
      saver.setVersion(current.version);
      applyServerResponses(current.responses);
      scheduleFlush(0);
      return;
    }
    saver.failed(error);
  }

  /* --------------------------------------------------------------- events */

  function answer(itemId, value) {
    state.pending[itemId] = value;
    storePending(itemId, value);
    refreshProgress();
    if (!state.failed) {
      showStatus("saving", Stepwise.t("Saving\u2026"));
    }
    scheduleFlush(DEBOUNCE_MS);
  }

  form.addEventListener("change", function (event) {
    var input = event.target;
    if (input && input.type === "radio") {
      var itemId = itemIdOf(input);
      if (itemId) {
        answer(itemId, input.value);
      }
    }
  });

  /* Navigation buttons: save first, then go where the button points. */
  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    var target = button && button.dataset ? button.dataset.href : null;
    if (!target) {
      return; /* no target known: let the plain form post do the work */
    }
    event.preventDefault();
    saver.whenSaved(function () {
      window.location.assign(target);
    }, Stepwise.t("Not saved \u2014 retrying. Your answers are kept on this page."));
  });

  /* ---------------------------------------------------------------- start */

  /* Answers left unsaved by an earlier visit (reload, crash): show and send them. */
  var stored = readStored();
  Object.keys(stored).forEach(function (itemId) {
    var entry = stored[itemId];
    if (!entry || typeof entry.v !== "string") {
      return;
    }
    state.pending[itemId] = entry.v;
    if (ITEM_IDS.indexOf(itemId) !== -1) {
      setChecked(itemId, entry.v);
    }
  });
  form.classList.add("js-autosave");
  refreshProgress();
  if (Object.keys(state.pending).length > 0) {
    showStatus("saving", Stepwise.t("Saving answers from your last visit\u2026"));
    scheduleFlush(0);
  } else {
    showStatus("saved", Stepwise.t("All answers saved"));
  }
})();
