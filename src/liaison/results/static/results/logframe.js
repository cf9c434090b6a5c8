/* The indicator page's chart: target and actual by reporting period. The figures come from a
   <script type="application/json"> block written by the server; the table beside the chart
   holds the same numbers. */
(function () {
  "use strict";

  function draw(canvas) {
    var node = document.getElementById(canvas.dataset.source);
    if (!node || typeof Chart === "undefined") return;
    var data = JSON.parse(node.textContent);
    canvas.chart = new Chart(canvas, {
      data: {
        labels: data.labels,
        datasets: [
          { type: "bar", label: canvas.dataset.actualLabel, data: data.actual, backgroundColor: "#1f4e99" },
          {
            type: "line", label: canvas.dataset.targetLabel, data: data.target, borderColor: "#e0a100",
            backgroundColor: "#e0a100", spanGaps: true, pointRadius: 4
          }
        ]
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { beginAtZero: true } }
      }
    });
    canvas.dataset.drawn = "true";
  }

  document.addEventListener("DOMContentLoaded", function () {
    var canvas = document.getElementById("indicator-chart");
    if (canvas) draw(canvas);
  });
})();
