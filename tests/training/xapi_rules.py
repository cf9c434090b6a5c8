"""The rules of xAPI 1.0.3 a learning record store checks on a statement, written out strictly
and independently of Liaison's code, so that a test fails where a store would refuse.

``problems(statement)`` lists every rule a statement breaks (an empty list: a store takes it);
``result_problems(body)`` does the same for a StatementResult (``GET /statements``).
References are to the xAPI 1.0.3 specification, part two ("Data"), section 2.
"""

import re
import uuid

# 2.2: the properties of a statement; nothing else is allowed at the top level.
STATEMENT_KEYS = {
    "id",
    "actor",
    "verb",
    "object",
    "result",
    "context",
    "timestamp",
    "stored",
    "authority",
    "version",
    "attachments",
}
AGENT_KEYS = {"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"}
GROUP_KEYS = AGENT_KEYS | {"member"}
IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
ACTIVITY_DEFINITION_KEYS = {
    "name",
    "description",
    "type",
    "moreInfo",
    "extensions",
    "interactionType",
    "correctResponsesPattern",
    "choices",
    "scale",
    "source",
    "target",
    "steps",
}
RESULT_KEYS = {"score", "success", "completion", "response", "duration", "extensions"}
SCORE_KEYS = {"scaled", "raw", "min", "max"}
CONTEXT_KEYS = {
    "registration",
    "instructor",
    "team",
    "contextActivities",
    "revision",
    "platform",
    "language",
    "statement",
    "extensions",
}
CONTEXT_ACTIVITY_KEYS = {"parent", "grouping", "category", "other"}

IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
IRL = re.compile(r"^https?://[^\s/?#]+[^\s<>\"{}|\\^`]*$", re.IGNORECASE)
UUID = re.compile(
    r"^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", re.IGNORECASE
)
# 2.4.7: ISO 8601 with a zone; "-00:00" is not a zone (RFC 3339 "unknown offset").
TIMESTAMP = re.compile(
    r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?"
    r"(Z|(?!-00:00)[+-](0\d|1[0-4]):[0-5]\d)$"
)
# 2.4.5: ISO 8601 durations, weeks alone.
DURATION = re.compile(
    r"^P(?:\d+(?:\.\d+)?W|(?=\d|T\d)(?:\d+(?:\.\d+)?Y)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?D)?"
    r"(?:T(?=\d)(?:\d+(?:\.\d+)?H)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?S)?)?)$"
)
# RFC 5646 language tags (the "langtag" production; grandfathered tags aside).
LANGUAGE_TAG = re.compile(
    r"^(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"
    r"(?:-[A-Za-z]{4})?"
    r"(?:-(?:[A-Za-z]{2}|\d{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|\d[A-Za-z0-9]{3}))*"
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*"
    r"(?:-x(?:-[A-Za-z0-9]{1,8})+)?$"
    r"|^x(?:-[A-Za-z0-9]{1,8})+$"
)
VERSION = re.compile(r"^1\.0(\.\d+)?$")
SHA1 = re.compile(r"^[0-9a-f]{40}$")


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class _Check:
    def __init__(self):
        self.found: list[str] = []

    def fail(self, where: str, message: str):
        self.found.append(f"{where}: {message}")

    def keys(self, where: str, value, allowed: set, required=()):
        if not isinstance(value, dict):
            self.fail(where, "is not an object")
            return False
        for key in sorted(set(value) - allowed):
            self.fail(where, f"unknown property {key!r}")
        for key in required:
            if key not in value:
                self.fail(where, f"{key!r} is required")
        return True

    def iri(self, where: str, value):
        if not isinstance(value, str) or not IRI.match(value):
            self.fail(where, f"{value!r} is not an absolute IRI")

    def irl(self, where: str, value):
        if not isinstance(value, str) or not IRL.match(value):
            self.fail(where, f"{value!r} is not an absolute http(s) IRL")

    def uuid(self, where: str, value):
        if not isinstance(value, str) or not UUID.match(value):
            self.fail(where, f"{value!r} is not a UUID")
            return
        uuid.UUID(value)

    def language_map(self, where: str, value):
        if not isinstance(value, dict):
            self.fail(where, "is not a language map")
            return
        for tag, text in value.items():
            if not LANGUAGE_TAG.match(tag):
                self.fail(where, f"{tag!r} is not an RFC 5646 language tag")
            if not isinstance(text, str):
                self.fail(where, f"the {tag!r} value is not a string")

    def timestamp(self, where: str, value):
        if not isinstance(value, str) or not TIMESTAMP.match(value):
            self.fail(where, f"{value!r} is not an ISO 8601 date-time with a zone")

    def extensions(self, where: str, value):
        if not isinstance(value, dict):
            self.fail(where, "is not an object")
            return
        for key in value:
            self.iri(f"{where}.{key}", key)

    # 2.4.2 Actor ---------------------------------------------------------------------------

    def agent(self, where: str, value, *, group_allowed=True):
        if not isinstance(value, dict):
            self.fail(where, "is not an object")
            return
        kind = value.get("objectType", "Agent")
        if kind == "Group" and group_allowed:
            self.keys(where, value, GROUP_KEYS)
            members = value.get("member", [])
            if not isinstance(members, list):
                self.fail(f"{where}.member", "is not a list")
                members = []
            for i, member in enumerate(members):
                self.agent(f"{where}.member[{i}]", member, group_allowed=False)
            ifis = [key for key in IFIS if key in value]
            if len(ifis) > 1:
                self.fail(where, f"has {len(ifis)} inverse functional identifiers")
            if not ifis and not members:
                self.fail(where, "an anonymous group needs members")
        elif kind == "Agent":
            self.keys(where, value, AGENT_KEYS)
            ifis = [key for key in IFIS if key in value]
            if len(ifis) != 1:
                self.fail(where, f"needs exactly one inverse functional identifier, has {ifis}")
        else:
            self.fail(f"{where}.objectType", f"{kind!r} is not Agent or Group")
            return
        if "name" in value and not isinstance(value["name"], str):
            self.fail(f"{where}.name", "is not a string")
        if "mbox" in value and not (
            isinstance(value["mbox"], str) and re.match(r"^mailto:[^@\s]+@[^@\s]+$", value["mbox"])
        ):
            self.fail(f"{where}.mbox", "is not a mailto: IRI")
        if "mbox_sha1sum" in value and not (
            isinstance(value["mbox_sha1sum"], str) and SHA1.match(value["mbox_sha1sum"])
        ):
            self.fail(f"{where}.mbox_sha1sum", "is not a SHA-1 in hexadecimal")
        if "openid" in value:
            self.iri(f"{where}.openid", value["openid"])
        if "account" in value:
            account = value["account"]
            if self.keys(f"{where}.account", account, {"homePage", "name"}, ("homePage", "name")):
                if "homePage" in account:
                    self.irl(f"{where}.account.homePage", account["homePage"])
                if not isinstance(account.get("name"), str) or not account.get("name"):
                    self.fail(f"{where}.account.name", "is not a non-empty string")

    # 2.4.3 Verb, 2.4.4 Object --------------------------------------------------------------

    def verb(self, where: str, value):
        if self.keys(where, value, {"id", "display"}, ("id",)):
            self.iri(f"{where}.id", value.get("id"))
            if "display" in value:
                self.language_map(f"{where}.display", value["display"])

    def activity(self, where: str, value):
        if not self.keys(where, value, {"objectType", "id", "definition"}, ("id",)):
            return
        if value.get("objectType", "Activity") != "Activity":
            self.fail(f"{where}.objectType", "is not Activity")
        self.iri(f"{where}.id", value.get("id"))
        definition = value.get("definition")
        if definition is None:
            return
        if not self.keys(f"{where}.definition", definition, ACTIVITY_DEFINITION_KEYS):
            return
        for key in ("name", "description"):
            if key in definition:
                self.language_map(f"{where}.definition.{key}", definition[key])
        if "type" in definition:
            self.iri(f"{where}.definition.type", definition["type"])
        if "moreInfo" in definition:
            self.irl(f"{where}.definition.moreInfo", definition["moreInfo"])
        if "extensions" in definition:
            self.extensions(f"{where}.definition.extensions", definition["extensions"])

    def object(self, where: str, value):
        if not isinstance(value, dict):
            self.fail(where, "is not an object")
            return
        kind = value.get("objectType", "Activity")
        if kind == "Activity":
            self.activity(where, value)
        elif kind in ("Agent", "Group"):
            self.agent(where, value)
        elif kind == "StatementRef":
            if self.keys(where, value, {"objectType", "id"}, ("id",)):
                self.uuid(f"{where}.id", value.get("id"))
        else:
            self.fail(f"{where}.objectType", f"{kind!r} is not an object type Liaison sends")

    # 2.4.5 Result --------------------------------------------------------------------------

    def score(self, where: str, value):
        if not self.keys(where, value, SCORE_KEYS):
            return
        for key in SCORE_KEYS & set(value):
            if not _is_number(value[key]):
                self.fail(f"{where}.{key}", f"{value[key]!r} is not a number")
                return
        if "scaled" in value and not -1 <= value["scaled"] <= 1:
            self.fail(f"{where}.scaled", f"{value['scaled']} is outside [-1, 1]")
        low, high, raw = value.get("min"), value.get("max"), value.get("raw")
        if low is not None and high is not None and not low < high:
            self.fail(where, f"min {low} is not below max {high}")
        if raw is not None and low is not None and raw < low:
            self.fail(f"{where}.raw", f"{raw} is below min {low}")
        if raw is not None and high is not None and raw > high:
            self.fail(f"{where}.raw", f"{raw} is above max {high}")

    def result(self, where: str, value):
        if not self.keys(where, value, RESULT_KEYS):
            return
        if "score" in value:
            self.score(f"{where}.score", value["score"])
        for key in ("success", "completion"):
            if key in value and not isinstance(value[key], bool):
                self.fail(f"{where}.{key}", "is not a boolean")
        if "response" in value and not isinstance(value["response"], str):
            self.fail(f"{where}.response", "is not a string")
        if "duration" in value and not (
            isinstance(value["duration"], str) and DURATION.match(value["duration"])
        ):
            self.fail(f"{where}.duration", f"{value['duration']!r} is not an ISO 8601 duration")
        if "extensions" in value:
            self.extensions(f"{where}.extensions", value["extensions"])

    # 2.4.6 Context -------------------------------------------------------------------------

    def context(self, where: str, value, statement: dict):
        if not self.keys(where, value, CONTEXT_KEYS):
            return
        if "registration" in value:
            self.uuid(f"{where}.registration", value["registration"])
        if "instructor" in value:
            self.agent(f"{where}.instructor", value["instructor"])
        if "team" in value:
            team = value["team"]
            if not isinstance(team, dict) or team.get("objectType") != "Group":
                self.fail(f"{where}.team", "is not a Group")
            else:
                self.agent(f"{where}.team", team)
        activities = value.get("contextActivities")
        if activities is not None and self.keys(
            f"{where}.contextActivities", activities, CONTEXT_ACTIVITY_KEYS
        ):
            for key, items in activities.items():
                items = items if isinstance(items, list) else [items]
                for i, item in enumerate(items):
                    self.activity(f"{where}.contextActivities.{key}[{i}]", item)
        is_activity = statement.get("object", {}).get("objectType", "Activity") == "Activity"
        for key in ("revision", "platform"):
            if key in value:
                if not isinstance(value[key], str):
                    self.fail(f"{where}.{key}", "is not a string")
                if not is_activity:
                    self.fail(f"{where}.{key}", "is allowed only when the object is an Activity")
        if "language" in value and not (
            isinstance(value["language"], str) and LANGUAGE_TAG.match(value["language"])
        ):
            self.fail(f"{where}.language", f"{value['language']!r} is not an RFC 5646 tag")
        if "statement" in value:
            reference = value["statement"]
            if self.keys(f"{where}.statement", reference, {"objectType", "id"}, ("id",)):
                if reference.get("objectType") != "StatementRef":
                    self.fail(f"{where}.statement.objectType", "is not StatementRef")
                self.uuid(f"{where}.statement.id", reference.get("id"))
        if "extensions" in value:
            self.extensions(f"{where}.extensions", value["extensions"])

    # 2.4 The statement ---------------------------------------------------------------------

    def statement(self, value):
        if not self.keys(
            "statement", value, STATEMENT_KEYS, ("id", "actor", "verb", "object", "timestamp")
        ):
            return
        if "id" in value:
            self.uuid("id", value["id"])
        if "actor" in value:
            self.agent("actor", value["actor"])
        if "verb" in value:
            self.verb("verb", value["verb"])
        if "object" in value:
            self.object("object", value["object"])
        if "result" in value:
            self.result("result", value["result"])
        if "context" in value:
            self.context("context", value["context"], value)
        if "timestamp" in value:
            self.timestamp("timestamp", value["timestamp"])
        if "stored" in value:
            self.timestamp("stored", value["stored"])
        if "authority" in value:
            self.agent("authority", value["authority"])
        if "version" in value and not (
            isinstance(value["version"], str) and VERSION.match(value["version"])
        ):
            self.fail("version", f"{value['version']!r} is not 1.0.x")


def problems(statement) -> list[str]:
    """Every xAPI 1.0.3 rule ``statement`` breaks; empty when a store would take it."""
    check = _Check()
    check.statement(statement)
    return check.found


def result_problems(body) -> list[str]:
    """The same for a StatementResult: ``statements`` (each checked) and ``more`` (empty, or a
    relative IRL: a path with its query, no scheme, host or port)."""
    check = _Check()
    if not check.keys("StatementResult", body, {"statements", "more"}, ("statements",)):
        return check.found
    statements = body.get("statements")
    if not isinstance(statements, list):
        check.fail("statements", "is not a list")
        statements = []
    found = list(check.found)
    for i, statement in enumerate(statements):
        found += [f"statements[{i}].{problem}" for problem in problems(statement)]
    more = body.get("more", "")
    if not isinstance(more, str) or (more and not re.match(r"^/[^\s]*$", more)):
        found.append(f"more: {more!r} is not empty nor a relative IRL")
    return found


def assert_valid(statement):
    found = problems(statement)
    assert not found, "xAPI 1.0.3 refuses this statement:\n  " + "\n  ".join(found)
