/* Charts and maps of Liaison pages. Data comes from <script type="application/json"> blocks
   written by the server; every library and map shape is served from this site. */
(function () {
  "use strict";

  function readJSON(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function euros(value) {
    return "€ " + Math.round(value).toLocaleString();
  }

  function drawStackedBar(canvas) {
    var data = readJSON(canvas.dataset.source);
    if (!data || typeof Chart === "undefined") return;
    canvas.chart = new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: canvas.dataset.euLabel, data: data.eu, backgroundColor: "#1f4e99" },
          { label: canvas.dataset.coLabel, data: data.co, backgroundColor: "#e0a100" }
        ]
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { stacked: true },
          y: { stacked: true, ticks: { callback: function (v) { return euros(v); } } }
        },
        plugins: {
          tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + euros(c.parsed.y); } } }
        }
      }
    });
    canvas.dataset.drawn = "true";
  }

  function drawBars(canvas) {
    var data = readJSON(canvas.dataset.source);
    if (!data || typeof Chart === "undefined") return;
    canvas.chart = new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: canvas.dataset.approvedLabel, data: data.approved, backgroundColor: "#1f4e99" },
          { label: canvas.dataset.attendedLabel, data: data.attended, backgroundColor: "#e0a100" }
        ]
      },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
    canvas.dataset.drawn = "true";
  }

  var SHADES = ["#dce6f5", "#a9c1e6", "#6f95d2", "#3a68b4", "#1f4e99", "#0f2f66"];

  function shade(count, max) {
    if (!count) return null;
    var step = Math.ceil((count / max) * (SHADES.length - 1));
    return SHADES[Math.max(0, Math.min(SHADES.length - 1, step))];
  }

  function drawMap(box) {
    var rows = readJSON(box.dataset.map) || [];
    if (typeof topojson === "undefined" || typeof d3 === "undefined") return;
    var byNumeric = {}, byName = {}, max = 0;
    rows.forEach(function (row) {
      if (row.numeric) byNumeric[row.numeric] = row;
      byName[row.name] = row;
      max = Math.max(max, row.projects || 1);
    });
    fetch(box.dataset.shapes || "/static/vendor/world-atlas/countries-110m.json")
      .then(function (r) { return r.json(); })
      .then(function (world) {
        var features = topojson.feature(world, world.objects.countries).features;
        features.forEach(function (f) {
          f.row = byNumeric[f.id] || byName[f.properties.name] || null;
        });
        var width = 960, height = 480;
        var shown = features.filter(function (f) { return f.row; });
        var projection = d3.geoNaturalEarth1();
        var focus = { type: "FeatureCollection", features: shown.length ? shown : features };
        projection.fitExtent([[20, 20], [width - 20, height - 20]], focus);
        var path = d3.geoPath(projection);
        var ns = "http://www.w3.org/2000/svg";
        var svg = document.createElementNS(ns, "svg");
        svg.setAttribute("viewBox", "0 0 " + width + " " + height);
        svg.setAttribute("class", "map-svg");
        svg.setAttribute("aria-hidden", "true");
        features.forEach(function (f) {
          var d = path(f);
          if (!d) return;
          var p = document.createElementNS(ns, "path");
          p.setAttribute("d", d);
          var fill = f.row ? shade(f.row.projects || 1, max) : null;
          p.setAttribute("class", fill ? "country has-data" : "country");
          if (fill) p.style.fill = fill;
          var title = document.createElementNS(ns, "title");
          title.textContent = f.row ? f.row.name + (f.row.projects ? ": " + f.row.projects : "") : f.properties.name;
          p.appendChild(title);
          if (f.row && box.dataset.link) {
            p.classList.add("is-link");
            p.dataset.href = box.dataset.link.replace("{code}", encodeURIComponent(f.row.code));
          }
          svg.appendChild(p);
        });
        box.appendChild(svg);
        box.dataset.drawn = "true";
        box.dataset.countries = String(shown.length);
      })
      .catch(function () { box.textContent = box.dataset.label; });
  }

  function placeAxis() {
    document.querySelectorAll(".timeline-axis span[data-x]").forEach(function (span) {
      span.style.left = span.dataset.x + "%";
    });
  }

  // Shapes in the maps and the timeline open their page on a click. They are pictures to
  // assistive technology (role img or aria-hidden), so they hold no link or focusable element:
  // the list or table beside each one carries the same links for the keyboard.
  document.addEventListener("click", function (event) {
    var shape = event.target.closest ? event.target.closest("svg [data-href]") : null;
    if (shape) window.location.assign(shape.getAttribute("data-href"));
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-chart='stacked-bar']").forEach(drawStackedBar);
    document.querySelectorAll("canvas[data-chart='bars']").forEach(drawBars);
    document.querySelectorAll("[data-map]").forEach(drawMap);
    placeAxis();
  });
})();
