/*
 * Review workspace, part 2 of 4: the two kinds of save and what their answers mean.
 *
 *   - Ratings and notes go to PATCH <data-save-url> (/api/v1/reviews/<id>) as
 *     {version, ratings: {behavior: {field: value}}, shared_notes, private_notes},
 *     only the fields changed. Plan action fields go to PATCH
 *     <data-plan-url><id> (/api/v1/plan-actions/<id>) with that action's own
 *     version. One request at a time; the review's changes go first.
 *   - 409 (another tab or device saved first): the server sends its current
 *     state; fields not pending here take the server's values, our pending
 *     changes stay on top and the save is retried at once. A review finalized
 *     elsewhere stops saving and says so.
 *   - Everything else goes to the engine (js/autosave.js): network errors and
 *     5xx retried with backoff, 401/403 kept until signed in again, 422/404/428
 *     shown with the server's message.
 *
 * Parts: changes.js (fields, pending changes), this file, live.js, page.js.
 */
(function () {
  "use strict";

  var Stepwise = (window.Stepwise = window.Stepwise || {});
  var review = (Stepwise.review = Stepwise.review || {});

  /* A level select's value as the API wants it: null or an integer. */
  function levelValue(text) {
    return text === "" ? null : parseInt(text, 10);
  }

  function reviewBody(version, pending) {
    var body = { version: version, ratings: {} };
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

  function actionBody(version, fields) {
    var body = { version: version };
    Object.keys(fields).forEach(function (field) {
      body[field] = field === "due_date" && fields[field] === "" ? null : fields[field];
    });
    return body;
  }

  /*
   * options: cfg (the form's data- attributes), saver (the engine), changes
   * (changes.js) and allSaved (called once nothing is pending any more).
   */
  review.save = function (options) {
    var cfg = options.cfg;
    var saver = options.saver;
    var changes = options.changes;
    var state = saver.state;

    function flush() {
      if (state.inflight) {
        return;
      }
      var sending = changes.takeReview();
      if (sending) {
        state.inflight = { kind: "review", sent: sending };
        saver.showStatus("saving", "Saving\u2026");
        saver
          .send(cfg.saveUrl, "PATCH", reviewBody(state.version, sending), state.version)
          .then(reviewSaved, reviewRefused);
        return;
      }
      var action = changes.takeAction();
      if (action) {
        state.inflight = { kind: "action", id: action.id, sent: action.fields };
        var body = actionBody(changes.actionVersion(action.id), action.fields);
        saver.showStatus("saving", "Saving\u2026");
        saver
          .send(cfg.planUrl + action.id, "PATCH", body, body.version)
          .then(actionSaved, actionRefused);
      }
    }

    function afterSuccess() {
      saver.saved();
      changes.store();
      if (changes.hasPending()) {
        saver.scheduleFlush(0);
      } else {
        saver.showStatus("saved", "All changes saved");
        options.allSaved();
      }
    }

    function reviewSaved(body) {
      state.inflight = null;
      saver.setVersion(body.version);
      afterSuccess();
    }

    function reviewRefused(error) {
      var sent = state.inflight.sent;
      state.inflight = null;
      changes.requeueReview(sent);
      changes.store();
      var current = error.status === 409 && error.body ? error.body.current : null;
      if (current && current.status === "final") {
        state.failed = true;
        saver.showStatus(
          "error",
          "Not saved \u2014 this review was finalized elsewhere. Reload the page."
        );
        return;
      }
      if (current) {
        saver.setVersion(current.version);
        changes.applyServerReview(current);
        saver.scheduleFlush(0);
        return;
      }
      saver.failed(error);
    }

    function actionSaved(body) {
      var id = state.inflight.id;
      state.inflight = null;
      changes.setActionVersion(id, body.version);
      afterSuccess();
    }

    function actionRefused(error) {
      var id = state.inflight.id;
      var sent = state.inflight.sent;
      state.inflight = null;
      changes.requeueAction(id, sent);
      changes.store();
      var current = error.status === 409 && error.body ? error.body.current : null;
      if (current) {
        changes.setActionVersion(id, current.version);
        saver.scheduleFlush(0);
        return;
      }
      saver.failed(error);
    }

    return { flush: flush };
  };
})();
