/* The SCORM player, on the content origin (see training/player.py).

   It puts the scorm-again runtime where packages look for it (window.API for SCORM 1.2,
   window.API_1484_11 for 2004), opens one SCO at a time in the frame below, and moves between
   SCOs: by the table of contents and the previous/next buttons, and for SCORM 2004 through the
   runtime's sequencing (the manifest's rules, and the navigation requests a SCO makes).

   Each SCO starts from the data the page was given (what it saved before) and from what it
   committed since. Commits go to this attempt's address with no cookie: the token in the
   address is the only credential. The last commit of a SCO (Finish/Terminate, often from the
   package's own unload handler) goes with navigator.sendBeacon, which survives the page
   closing. Before another SCO opens, the current one is unloaded first, so that it finishes
   with its own data. */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("scorm-config").textContent);
  var texts = document.getElementById("scorm-messages").dataset;
  var state = document.getElementById("scorm-state");
  var frame = document.getElementById("scorm-frame");
  var previousButton = document.getElementById("scorm-previous");
  var nextButton = document.getElementById("scorm-next");
  var is12 = config.version === "1.2";
  var sequenced = !is12 && !!config.sequencing;
  var scos = config.items.filter(function (item) { return item.launch; });
  var start = config.start;
  var current = null;
  var leaving = false;
  var api;

  function say(key) {
    state.textContent = texts[key];
    state.setAttribute("data-state", key);
  }

  function indexOf(id) {
    for (var i = 0; i < scos.length; i++) if (scos[i].id === id) return i;
    return -1;
  }

  function launchUrl(id) {
    return config.filesUrl + scos[indexOf(id)].launch;
  }

  function initialized() { return api.isInitialized && api.isInitialized(); }

  function finish() {
    if (initialized()) { if (is12) api.LMSFinish(""); else api.Terminate(""); }
  }

  /* What a SCO committed becomes what it resumes from when the learner comes back to it in
     this visit: the same fields the server would give. */
  function remember(id, cmi) {
    var data = start[id];
    if (!data || !cmi) return;
    if (is12) {
      var core = cmi.core || {};
      data.core.lesson_location = core.lesson_location || "";
      data.core.lesson_status = core.lesson_status || data.core.lesson_status;
      data.core.entry = core.exit === "suspend" ? "resume" : "";
      if (core.total_time) data.core.total_time = core.total_time;
      if (core.score && core.score.raw !== "") data.core.score = core.score;
      data.suspend_data = cmi.suspend_data || "";
    } else {
      data.location = cmi.location || "";
      data.completion_status = cmi.completion_status || data.completion_status;
      data.success_status = cmi.success_status || data.success_status;
      data.entry = cmi.exit === "suspend" ? "resume" : "";
      if (cmi.total_time) data.total_time = cmi.total_time;
      if (cmi.score && cmi.score.scaled !== "") data.score = cmi.score;
      data.suspend_data = cmi.suspend_data || "";
    }
    var status = is12 ? (cmi.core || {}).lesson_status :
      (cmi.success_status === "passed" || cmi.success_status === "failed" ? cmi.success_status : cmi.completion_status);
    mark(id, status);
  }

  function mark(id, status) {
    var entry = document.querySelector('[data-item="' + id + '"] .toc-status');
    if (entry && status) {
      entry.textContent = texts["status" + status.replace(/ /g, "")] || status;
      entry.parentNode.setAttribute("data-status", status);
    }
  }

  function rollup() {
    if (!sequenced) return null;
    try {
      var root = api.getActivityTrackingData(config.sequencing.activityTree.id);
      if (!root) return null;
      return { completion: root.completionStatus, success: root.successStatus, scaled: root.score };
    } catch (error) { return null; }
  }

  function sequencingState() {
    try { return api.serializeSequencingState(); } catch (error) { return undefined; }
  }

  /* Commits wait for the server's answer, as SCORM expects, including a SCO's last one when
     the player moves to another SCO (this page stays, so it may wait); only when the player
     itself is being closed does the last commit go by navigator.sendBeacon, which outlives it. */
  function HttpService() {}
  HttpService.prototype.updateSettings = function () {};
  HttpService.prototype.processHttpRequest = function (url, params, immediate, log, listeners, metadata) {
    var body = JSON.stringify(settings.requestHandler(params, metadata) || params);
    if (immediate && leaving) {
      var sent = navigator.sendBeacon(url, new Blob([body], { type: "text/plain;charset=UTF-8" }));
      return { result: sent ? "true" : "false", errorCode: sent ? 0 : 391 };
    }
    var xhr = new XMLHttpRequest();
    try {
      xhr.open("POST", url, false);
      xhr.setRequestHeader("Content-Type", "text/plain;charset=UTF-8");
      xhr.send(body);
    } catch (error) {
      say("failed");
      return { result: "false", errorCode: 391 };
    }
    var ok = xhr.status >= 200 && xhr.status < 300;
    if (!leaving) say(ok ? "saved" : "failed");
    return { result: ok ? "true" : "false", errorCode: ok ? 0 : 391 };
  };

  var settings = {
    lmsCommitUrl: config.commitUrl,
    autocommit: true,
    autocommitSeconds: 30,
    alwaysSendTotalTime: true,
    logLevel: 5,
    requestHandler: function (commit, metadata) {
      commit.sco = current;
      if (metadata && metadata.isTerminateCommit) commit.final = true;
      if (sequenced) {
        commit.state = sequencingState();
        var rolled = rollup();
        if (rolled) commit.rollup = rolled;
      }
      remember(current, commit.cmi);
      return commit;
    },
    httpService: new HttpService()
  };

  /* When the course ends, the rolled-up status and the sequencing state are sent once more:
     the last SCO's own commit left before the runtime applied its rules. (While the course
     goes on, the next SCO's commits carry them.) It waits for that commit to be taken. */
  function sendState() {
    if (!sequenced || current === null) return;
    var body = JSON.stringify({ sco: current, state: sequencingState(), rollup: rollup() });
    fetch(config.commitUrl, { method: "POST", keepalive: true, body: body, credentials: "omit" });
  }

  var pending = null;

  /* Unload the SCO that is open, let it finish, then open ``id``. */
  function open(id) {
    pending = id;
    if (frame.getAttribute("src") && frame.getAttribute("src") !== "about:blank") {
      frame.setAttribute("src", "about:blank");
    } else {
      deliver();
    }
  }

  function deliver() {
    var id = pending;
    pending = null;
    if (id === null) return;
    finish();
    api.reset(undefined, { preserveListeners: true });
    api.loadFromJSON(JSON.parse(JSON.stringify(start[id])));
    current = id;
    document.querySelectorAll("[data-item]").forEach(function (element) {
      if (element.getAttribute("data-item") === id) element.setAttribute("aria-current", "step");
      else element.removeAttribute("aria-current");
    });
    updateButtons();
    say("loading");
    frame.setAttribute("src", launchUrl(id));
  }

  frame.addEventListener("load", function () {
    if (pending !== null && frame.getAttribute("src") === "about:blank") deliver();
  });

  /* Leaving the SCO for another, asked from the player (table of contents or buttons). */
  function navigate(request, target) {
    if (!sequenced) {
      var index = indexOf(current);
      var id = request === "choice" ? target :
        (scos[index + (request === "continue" ? 1 : -1)] || {}).id;
      if (id) open(id);
      return;
    }
    var after = function () {
      if (!api.processNavigationRequest(request, target)) say("refused");
    };
    if (initialized()) {
      pending = null;
      api.SetValue("adl.nav.request", request === "choice" ? "{target=" + target + "}choice" : request);
      frame.setAttribute("src", "about:blank");
      frame.addEventListener("load", function once() {
        frame.removeEventListener("load", once);
        if (initialized()) api.Terminate(""); else after();
      });
    } else {
      after();
    }
  }

  var validity = null;

  function updateButtons() {
    if (sequenced && validity) {
      previousButton.disabled = !validity.previous;
      nextButton.disabled = !validity.continue;
      return;
    }
    var index = indexOf(current);
    previousButton.disabled = index <= 0;
    nextButton.disabled = index < 0 || index >= scos.length - 1;
  }

  if (sequenced) {
    settings.sequencing = JSON.parse(JSON.stringify(config.sequencing));
    settings.sequencing.eventListeners = {
      onActivityDelivery: function (activity) {
        window.setTimeout(function () { open(activity.id); }, 0);
      },
      onSequencingSessionEnd: function () {
        window.setTimeout(function () {
          frame.setAttribute("src", "about:blank");
          say("ended");
        }, 0);
        window.setTimeout(sendState, 500);
      },
      onNavigationValidityUpdate: function (update) {
        validity = update;
        updateButtons();
      }
    };
  }

  api = is12 ? new window.Scorm12API(settings) : new window.Scorm2004API(settings);
  if (is12) window.API = api; else window.API_1484_11 = api;

  api.on(is12 ? "LMSInitialize" : "Initialize", function () { say("ready"); });
  api.on(is12 ? "LMSFinish" : "Terminate", function () { say("finished"); });

  document.querySelectorAll("[data-item] button").forEach(function (button) {
    button.addEventListener("click", function () {
      navigate("choice", button.closest("[data-item]").getAttribute("data-item"));
    });
  });
  previousButton.addEventListener("click", function () { navigate("previous"); });
  nextButton.addEventListener("click", function () { navigate("continue"); });

  window.addEventListener("pagehide", function () {
    if (leaving) return;
    leaving = true;
    finish();
  });

  var resume = indexOf(config.current) >= 0 ? config.current : scos[0].id;
  if (sequenced) {
    if (config.state) {
      try { api.deserializeSequencingState(config.state); } catch (error) { config.state = ""; }
    }
    var started = (config.state && api.processNavigationRequest("resumeAll")) ||
      api.processNavigationRequest("start") ||
      api.processNavigationRequest("choice", resume);
    if (!started) say("refused");
  } else {
    open(resume);
  }
})();
