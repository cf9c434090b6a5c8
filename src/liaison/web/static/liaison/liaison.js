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
    // Files dropped on an upload area go into its file input; the input works alone without this.
    document.querySelectorAll("[data-dropzone]").forEach(function (zone) {
      var input = zone.querySelector("input[type=file]");
      var list = zone.querySelector("[data-dropzone-list]");
      var hint = zone.querySelector("[data-dropzone-hint]");
      if (!input) return;
      if (hint) hint.hidden = false;
      function showChosen() {
        if (!list) return;
        list.textContent = "";
        Array.prototype.forEach.call(input.files, function (file) {
          var item = document.createElement("li");
          item.textContent = file.name;
          list.appendChild(item);
        });
      }
      input.addEventListener("change", showChosen);
      ["dragenter", "dragover"].forEach(function (type) {
        zone.addEventListener(type, function (event) {
          event.preventDefault();
          zone.classList.add("is-over");
        });
      });
      zone.addEventListener("dragleave", function (event) {
        if (!zone.contains(event.relatedTarget)) zone.classList.remove("is-over");
      });
      zone.addEventListener("drop", function (event) {
        event.preventDefault();
        zone.classList.remove("is-over");
        if (event.dataTransfer && event.dataTransfer.files.length) {
          input.files = event.dataTransfer.files;
          showChosen();
        }
      });
    });
  });
  // Buttons whose action cannot be undone ask first.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (button && !window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var results = document.getElementById("results");
    if (results && event.target === results) {
      var heading = results.querySelector("h2");
      if (heading) heading.focus();
    }
  });
})();
