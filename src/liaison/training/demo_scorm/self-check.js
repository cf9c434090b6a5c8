/* A SCORM 1.2 self-check: finds the platform's API in a parent window, records the score,
   the pass or fail and the time spent, then commits and finishes. */
(function () {
  "use strict";

  var ANSWERS = { q1: "b", q2: "b", q3: "a", q4: "c" };
  var started = new Date();
  var api = null;

  function findApi(win) {
    var hops = 0;
    while (win && hops < 10) {
      if (win.API) return win.API;
      if (win.parent === win) break;
      win = win.parent;
      hops += 1;
    }
    return null;
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function timespan(ms) {
    var total = Math.round(ms / 1000);
    var h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
    return pad(h) + ":" + pad(m) + ":" + pad(s);
  }

  function show(id) { document.getElementById(id).hidden = false; }
  function hide(id) { document.getElementById(id).hidden = true; }

  document.addEventListener("DOMContentLoaded", function () {
    api = findApi(window);
    if (api) {
      api.LMSInitialize("");
      if (api.LMSGetValue("cmi.core.lesson_status") === "not attempted") {
        api.LMSSetValue("cmi.core.lesson_status", "incomplete");
      }
    }

    document.getElementById("start").addEventListener("click", function () {
      hide("intro");
      show("questions");
    });

    document.getElementById("questions").addEventListener("submit", function (event) {
      event.preventDefault();
      var form = event.target, right = 0, total = 0;
      Object.keys(ANSWERS).forEach(function (name) {
        total += 1;
        var picked = form.querySelector("input[name='" + name + "']:checked");
        if (picked && picked.value === ANSWERS[name]) right += 1;
      });
      var score = Math.round((right / total) * 100);
      var passed = score >= 70;
      document.getElementById("score-line").textContent =
        "You answered " + right + " of " + total + " correctly (" + score + "%). " +
        (passed ? "You passed." : "Read the lesson again and retry.");
      hide("questions");
      show("result");
      if (api) {
        api.LMSSetValue("cmi.core.score.min", "0");
        api.LMSSetValue("cmi.core.score.max", "100");
        api.LMSSetValue("cmi.core.score.raw", String(score));
        api.LMSSetValue("cmi.core.lesson_status", passed ? "passed" : "failed");
        api.LMSSetValue("cmi.core.session_time", timespan(new Date() - started));
        api.LMSCommit("");
      }
    });

    document.getElementById("finish").addEventListener("click", function () {
      if (api) {
        api.LMSSetValue("cmi.core.exit", "");
        api.LMSCommit("");
        api.LMSFinish("");
      }
      hide("result");
      show("closed");
    });
  });
})();
