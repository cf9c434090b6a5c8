# ruff: noqa: E501 (pages and manifests are written as authoring tools write them)
"""SCORM packages the way authoring tools write them, built in memory for the tests.

Each covers a pattern real packages use that Liaison must play: inline scripts and inline event
handlers on every page, the last commit sent from the page's own unload handler, several SCOs in
one SCORM 1.2 course under an ``organizations`` element without a default, and a SCORM 2004 course
with sequencing rules whose SCOs ask for the next activity themselves. Their texts are the team's.
"""

import io
import zipfile

NS_12 = (
    'xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" '
    'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"'
)
NS_2004 = (
    'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" '
    'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" '
    'xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3" '
    'xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3" '
    'xmlns:imsss="http://www.imsglobal.org/xsd/imsss"'
)

# The API finder every tool ships in some form: walk up the parents, then the opener.
FIND_API = """
function findApi(name) {
  var win = window;
  for (var i = 0; i < 10 && win; i++) {
    try { if (win[name]) return win[name]; } catch (e) {}
    if (win.parent === win) break;
    win = win.parent;
  }
  return null;
}
"""


def zipped(files: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


# SCORM 1.2, one SCO: inline scripts and handlers, last commit from the unload handler ---------

PROBE = """
/* What a hostile package would try: read a Liaison page as the learner, post a form to it,
   reach into the page around it. Each result is written on the page for the test to read. */
function probe(target) {
  var out = document.getElementById("probe");
  function note(key, value) { out.setAttribute("data-" + key, value); }
  try { note("top", String(window.top.document.title)); } catch (e) { note("top", "blocked"); }
  try { note("parentapi", window.parent.parent.location.href); } catch (e) { note("parentapi", "blocked"); }
  fetch(target + "/training/", { credentials: "include" })
    .then(function (r) { return r.text(); })
    .then(function (text) { note("read", text.indexOf("Sign out") >= 0 ? "signed-in" : "anonymous"); },
          function () { note("read", "blocked"); });
  fetch(target + "/api/training/modules/", { credentials: "include" })
    .then(function (r) { return r.text(); })
    .then(function () { note("api", "read"); }, function () { note("api", "blocked"); });
  var form = document.createElement("form");
  form.method = "post";
  form.action = target + "/training/parts/" + document.body.getAttribute("data-part") + "/done/";
  form.target = "sink";
  document.body.appendChild(form);
  try { form.submit(); note("form", "sent"); } catch (e) { note("form", "blocked"); }
}
"""


def inline_12(target="", part=0) -> bytes:
    """One SCO whose page does everything inline, as Storyline's output does; it finishes
    (LMSFinish) only from its unload handler."""
    manifest = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="checkpoint-briefing" version="1" {NS_12}>
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="briefing">
    <organization identifier="briefing">
      <title>Checkpoint briefing</title>
      <item identifier="briefing-sco" identifierref="briefing-res">
        <title>Checkpoint briefing</title>
        <adlcp:masteryscore>70</adlcp:masteryscore>
        <adlcp:datafromlms>lane=3</adlcp:datafromlms>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="briefing-res" type="webcontent" adlcp:scormtype="sco" href="story.html">
      <file href="story.html"/>
    </resource>
  </resources>
</manifest>"""
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>Checkpoint briefing</title>
<style>body {{ font-family: sans-serif; }} .big {{ font-size: 1.2rem; }}</style>
<script>{FIND_API}
var api = findApi("API");
var started = Date.now();
function pad(n) {{ return (n < 10 ? "0" : "") + n; }}
function elapsed() {{
  var s = Math.max(1, Math.round((Date.now() - started) / 1000));
  return pad(Math.floor(s / 3600)) + ":" + pad(Math.floor(s / 60) % 60) + ":" + pad(s % 60);
}}
{PROBE}
</script></head>
<body data-part="{part}" onload="api.LMSInitialize('');
  document.getElementById('credit').textContent = api.LMSGetValue('cmi.core.credit');
  document.getElementById('launch').textContent = api.LMSGetValue('cmi.launch_data');
  document.getElementById('mastery').textContent = api.LMSGetValue('cmi.student_data.mastery_score');
  document.getElementById('entry').textContent = api.LMSGetValue('cmi.core.entry');
  {"probe('" + target + "');" if target else ""}"
  onunload="api.LMSSetValue('cmi.core.session_time', elapsed()); api.LMSFinish('');">
<h1 class="big">Checkpoint briefing</h1>
<p>Credit: <span id="credit"></span>; launch data: <span id="launch"></span>;
mastery: <span id="mastery"></span>; entry: <span id="entry"></span></p>
<div id="probe"></div><iframe name="sink" title="sink" hidden></iframe>
<button type="button" onclick="api.LMSSetValue('cmi.core.score.raw', '80');
  api.LMSSetValue('cmi.core.lesson_status', 'passed');
  api.LMSSetValue('cmi.suspend_data', 'slide=12');
  document.getElementById('said').textContent = 'Answer recorded';">Answer the question</button>
<p id="said"></p>
</body></html>"""
    return zipped({"imsmanifest.xml": manifest, "story.html": page})


# SCORM 1.2, three SCOs, no default organisation -------------------------------------------


def multi_12() -> bytes:
    items = "".join(
        f"""
      <item identifier="topic-{n}" identifierref="res-{n}"><title>Topic {n}</title></item>"""
        for n in (1, 2, 3)
    )
    resources = "".join(
        f"""
    <resource identifier="res-{n}" type="webcontent" adlcp:scormtype="sco" href="topic{n}/index.html">
      <file href="topic{n}/index.html"/>
    </resource>"""
        for n in (1, 2, 3)
    )
    manifest = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="document-checks" version="1" {NS_12}>
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations>
    <organization identifier="course">
      <title>Document checks in three topics</title>
      <item identifier="part-a"><title>Basics</title>{items}
      </item>
    </organization>
  </organizations>
  <resources>{resources}
  </resources>
</manifest>"""
    files = {"imsmanifest.xml": manifest}
    for n in (1, 2, 3):
        files[f"topic{n}/index.html"] = f"""<!doctype html><html><head><meta charset="utf-8">
<title>Topic {n}</title><script>{FIND_API} var api = findApi("API");</script></head>
<body onload="api.LMSInitialize(''); document.getElementById('who').textContent =
  api.LMSGetValue('cmi.core.student_name');"
  onunload="api.LMSSetValue('cmi.core.session_time', '00:00:02'); api.LMSFinish('');">
<h1>Topic {n}</h1><p>Learner: <span id="who"></span></p>
<button type="button" onclick="api.LMSSetValue('cmi.core.score.raw', '{60 + n * 10}');
  api.LMSSetValue('cmi.core.lesson_status', 'completed'); api.LMSCommit('');
  document.getElementById('done').textContent = 'Topic {n} done';">I have read topic {n}</button>
<p id="done"></p></body></html>"""
    return zipped(files)


# SCORM 2004 4th edition, sequencing rules and navigation requests --------------------------


def sequenced_2004() -> bytes:
    """Two SCOs under flow navigation: a quiz that may be tried once (limit condition), skipped
    once passed (pre-condition rule), and that moves on by itself (adl.nav.request=continue);
    then a summary that ends the course (exitAll). Rollup: satisfied when all are."""
    manifest = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="risk-analysis" version="1" {NS_2004}>
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="risk">
    <organization identifier="risk" adlseq:objectivesGlobalToSystem="false">
      <title>Risk analysis at the border</title>
      <item identifier="quiz" identifierref="quiz-res">
        <title>Quiz</title>
        <adlcp:data><adlcp:map targetID="risk.notes" readSharedData="true" writeSharedData="true"/></adlcp:data>
        <imsss:sequencing>
          <imsss:sequencingRules>
            <imsss:preConditionRule>
              <imsss:ruleConditions><imsss:ruleCondition condition="satisfied"/></imsss:ruleConditions>
              <imsss:ruleAction action="skip"/>
            </imsss:preConditionRule>
          </imsss:sequencingRules>
          <imsss:limitConditions attemptLimit="1"/>
          <imsss:objectives>
            <imsss:primaryObjective objectiveID="quiz-passed" satisfiedByMeasure="true">
              <imsss:minNormalizedMeasure>0.6</imsss:minNormalizedMeasure>
            </imsss:primaryObjective>
          </imsss:objectives>
        </imsss:sequencing>
      </item>
      <item identifier="summary" identifierref="summary-res">
        <title>Summary</title>
      </item>
      <imsss:sequencing>
        <imsss:controlMode choice="true" flow="true"/>
        <imsss:rollupRules>
          <imsss:rollupRule childActivitySet="all">
            <imsss:rollupConditions><imsss:rollupCondition condition="satisfied"/></imsss:rollupConditions>
            <imsss:rollupAction action="satisfied"/>
          </imsss:rollupRule>
        </imsss:rollupRules>
      </imsss:sequencing>
    </organization>
  </organizations>
  <resources>
    <resource identifier="quiz-res" type="webcontent" adlcp:scormType="sco" href="quiz.html">
      <file href="quiz.html"/>
    </resource>
    <resource identifier="summary-res" type="webcontent" adlcp:scormType="sco" href="summary.html">
      <file href="summary.html"/>
    </resource>
  </resources>
</manifest>"""
    quiz = f"""<!doctype html><html><head><meta charset="utf-8"><title>Quiz</title>
<script>{FIND_API} var api = findApi("API_1484_11");</script></head>
<body onload="api.Initialize('');
  document.getElementById('credit').textContent = api.GetValue('cmi.credit');
  document.getElementById('data').textContent = api.GetValue('adl.data._count') + '/' + api.GetLastError();">
<h1>Quiz</h1><p>Credit: <span id="credit"></span>; shared data: <span id="data"></span></p>
<button type="button" onclick="api.SetValue('cmi.score.scaled', '0.9');
  api.SetValue('cmi.score.raw', '9'); api.SetValue('cmi.score.min', '0'); api.SetValue('cmi.score.max', '10');
  api.SetValue('cmi.success_status', 'passed'); api.SetValue('cmi.completion_status', 'completed');
  api.SetValue('cmi.session_time', 'PT3S');
  api.SetValue('adl.nav.request', 'continue'); api.Terminate('');">Submit the quiz</button>
</body></html>"""
    summary = f"""<!doctype html><html><head><meta charset="utf-8"><title>Summary</title>
<script>{FIND_API} var api = findApi("API_1484_11");</script></head>
<body onload="api.Initialize('');">
<h1>Summary</h1>
<button type="button" onclick="api.SetValue('cmi.completion_status', 'completed');
  api.SetValue('cmi.success_status', 'passed'); api.SetValue('cmi.session_time', 'PT2S');
  api.SetValue('adl.nav.request', 'exitAll'); api.Terminate('');">Finish the course</button>
</body></html>"""
    return zipped({"imsmanifest.xml": manifest, "quiz.html": quiz, "summary.html": summary})


def zipped_manifest(data: bytes) -> bytes:
    """The manifest of a package built here."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("imsmanifest.xml")
