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
 *     asked to sign in again in another tab; the script then picks up the new
 *     session's CSRF token from this page and retries. 422: shown; the answer
 *     stays pending.
 *     A 409 because the assessment was submitted elsewhere stops saving and says so.
 *   - Leaving the page with unsaved answers asks for confirmation (beforeunload).
 *
 * Configuration comes from data- attributes of the form (no inline script: the
 * Content-Security-Policy forbids it). Dependency-free, plain ES2017.
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-questionnaire]");
  if (!form || !window.fetch) {
    return;
  }

  var FIELD_PREFIX = "a.";
  var DEBOUNCE_MS = 250;
  var MAX_BACKOFF_MS = 15000;

  var cfg = form.dataset;
  var assessmentId = cfg.assessmentId;
  var saveUrl = cfg.saveUrl;
  var csrfHeader = cfg.csrfHeader || "X-CSRF-Token";
  var storageKey = "stepwise:pending:" + assessmentId;
  var total = parseInt(cfg.total, 10) || 0;

  var state = {
    version: parseInt(cfg.version, 10),
    pending: {}, // item id -> answer text ("3", "n/a")
    inflight: null, // the answers being sent, or null
    timer: null,
    backoff: 1000,
    failed: false,
    /* Answers on the server outside this section (count), kept current from responses. */
    answeredElsewhere: parseInt(cfg.answeredElsewhere, 10) || 0,
  };

  var statusEl = document.querySelector("[data-save-status]");
  var statusText = statusEl ? statusEl.querySelector("[data-save-status-text]") : null;
  var progressEl = document.querySelector("[data-progress]");
  var progressText = document.querySelector("[data-progress-text]");
  /* The current section's count appears in both section lists (sidebar and phone menu). */
  var sectionCounts = document.querySelectorAll("[data-section-count]");

  /* ---------------------------------------------------------------- helpers */

  function csrfToken() {
    var input = form.querySelector("input[name='" + (cfg.csrfField || "csrf_token") + "']");
    return input ? input.value : "";
  }

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

  function setVersion(version) {
    state.version = version;
    var input = form.querySelector("input[name=version]");
    if (input) {
      input.value = String(version);
    }
  }

  /* ------------------------------------------------------------- storage */

  function readStored() {
    try {
      var raw = window.localStorage.getItem(storageKey);
      return raw ? JSON.parse(raw) || {} : {};
    } catch (e) {
      return {};
    }
  }

  function writeStored(entries) {
    try {
      if (Object.keys(entries).length === 0) {
        window.localStorage.removeItem(storageKey);
      } else {
        window.localStorage.setItem(storageKey, JSON.stringify(entries));
      }
    } catch (e) {
      /* Private mode or full storage: memory still holds the answers. */
    }
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
      progressText.textContent = answered + " of " + total + " answered";
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

  function scheduleFlush(delay) {
    if (state.timer) {
      window.clearTimeout(state.timer);
    }
    state.timer = window.setTimeout(flush, delay);
  }

  function flush() {
    state.timer = null;
    if (state.inflight || Object.keys(state.pending).length === 0) {
      return;
    }
    var sending = state.pending;
    state.pending = {};
    state.inflight = sending;
    var responses = {};
    Object.keys(sending).forEach(function (id) {
      responses[id] = apiValue(sending[id]);
    });
    if (!state.failed) {
      showStatus("saving", "Saving\u2026");
    }
    var headers = { "Content-Type": "application/json", Accept: "application/json" };
    headers[csrfHeader] = csrfToken();
    headers["If-Match"] = '"' + state.version + '"';
    fetch(saveUrl, {
      method: cfg.saveMethod || "PATCH",
      credentials: "same-origin",
      headers: headers,
      body: JSON.stringify({ version: state.version, responses: responses }),
    })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return null;
          })
          .then(function (body) {
            return { status: response.status, body: body };
          });
      })
      .then(handleAnswer, function () {
        handleAnswer({ status: 0, body: null });
      });
  }

  /* The session's current CSRF token, read from this page as the server renders it now. */
  function refreshToken() {
    return fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.text() : "";
      })
      .then(function (html) {
        var match = /<meta name="csrf-token" content="([^"]+)"/.exec(html);
        var input = form.querySelector("input[name='" + (cfg.csrfField || "csrf_token") + "']");
        if (match && input) {
          input.value = match[1];
        }
      })
      .catch(function () {
        /* Still offline or signed out: the next attempt tries again. */
      });
  }

  /* Put answers that were in flight back in front of anything chosen since. */
  function requeue(sent) {
    Object.keys(sent).forEach(function (id) {
      if (!(id in state.pending)) {
        state.pending[id] = sent[id];
      }
    });
  }

  function handleAnswer(result) {
    var sent = state.inflight;
    state.inflight = null;
    var current = stateOf(result.body);
    if (result.status >= 200 && result.status < 300) {
      state.failed = false;
      state.backoff = 1000;
      forgetStored(sent);
      if (current) {
        setVersion(current.version);
        applyServerResponses(current.responses);
      }
      if (Object.keys(state.pending).length > 0) {
        scheduleFlush(0);
      } else {
        showStatus("saved", "All answers saved");
      }
      return;
    }
    requeue(sent);
    if (result.status === 409 && current && current.status && current.status !== "in_progress") {
      /* Submitted from another tab: nothing can change any more; stop and say so. */
      state.pending = {};
      state.failed = true;
      writeStored({});
      showStatus(
        "error",
        "Not saved \u2014 this assessment has been submitted (perhaps in another tab). " +
          "Reload the page to see the results."
      );
      return;
    }
    if (result.status === 409 && current) {
      /* Someone else saved first: our pending answers go on top of their state. */
      setVersion(current.version);
      applyServerResponses(current.responses);
      scheduleFlush(0);
      return;
    }
    if (result.status === 401 || result.status === 403) {
      state.failed = true;
      showStatus(
        "error",
        "Not saved \u2014 your session has ended. Sign in again in another tab; " +
          "your answers are kept here."
      );
      /* A new sign-in means a new CSRF token: pick it up, then try again. */
      window.setTimeout(function () {
        refreshToken().then(function () {
          scheduleFlush(0);
        });
      }, MAX_BACKOFF_MS);
      return;
    }
    if (result.status === 422 || result.status === 404) {
      state.failed = true;
      var detail = result.body && result.body.detail ? String(result.body.detail) : "rejected";
      showStatus("error", "Not saved \u2014 " + detail);
      return;
    }
    state.failed = true;
    showStatus("error", "Not saved \u2014 retrying");
    scheduleFlush(state.backoff);
    state.backoff = Math.min(state.backoff * 2, MAX_BACKOFF_MS);
  }

  /* --------------------------------------------------------------- events */

  function answer(itemId, value) {
    state.pending[itemId] = value;
    storePending(itemId, value);
    refreshProgress();
    if (!state.failed) {
      showStatus("saving", "Saving\u2026");
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
    var deadline = Date.now() + 10000;
    (function waitAndGo() {
      if (!hasPending()) {
        window.location.assign(target);
      } else if (Date.now() > deadline || state.failed) {
        showStatus("error", "Not saved \u2014 retrying. Your answers are kept on this page.");
      } else {
        if (!state.inflight) {
          scheduleFlush(0);
        }
        window.setTimeout(waitAndGo, 100);
      }
    })();
  });

  window.addEventListener("beforeunload", function (event) {
    if (hasPending()) {
      event.preventDefault();
      event.returnValue = "";
      return "";
    }
    return undefined;
  });

  window.addEventListener("online", function () {
    if (Object.keys(state.pending).length > 0) {
      state.backoff = 1000;
      scheduleFlush(0);
    }
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
    showStatus("saving", "Saving answers from your last visit\u2026");
    scheduleFlush(0);
  } else {
    showStatus("saved", "All answers saved");
  }
})();
