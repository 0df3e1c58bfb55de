/*
 * Stepwise review workspace: autosave for coach ratings, notes and plan actions.
 * Part 4 of 4: wiring the parts to the page (loaded last).
 *
 * The page works without these scripts: the workspace is one form whose buttons
 * post everything (with the review's version and each plan action's version)
 * and redirect back. With them, every change is saved in the background through
 * the JSON API with the same versioned protocol as the questionnaire:
 *
 *   changes.js  the form's fields and the pending changes (memory + localStorage)
 *   save.js     the two kinds of save (review, plan action) and their answers
 *   live.js     refreshing the computed parts of the page after a save
 *   page.js     this file: the engine, the events, the buttons, the start
 *
 * The saving machinery (timer, retries, statuses, storage, leaving and online
 * guards, CSRF renewal) is js/autosave.js, shared with the questionnaire;
 * requests go through Stepwise.fetch (js/app.js). The page's buttons (add to
 * plan, rate unrated, save) and the Finalize link wait for pending saves first;
 * leaving with unsaved changes asks first.
 *
 * Configuration comes from data- attributes of the form (no inline script: the
 * Content-Security-Policy forbids it). Dependency-free, plain ES2017.
 */
(function () {
  "use strict";

  var Stepwise = window.Stepwise;
  var form = document.querySelector("form[data-review]");
  if (!form || !window.fetch || !Stepwise || !Stepwise.autosave || !Stepwise.review) {
    return;
  }

  var cfg = form.dataset;
  var TEXT_DEBOUNCE_MS = 700;
  var CHOICE_DEBOUNCE_MS = 120;

  var changes;
  var saving;
  var saver = Stepwise.autosave({
    form: form,
    storageKey: "stepwise:review:" + cfg.reviewId,
    flush: function () {
      saving.flush();
    },
    hasPending: function () {
      return changes.hasPending();
    },
    noun: "changes",
    rejected: [422, 404, 428],
    guardLeaving: function () {
      return changes.hasPending() && !state.submitting;
    },
  });
  var state = saver.state;
  state.version = parseInt(cfg.version, 10);
  state.submitting = false;

  changes = Stepwise.review.changes(form, saver);
  var live = Stepwise.review.live(changes.hasPending);
  saving = Stepwise.review.save({
    cfg: cfg,
    saver: saver,
    changes: changes,
    allSaved: live.refresh,
  });

  /* --------------------------------------------------------------- events */

  function changed(el, delay) {
    if (!changes.record(el)) {
      return;
    }
    state.failed = false;
    changes.store();
    saver.showStatus("saving", "Saving\u2026");
    saver.scheduleFlush(delay);
  }

  function isText(el) {
    return el.tagName === "TEXTAREA" || el.type === "text";
  }

  form.addEventListener("change", function (event) {
    var el = event.target;
    if (el && (el.tagName === "SELECT" || el.type === "date")) {
      changed(el, CHOICE_DEBOUNCE_MS);
    } else if (el && isText(el)) {
      changed(el, 0);
    }
  });

  form.addEventListener("input", function (event) {
    var el = event.target;
    if (el && isText(el)) {
      changed(el, TEXT_DEBOUNCE_MS);
    }
  });

  /* Buttons post the form (add to plan, rate unrated, save): save pending changes first. */
  function whenSaved(then) {
    saver.whenSaved(then, "Not saved \u2014 your changes are kept on this page. Try again.");
  }

  form.addEventListener("submit", function (event) {
    if (!changes.hasPending() || state.submitting) {
      state.submitting = true;
      changes.store();
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
      if (!changes.hasPending()) {
        return;
      }
      event.preventDefault();
      whenSaved(function () {
        window.location.assign(link.href);
      });
    });
  });

  /* ---------------------------------------------------------------- start */

  if (changes.restore()) {
    saver.showStatus("saving", "Saving changes kept from your last visit\u2026");
    saver.scheduleFlush(0);
  }
})();
