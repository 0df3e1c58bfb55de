/*
 * Stepwise rater's form (templates/feedback/rater_form.html): autosave on top of a
 * plain form.
 *
 * Without this script the page is one form that posts (save, or submit) and comes
 * back. With it, every choice and comment is saved shortly after it changes,
 * through the shared engine (js/autosave.js) and Stepwise.fetch (js/app.js):
 * PATCH <data-save-url> with {version, choices, comments, keep_doing, start_doing}
 * for the changed fields only, If-Match the version.
 *   - Pending changes live in memory and localStorage (data-storage-key) until saved.
 *   - 409: if the form is still open, our pending changes go on top (saves are
 *     partial) and are sent again with the server's version; if it was submitted
 *     or withdrawn meanwhile, saving stops and says so.
 *   - 404/410/422: shown, not retried. Network and 5xx: retried with backoff.
 *   - The submit button waits until everything is saved, then posts the form as
 *     without JavaScript (the server submits, or shows what is missing).
 * No inline script (the Content-Security-Policy forbids it). Plain ES2017.
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-feedback]");
  if (!form || !window.fetch || !window.Stepwise || !window.Stepwise.autosave) {
    return;
  }

  var DEBOUNCE_MS = 400;
  var cfg = form.dataset;

  var saver = window.Stepwise.autosave({
    form: form,
    storageKey: cfg.storageKey,
    flush: flush,
    hasPending: hasPending,
    noun: "answers",
    rejected: [404, 410, 422],
  });
  var state = saver.state;
  state.version = parseInt(cfg.version, 10);
  state.pending = {}; // field name -> value
  var progress = form.querySelector("[data-progress]");

  function hasPending() {
    return Object.keys(state.pending).length > 0 || state.inflight !== null;
  }

  function tracked(name) {
    return /^[cn]\./.test(name) || name === "keep_doing" || name === "start_doing";
  }

  function body(fields) {
    var out = { version: state.version, choices: {}, comments: {} };
    Object.keys(fields).forEach(function (name) {
      if (name.indexOf("c.") === 0) {
        out.choices[name.slice(2)] = fields[name];
      } else if (name.indexOf("n.") === 0) {
        out.comments[name.slice(2)] = fields[name];
      } else {
        out[name] = fields[name];
      }
    });
    return out;
  }

  function storeAll() {
    saver.store(Object.keys(state.pending).length ? state.pending : null);
  }

  function flush() {
    var sending = saver.takeBatch();
    if (!sending) {
      return;
    }
    if (!state.failed) {
      saver.showStatus("saving", Stepwise.t("Saving\u2026"));
    }
    saver.send(cfg.saveUrl, "PATCH", body(sending), state.version).then(saved, refused);
  }

  function saved(answer) {
    saver.batchDone();
    saver.saved();
    storeAll();
    if (answer && typeof answer.version === "number") {
      saver.setVersion(answer.version);
      if (progress) {
        progress.textContent = Stepwise.t("%(answered)s of %(total)s answered", {
          answered: answer.answered,
          total: answer.total,
        });
      }
    }
    if (Object.keys(state.pending).length > 0) {
      saver.scheduleFlush(0);
    } else {
      saver.showStatus("saved", Stepwise.t("All answers saved"));
    }
  }

  function refused(error) {
    saver.batchBack();
    var current = error.status === 409 && error.body ? error.body.current : null;
    if (current && current.status !== "invited" && current.status !== "started") {
      state.pending = {};
      state.failed = true;
      saver.store(null);
      saver.showStatus("error", Stepwise.t("Not saved \u2014 this form was already submitted. Reload the page."));
      return;
    }
    if (current && typeof current.version === "number") {
      saver.setVersion(current.version);
      saver.scheduleFlush(0);
      return;
    }
    saver.failed(error);
  }

  function changed(event) {
    var input = event.target;
    if (!input || !input.name || !tracked(input.name)) {
      return;
    }
    if (input.type === "radio" && !input.checked) {
      return;
    }
    state.pending[input.name] = input.value;
    storeAll();
    if (!state.failed) {
      saver.showStatus("saving", Stepwise.t("Saving\u2026"));
    }
    saver.scheduleFlush(DEBOUNCE_MS);
  }

  form.addEventListener("change", changed);
  form.addEventListener("input", function (event) {
    if (event.target && event.target.tagName === "TEXTAREA") {
      changed(event);
    }
  });

  /* Submit: save everything first, then post the form as a plain submit. */
  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (!button || button.value !== "submit") {
      return;
    }
    event.preventDefault();
    saver.whenSaved(function () {
      var go = document.createElement("input");
      go.type = "hidden";
      go.name = "go";
      go.value = "submit";
      form.appendChild(go);
      saver.store(null);
      HTMLFormElement.prototype.submit.call(form);
    }, Stepwise.t("Not saved \u2014 retrying. Your answers are kept on this page."));
  });

  /* Changes an earlier visit could not save: put them back and send them. */
  var stored = saver.load();
  if (stored && typeof stored === "object") {
    Object.keys(stored).forEach(function (name) {
      if (!tracked(name) || typeof stored[name] !== "string") {
        return;
      }
      state.pending[name] = stored[name];
      form.querySelectorAll("[name='" + name.replace(/'/g, "") + "']").forEach(function (field) {
        if (field.type === "radio") {
          field.checked = field.value === stored[name];
        } else {
          field.value = stored[name];
        }
      });
    });
  }
  form.classList.add("js-autosave");
  if (Object.keys(state.pending).length > 0) {
    saver.showStatus("saving", Stepwise.t("Saving answers from your last visit\u2026"));
    saver.scheduleFlush(0);
  } else {
    saver.showStatus("saved", Stepwise.t("All answers saved"));
  }
})();
