/* Needs assessments: bar charts drawn from <script type="application/json"> data, and a
   warning before leaving an area whose answers are not saved. The pages work without it. */
(function () {
  "use strict";

  var COLOURS = ["#1f4e99", "#e0a100"];

  function drawBars(canvas) {
    var node = document.getElementById(canvas.dataset.source);
    if (!node || typeof Chart === "undefined") return;
    var data = JSON.parse(node.textContent);
    canvas.chart = new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (set, i) {
          return { label: set.label, data: set.data, backgroundColor: COLOURS[i % COLOURS.length] };
        })
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { beginAtZero: true, max: Number(canvas.dataset.max) || undefined, ticks: { stepSize: 1 } } }
      }
    });
    canvas.dataset.drawn = "true";
  }

  function warnUnsaved(form) {
    var dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (!dirty) return;
      event.preventDefault();
      event.returnValue = form.dataset.warnUnsaved;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-chart='assessment-bars']").forEach(drawBars);
    document.querySelectorAll("form[data-warn-unsaved]").forEach(warnUnsaved);
  });
})();
