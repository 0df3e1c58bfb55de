/*
 * Review workspace, part 1 of 4: the form's fields and the changes waiting to
 * be saved ("pending").
 *
 *   - Ratings and notes are keyed "rating:<behavior>:<field>" / "note:<field>"
 *     in state.review; plan action fields are state.actions[<id>][<field>].
 *   - Pending changes live in memory AND in localStorage (the engine's entry,
 *     key "stepwise:review:<review id>"), so a reload or crash does not lose
 *     them: restore() puts them back into the form on the next load.
 *   - applyServerReview(current) takes the server's values (after a 409) for
 *     every field not pending here and not being typed in.
 *
 * The other parts: save.js (the requests), live.js (refreshing the computed
 * parts of the page), page.js (events, buttons, start). Plain ES2017.
 */
(function () {
  "use strict";

  var Stepwise = (window.Stepwise = window.Stepwise || {});
  var review = (Stepwise.review = Stepwise.review || {});

  var RATING_FIELDS = ["coach_level", "target_level", "rationale", "evidence"];
  var NOTE_FIELDS = ["shared_notes", "private_notes"];

  /* form: the review form; saver: the autosave engine (its state and storage). */
  review.changes = function (form, saver) {
    var state = saver.state;
    state.review = {}; // "rating:<behavior>:<field>" or "note:<field>" -> value
    state.actions = {}; // action id -> {field: value}

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

    function actionElement(id, field) {
      return form.querySelector("[data-action='" + id + "'][data-field='" + field + "']");
    }

    function versionInput(id) {
      return form.querySelector("[data-action-version='" + id + "']");
    }

    function hasPending() {
      return (
        Object.keys(state.review).length > 0 ||
        Object.keys(state.actions).length > 0 ||
        state.inflight !== null
      );
    }

    /* Note a change of one field; false for an element that is not a saved field. */
    function record(el) {
      var key = keyOf(el);
      if (key) {
        state.review[key] = el.value;
        return true;
      }
      if (el.dataset.action) {
        var id = el.dataset.action;
        state.actions[id] = state.actions[id] || {};
        state.actions[id][el.dataset.field] = el.value;
        return true;
      }
      return false;
    }

    function store() {
      saver.store(
        hasPending()
          ? { review: state.review, actions: state.actions, version: state.version }
          : null
      );
    }

    /* Changes kept from an earlier visit, back into the form; true if there were any. */
    function restore() {
      var saved = saver.load();
      if (!saved) {
        return false;
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
          var el = actionElement(id, field);
          if (el) {
            el.value = saved.actions[id][field];
            state.actions[id] = state.actions[id] || {};
            state.actions[id][field] = saved.actions[id][field];
          }
        });
      });
      return hasPending();
    }

    /* The pending ratings and notes, now leaving the pending set (null: none). */
    function takeReview() {
      if (Object.keys(state.review).length === 0) {
        return null;
      }
      var sending = state.review;
      state.review = {};
      return sending;
    }

    /* One plan action's pending fields, now leaving the pending set (null: none). */
    function takeAction() {
      var ids = Object.keys(state.actions);
      if (ids.length === 0) {
        return null;
      }
      var fields = state.actions[ids[0]];
      delete state.actions[ids[0]];
      return { id: ids[0], fields: fields };
    }

    /* Changes that were in flight go back, behind anything edited since. */
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
      function take(key, value) {
        var el = elementFor(key);
        if (el && !(key in state.review) && el !== focused) {
          el.value = value === null || value === undefined ? "" : String(value);
        }
      }
      (current.behaviors || []).forEach(function (b) {
        RATING_FIELDS.forEach(function (field) {
          take("rating:" + b.behavior_id + ":" + field, b[field]);
        });
      });
      NOTE_FIELDS.forEach(function (field) {
        if (typeof current[field] === "string") {
          take("note:" + field, current[field]);
        }
      });
    }

    function actionVersion(id) {
      var input = versionInput(id);
      return input ? parseInt(input.value, 10) : null;
    }

    function setActionVersion(id, version) {
      var input = versionInput(id);
      if (input) {
        input.value = String(version);
      }
    }

    return {
      hasPending: hasPending,
      record: record,
      store: store,
      restore: restore,
      takeReview: takeReview,
      takeAction: takeAction,
      requeueReview: requeueReview,
      requeueAction: requeueAction,
      applyServerReview: applyServerReview,
      actionVersion: actionVersion,
      setActionVersion: setActionVersion,
    };
  };
})();
