// Starts ReDoc on /redoc (app/core/api_docs.py). A file, not an inline
// script, so the page runs under the app's strict Content-Security-Policy.
"use strict";
window.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("redoc");
  // The nonce lets ReDoc's run-time <style> elements pass this page's CSP.
  // Search runs in a blob: worker, which the CSP does not allow: it is off.
  Redoc.init(
    root.dataset.openapiUrl,
    { nonce: root.dataset.styleNonce, disableSearch: true },
    root,
  );
});
