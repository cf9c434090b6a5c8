/* The SCORM player: puts the scorm-again runtime where a package looks for it (window.API for
   SCORM 1.2, window.API_1484_11 for 2004), loads the learner's saved data so they resume,
   then opens the package in the frame. Commits go to the platform with the CSRF token. */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("scorm-config").textContent);
  var texts = document.getElementById("scorm-messages").dataset;
  var state = document.getElementById("scorm-state");
  var frame = document.getElementById("scorm-frame");
  var is12 = config.version === "1.2";
  var leaving = false;
  var finished = false;

  function say(key) {
    state.textContent = texts[key];
    state.setAttribute("data-state", key);
  }

  function headers() {
    return { "Content-Type": "application/json", "X-CSRFToken": texts.csrf };
  }

  /* scorm-again's own service sends the final commit with sendBeacon, which cannot carry the
     CSRF header. This one blocks while the package waits for the answer, as SCORM expects,
     and uses a keep-alive fetch only when the page is being left. */
  function HttpService() {}
  HttpService.prototype.updateSettings = function () {};
  HttpService.prototype.processHttpRequest = function (url, params, immediate) {
    var body = JSON.stringify(params);
    if (immediate && leaving) {
      fetch(url, { method: "POST", keepalive: true, credentials: "same-origin", headers: headers(), body: body });
      return { result: "true", errorCode: 0 };
    }
    var xhr = new XMLHttpRequest();
    try {
      xhr.open("POST", url, false);
      var sent = headers();
      Object.keys(sent).forEach(function (name) { xhr.setRequestHeader(name, sent[name]); });
      xhr.send(body);
    } catch (error) {
      say("failed");
      return { result: "false", errorCode: 391 };
    }
    if (xhr.status >= 200 && xhr.status < 300) {
      if (!finished) say("saved");
      return { result: "true", errorCode: 0 };
    }
    say("failed");
    return { result: "false", errorCode: 391 };
  };

  var settings = {
    lmsCommitUrl: config.commitUrl,
    autocommit: true,
    autocommitSeconds: 30,
    alwaysSendTotalTime: true,
    logLevel: 5,
    httpService: new HttpService()
  };

  var api;
  if (is12) {
    api = new window.Scorm12API(settings);
    window.API = api;
  } else {
    api = new window.Scorm2004API(settings);
    window.API_1484_11 = api;
  }
  api.loadFromJSON(config.start);

  api.on(is12 ? "LMSInitialize" : "Initialize", function () { say("ready"); });
  api.on(is12 ? "LMSFinish" : "Terminate", function () {
    finished = true;
    say("finished");
  });

  window.addEventListener("pagehide", function () {
    leaving = true;
    if (!finished && api.isInitialized && api.isInitialized()) {
      if (is12) api.LMSFinish(""); else api.Terminate("");
    }
  });

  frame.src = frame.getAttribute("data-src");
})();
