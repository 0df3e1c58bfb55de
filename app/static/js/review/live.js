/*
 * Review workspace, part 3 of 4: after a save, refresh the computed parts of
 * the page (flags, charts, development paths: the elements marked data-live
 * with an id) from a fresh copy of the page, so nothing is computed twice in
 * two languages. Skipped while changes are pending or when the person is
 * working inside the element.
 *
 * Parts: changes.js, save.js, this file, page.js.
 */
(function () {
  "use strict";

  var Stepwise = (window.Stepwise = window.Stepwise || {});
  var review = (Stepwise.review = Stepwise.review || {});

  /* hasPending: function (), true while anything is unsaved. */
  review.live = function (hasPending) {
    var refreshing = false;

    function replaceLiveParts(html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      document.querySelectorAll("[data-live][id]").forEach(function (el) {
        var fresh = doc.getElementById(el.id);
        if (fresh && !el.contains(document.activeElement)) {
          el.innerHTML = fresh.innerHTML;
        }
      });
    }

    function refresh() {
      if (refreshing) {
        return;
      }
      refreshing = true;
      Stepwise.fetch(window.location.pathname, { headers: { Accept: "text/html" } }).then(
        function (html) {
          refreshing = false;
          if (typeof html === "string" && html && !hasPending()) {
            replaceLiveParts(html);
          }
        },
        function () {
          refreshing = false; /* the next save refreshes again */
        }
      );
    }

    return { refresh: refresh };
  };
})();
