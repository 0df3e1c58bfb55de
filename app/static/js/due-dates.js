/*
 * Due dates in the past: a warning as the coach types (the review workspace).
 *
 * Every <input type="date"> whose name ends in "due_date" gets a hint under it
 * (the server renders one, templates/coaching/_due_hint.html, for saved
 * actions; the new-action field gets one here) saying the date has passed.
 * A warning, not a refusal: recording an action that was due last week is
 * legitimate. Without JavaScript the server shows the hint after saving.
 */
(function () {
  "use strict";

  function today() {
    var now = new Date();
    var month = String(now.getMonth() + 1).padStart(2, "0");
    var day = String(now.getDate()).padStart(2, "0");
    return now.getFullYear() + "-" + month + "-" + day;
  }

  function hintFor(input) {
    var field = input.closest(".field") || input.parentNode;
    var hint = field.querySelector("[data-due-hint]");
    if (!hint) {
      hint = document.createElement("p");
      hint.className = "hint due-hint";
      hint.setAttribute("data-due-hint", "");
      hint.hidden = true;
      field.appendChild(hint);
    }
    hint.setAttribute("aria-live", "polite");
    if (!hint.id) {
      hint.id = (input.id || "due").replace(/[^A-Za-z0-9_-]/g, "-") + "-hint";
    }
    var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (described.indexOf(hint.id) === -1) {
      input.setAttribute("aria-describedby", described.concat(hint.id).join(" "));
    }
    return hint;
  }

  function check(input) {
    var hint = hintFor(input);
    var past = input.value !== "" && input.value < today();
    if (past && hint.hidden) {
      hint.textContent = Stepwise.t("This date is in the past.");
    }
    hint.hidden = !past;
  }

  document.querySelectorAll('input[type="date"][name$="due_date"]').forEach(function (input) {
    hintFor(input);
    input.addEventListener("change", function () { check(input); });
  });
})();
