// Starts ReDoc on /redoc (app/core/api_docs.py). A file, not an inline
// script, so the page runs under the app's strict Content-Security-Policy.
"use strict";
window.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("redoc");
  Redoc.init(root.dataset.openapiUrl, {}, root);
});
