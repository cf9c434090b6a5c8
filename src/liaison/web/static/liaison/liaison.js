/* Small behaviours shared by every page. No inline scripts: the Content-Security-Policy forbids them. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // On a phone the filters start folded so the results come first into view.
    if (window.matchMedia("(max-width: 760px)").matches) {
      document.querySelectorAll("details[data-collapse-narrow]").forEach(function (d) { d.open = false; });
    }
    // Auto-submitting filter forms keep their URL in step so a filtered list can be shared.
    document.querySelectorAll("form[data-autosubmit] select, form[data-autosubmit] input[type=checkbox]").forEach(function (el) {
      el.addEventListener("change", function () { el.form.requestSubmit(); });
    });
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var results = document.getElementById("results");
    if (results && event.target === results) {
      var heading = results.querySelector("h2");
      if (heading) heading.focus();
    }
  });
})();
