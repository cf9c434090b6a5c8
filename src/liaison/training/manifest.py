"""Reading a package's ``imsmanifest.xml``: what the package is and how a learner goes through it.

The manifest's organisation is a tree of items; the leaves name resources, SCOs (which talk to
the runtime) or assets (plain pages). It becomes a ``Structure``: the table of contents the
player shows beside the package, each SCO's launch page and launch data, and, for SCORM 2004,
the item's sequencing written the way the scorm-again runtime takes it (``activity``), so that
the browser applies the manifest's rules. What the manifest names but the package lacks, or
what Liaison does not play, is listed as problems for the uploader before anyone learns from it.

DTDs and entities are refused outright: a manifest never needs them, and they are how
external-entity and entity-expansion attacks come in.
"""

import posixpath
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import ParseError

import defusedxml
from defusedxml import ElementTree
from django.utils.translation import gettext as _

from .models import ScormVersion
from .services import TrainingError

MANIFEST_BYTES = 2 * 1024 * 1024
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


class ScormError(TrainingError):
    """The package cannot be used; the message tells the uploader why."""


@dataclass
class Manifest:
    version: str
    edition: str
    identifier: str
    title: str
    # Items in the order a learner meets them, each a dict (see ``_item``); the first SCO is
    # where a learner starts when nothing else says so.
    items: list = field(default_factory=list)
    # The organisation as scorm-again's activity tree (SCORM 2004 only).
    activity_tree: dict | None = None
    collections: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    size: int = 0
    file_count: int = 0

    @property
    def scos(self) -> list:
        return [item for item in self.items if item["launch"]]

    @property
    def first(self) -> dict:
        """Where a learner starts: the first SCO, else the first page."""
        return next((item for item in self.scos if item["sco"]), self.scos[0])

    @property
    def launch(self) -> str:
        return self.first["launch"]

    @property
    def mastery_score(self) -> Decimal | None:
        return _decimal(self.first.get("mastery_score"))

    @property
    def sequenced(self) -> bool:
        return self.activity_tree is not None


# XML helpers -------------------------------------------------------------------------------


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element, name):
    return [child for child in element if _local(child.tag) == name]


def _child(element, name):
    found = _children(element, name)
    return found[0] if found else None


def _attribute(element, name, default="") -> str:
    """An attribute whatever its namespace (``adlcp:scormtype`` in 1.2, ``scormType`` in 2004)."""
    if element is None:
        return default
    for key, value in element.attrib.items():
        if _local(key).lower() == name.lower():
            return value.strip()
    return default


def _flag(element, name, default: bool) -> bool:
    value = _attribute(element, name).lower()
    return default if value == "" else value == "true"


def _text(element, name) -> str:
    child = _child(element, name) if element is not None else None
    return (child.text or "").strip() if child is not None else ""


def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value).strip()) if value not in (None, "") else None
    except InvalidOperation:
        return None


def _number(value, default=None):
    number = _decimal(value)
    return float(number) if number is not None and number.is_finite() else default


# Version -----------------------------------------------------------------------------------


def _version(root) -> tuple[str, str]:
    """SCORM version and, for 2004, the edition the manifest names (2nd, 3rd or 4th)."""
    for metadata in _children(root, "metadata"):
        text = _text(metadata, "schemaversion").lower()
        if text == "1.2":
            return ScormVersion.SCORM_12, ""
        if "2004" in text or "1.3" in text:
            edition = next((e for e in ("4th", "3rd", "2nd") if e in text), "")
            return ScormVersion.SCORM_2004, edition or ("2nd" if "1.3" in text else "")
    names = {element.tag for element in root.iter() if isinstance(element.tag, str)}
    names |= {key for element in root.iter() for key in element.attrib}
    names |= {value for element in root.iter() for value in element.attrib.values()}
    joined = " ".join(names)
    if "adlcp_v1p3" in joined or "imsss" in joined or "adlseq" in joined:
        return ScormVersion.SCORM_2004, ""
    if "adlcp_rootv1p2" in joined or "imscp_rootv1p1p2" in joined:
        return ScormVersion.SCORM_12, ""
    raise ScormError(_("The manifest does not say which SCORM version the package follows."))


# Launch addresses --------------------------------------------------------------------------


def normalise_launch(href: str) -> str:
    """The launch address as a path inside the package (query kept), or ScormError when it
    would leave the package."""
    parts = urlsplit(href.strip())
    if parts.scheme or parts.netloc or href.strip().startswith("//"):
        raise ScormError(
            _("The package starts from an address outside it (%(href)s).") % {"href": href}
        )
    path = unquote(parts.path).replace("\\", "/")
    if not path or path.startswith("/"):
        raise ScormError(
            _("The package's start page is not inside it (%(href)s).") % {"href": href}
        )
    normal = posixpath.normpath(path)
    if normal == ".." or normal.startswith("../") or normal.startswith("/"):
        raise ScormError(
            _("The package's start page points outside it (%(href)s).") % {"href": href}
        )
    return normal + (f"?{parts.query}" if parts.query else "")


# Sequencing (SCORM 2004) -------------------------------------------------------------------


def _rule(rule) -> dict:
    conditions = _child(rule, "ruleConditions")
    action = _child(rule, "ruleAction")
    result = {
        "action": _attribute(action, "action"),
        "conditionCombination": _attribute(conditions, "conditionCombination", "all"),
        "conditions": [],
    }
    for condition in _children(conditions, "ruleCondition") if conditions is not None else []:
        item = {
            "condition": _attribute(condition, "condition"),
            "operator": _attribute(condition, "operator", "noOp"),
        }
        if _attribute(condition, "referencedObjective"):
            item["referencedObjective"] = _attribute(condition, "referencedObjective")
        if _attribute(condition, "measureThreshold"):
            item["parameters"] = {
                "threshold": _number(_attribute(condition, "measureThreshold"), 0)
            }
        result["conditions"].append(item)
    return result


def _objective(element, primary: bool) -> dict:
    objective = {
        "objectiveID": _attribute(element, "objectiveID"),
        "isPrimary": primary,
        "satisfiedByMeasure": _flag(element, "satisfiedByMeasure", False),
    }
    measure = _text(element, "minNormalizedMeasure")
    if measure:
        objective["minNormalizedMeasure"] = _number(measure, 1.0)
    maps = []
    for info in _children(element, "mapInfo"):
        entry = {"targetObjectiveID": _attribute(info, "targetObjectiveID")}
        for name, default in (
            ("readSatisfiedStatus", True),
            ("readNormalizedMeasure", True),
            ("writeSatisfiedStatus", False),
            ("writeNormalizedMeasure", False),
        ):
            entry[name] = _flag(info, name, default)
        maps.append(entry)
    if maps:
        objective["mapInfo"] = maps
    return objective


def sequencing_of(element) -> dict:
    """An ``imsss:sequencing`` element as scorm-again's activity settings (the names match the
    manifest's: SCORM's sequencing vocabulary is the runtime's)."""
    settings: dict = {}
    if element is None:
        return settings
    controls = {}
    mode = _child(element, "controlMode")
    if mode is not None:
        for name, default in (
            ("choice", True),
            ("choiceExit", True),
            ("flow", False),
            ("forwardOnly", False),
            ("useCurrentAttemptObjectiveInfo", True),
            ("useCurrentAttemptProgressInfo", True),
        ):
            controls[name] = _flag(mode, name, default)
    rollup = _child(element, "rollupRules")
    if rollup is not None:
        controls["rollupObjectiveSatisfied"] = _flag(rollup, "rollupObjectiveSatisfied", True)
        controls["rollupProgressCompletion"] = _flag(rollup, "rollupProgressCompletion", True)
        controls["objectiveMeasureWeight"] = _number(
            _attribute(rollup, "objectiveMeasureWeight"), 1.0
        )
        rules = []
        for rule in _children(rollup, "rollupRule"):
            conditions = _child(rule, "rollupConditions")
            entry = {
                "action": _attribute(_child(rule, "rollupAction"), "action"),
                "consideration": _attribute(rule, "childActivitySet", "all"),
                "minimumCount": int(_number(_attribute(rule, "minimumCount"), 0)),
                "minimumPercent": _number(_attribute(rule, "minimumPercent"), 0),
                "conditionCombination": _attribute(conditions, "conditionCombination", "any"),
                "conditions": [
                    {
                        "condition": _attribute(condition, "condition"),
                        "operator": _attribute(condition, "operator", "noOp"),
                    }
                    for condition in (
                        _children(conditions, "rollupCondition") if conditions is not None else []
                    )
                ],
            }
            rules.append(entry)
        if rules:
            settings["rollupRules"] = {"rules": rules}
    delivery = _child(element, "deliveryControls")
    if delivery is not None:
        settings["deliveryControls"] = {
            "tracked": _flag(delivery, "tracked", True),
            "completionSetByContent": _flag(delivery, "completionSetByContent", False),
            "objectiveSetByContent": _flag(delivery, "objectiveSetByContent", False),
        }
    randomisation = _child(element, "randomizationControls")
    if randomisation is not None:
        count = _attribute(randomisation, "selectCount")
        controls["randomizeChildren"] = _flag(randomisation, "reorderChildren", False)
        if count:
            controls["selectCount"] = int(_number(count, 0))
    constrained = _child(element, "constrainedChoiceConsiderations")
    if constrained is not None:
        controls["preventActivation"] = _flag(constrained, "preventActivation", False)
        controls["constrainChoice"] = _flag(constrained, "constrainChoice", False)
    if controls:
        settings["sequencingControls"] = controls
    rules = _child(element, "sequencingRules")
    if rules is not None:
        settings["sequencingRules"] = {
            key: [_rule(rule) for rule in _children(rules, tag)]
            for key, tag in (
                ("preConditionRules", "preConditionRule"),
                ("exitConditionRules", "exitConditionRule"),
                ("postConditionRules", "postConditionRule"),
            )
        }
    limits = _child(element, "limitConditions")
    if limits is not None:
        if _attribute(limits, "attemptLimit"):
            settings["attemptLimit"] = int(_number(_attribute(limits, "attemptLimit"), 0))
        if _attribute(limits, "attemptAbsoluteDurationLimit"):
            settings["attemptAbsoluteDurationLimit"] = _attribute(
                limits, "attemptAbsoluteDurationLimit"
            )
    objectives = _child(element, "objectives")
    if objectives is not None:
        primary = _child(objectives, "primaryObjective")
        if primary is not None:
            settings["primaryObjective"] = _objective(primary, True)
        others = [_objective(o, False) for o in _children(objectives, "objective")]
        if others:
            settings["objectives"] = others
    considerations = _child(element, "rollupConsiderations")
    if considerations is not None:
        settings["rollupConsiderations"] = {
            name: _attribute(considerations, name, "always")
            for name in (
                "requiredForSatisfied",
                "requiredForNotSatisfied",
                "requiredForCompleted",
                "requiredForIncomplete",
            )
        } | {
            "measureSatisfactionIfActive": _flag(
                considerations, "measureSatisfactionIfActive", True
            )
        }
    if _attribute(element, "IDRef"):
        settings["sequencingIdRef"] = _attribute(element, "IDRef")
    return settings


def _hidden_ui(item) -> list:
    hidden = []
    for element in item.iter():
        if _local(element.tag) == "hideLMSUI" and element.text and element.text.strip():
            hidden.append(element.text.strip())
    return hidden


# The organisation --------------------------------------------------------------------------


def _resources(root):
    resources = {}
    for group in _children(root, "resources"):
        base = _attribute(group, "base") or group.attrib.get(XML_BASE, "").strip()
        for resource in _children(group, "resource"):
            resources[_attribute(resource, "identifier")] = (resource, base)
    return resources


def _organisation(root, problems):
    """The organisation a learner goes through: the default one, else the first (a manifest
    whose ``organizations`` names no default, or a wrong one, plays as other platforms play
    it)."""
    organisations = _child(root, "organizations")
    if organisations is None:
        return None
    found = _children(organisations, "organization")
    if not found:
        return None
    default = _attribute(organisations, "default")
    chosen = next((o for o in found if _attribute(o, "identifier") == default), None)
    if chosen is None:
        chosen = found[0]
        if default:
            problems.append(
                _("The default organisation %(name)s is not in the manifest; the first is used.")
                % {"name": default}
            )
    if len(found) > 1:
        problems.append(
            _("The manifest has %(count)s organisations; learners follow %(name)s.")
            % {"count": len(found), "name": _title(chosen) or _attribute(chosen, "identifier")}
        )
    return chosen


def _title(element) -> str:
    return _text(element, "title")[:300]


def _item(item, parent, depth, resources, version, problems) -> dict:
    """One item of the organisation: a SCO or asset when it names a resource, else a group."""
    identifier = _attribute(item, "identifier")
    entry = {
        "id": identifier,
        "title": _title(item) or identifier,
        "parent": parent,
        "depth": depth,
        "launch": "",
        "sco": False,
        "visible": _flag(item, "isvisible", True),
    }
    reference = _attribute(item, "identifierref")
    if reference:
        found = resources.get(reference)
        if found is None:
            problems.append(
                _("Item %(item)s names a resource that is not in the manifest (%(ref)s).")
                % {"item": entry["title"], "ref": reference}
            )
        elif _attribute(found[0], "href"):
            resource, base = found
            href = _attribute(resource, "href")
            parameters = _attribute(item, "parameters").lstrip("?&")
            if parameters:
                href += ("&" if "?" in href else "?") + parameters
            resource_base = _attribute(resource, "base") or resource.attrib.get(XML_BASE, "")
            entry["launch"] = normalise_launch(posixpath.join(base, resource_base, href))[:500]
            entry["sco"] = _attribute(resource, "scormtype").lower() == "sco"
    if version == ScormVersion.SCORM_12:
        for key, tag in (
            ("mastery_score", "masteryscore"),
            ("data_from_lms", "datafromlms"),
            ("max_time_allowed", "maxtimeallowed"),
            ("time_limit_action", "timelimitaction"),
            ("prerequisites", "prerequisites"),
        ):
            if _text(item, tag):
                entry[key] = _text(item, tag)[:4000]
    else:
        if _text(item, "dataFromLMS"):
            entry["data_from_lms"] = _text(item, "dataFromLMS")[:4000]
        if _text(item, "timeLimitAction"):
            entry["time_limit_action"] = _text(item, "timeLimitAction")
        threshold = _child(item, "completionThreshold")
        if threshold is not None:
            entry["completion_threshold"] = (threshold.text or "").strip() or _attribute(
                threshold, "minProgressMeasure", "1.0"
            )
        objective = None
        for element in item.iter():
            if _local(element.tag) == "primaryObjective":
                objective = element
                break
        if objective is not None and _flag(objective, "satisfiedByMeasure", False):
            measure = _decimal(_text(objective, "minNormalizedMeasure"))
            if measure is not None:
                entry["mastery_score"] = str(measure * 100)
    return entry


def _walk(element, parent, depth, resources, version, problems, items):
    """Items depth first, in the order a learner meets them; their activity tree (2004)."""
    children = []
    for item in _children(element, "item"):
        entry = _item(item, parent, depth, resources, version, problems)
        items.append(entry)
        activity = {"id": entry["id"], "title": entry["title"]}
        activity.update(sequencing_of(_child(item, "sequencing")))
        if not entry["visible"]:
            activity["isVisible"] = False
        maps = [
            {
                "targetID": _attribute(entry_map, "targetID"),
                "readSharedData": _flag(entry_map, "readSharedData", True),
                "writeSharedData": _flag(entry_map, "writeSharedData", False),
            }
            for data in _children(item, "data")
            for entry_map in _children(data, "map")
            if _attribute(entry_map, "targetID")
        ]
        if maps:
            activity["sharedDataMaps"] = maps
        hidden = _hidden_ui(_child(item, "presentation")) if _child(item, "presentation") else []
        if hidden:
            activity["hideLmsUi"] = hidden
        nested = _walk(item, entry["id"], depth + 1, resources, version, problems, items)
        if nested:
            activity["children"] = nested
        children.append(activity)
    return children


def parse(data: bytes) -> Manifest:
    """Read ``imsmanifest.xml``: version, identifier, title, the items of the organisation with
    their launch pages, the sequencing (2004) and what is wrong with it."""
    if len(data) > MANIFEST_BYTES:
        raise ScormError(_("The manifest is too large."))
    try:
        root = ElementTree.fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except defusedxml.DefusedXmlException as error:
        raise ScormError(
            _("The manifest declares a DTD or entities, which are refused for safety.")
        ) from error
    except (ParseError, ValueError) as error:
        raise ScormError(
            _("The manifest is not well-formed XML: %(error)s") % {"error": error}
        ) from error
    if _local(root.tag) != "manifest":
        raise ScormError(_("imsmanifest.xml is not a content package manifest."))
    version, edition = _version(root)
    problems: list = []
    resources = _resources(root)
    organisation = _organisation(root, problems)
    items: list = []
    tree = None
    if organisation is not None:
        children = _walk(organisation, "", 0, resources, version, problems, items)
        tree = {
            "id": _attribute(organisation, "identifier") or "root",
            "title": _title(organisation),
        }
        tree.update(sequencing_of(_child(organisation, "sequencing")))
        tree["children"] = children
    if organisation is None:
        # No organisation at all: the first SCO resource, alone.
        for identifier, (resource, base) in resources.items():
            if _attribute(resource, "href") and _attribute(resource, "scormtype").lower() == "sco":
                launch = normalise_launch(posixpath.join(base, _attribute(resource, "href")))
                items = [
                    {
                        "id": identifier,
                        "title": _title(organisation) if organisation is not None else identifier,
                        "parent": "",
                        "depth": 0,
                        "launch": launch[:500],
                        "sco": True,
                        "visible": True,
                    }
                ]
                tree = {
                    "id": "root",
                    "title": items[0]["title"],
                    "children": [{"id": identifier, "title": items[0]["title"]}],
                }
                break
    if not any(item["launch"] for item in items):
        raise ScormError(_("The manifest names no page to launch (no SCO resource with an href)."))
    collections = {}
    for group in _children(root, "sequencingCollection"):
        for sequencing in _children(group, "sequencing"):
            if _attribute(sequencing, "ID"):
                collections[_attribute(sequencing, "ID")] = sequencing_of(sequencing)
    title = (_title(organisation) if organisation is not None else "") or items[0]["title"]
    return Manifest(
        version=version,
        edition=edition,
        identifier=_attribute(root, "identifier")[:300],
        title=title[:300],
        items=items,
        activity_tree=tree if version == ScormVersion.SCORM_2004 else None,
        collections=collections,
        problems=problems,
    )


def listed_files(data: bytes) -> list[str]:
    """Every file the manifest's resources list (``<file href>``) and every launch page, as
    paths inside the package, to check that the package holds them."""
    root = ElementTree.fromstring(data, forbid_dtd=True, forbid_entities=True)
    paths = []
    for _identifier, (resource, base) in _resources(root).items():
        resource_base = _attribute(resource, "base") or resource.attrib.get(XML_BASE, "")
        for file in _children(resource, "file"):
            href = _attribute(file, "href")
            if href and not urlsplit(href).scheme:
                paths.append(posixpath.normpath(unquote(posixpath.join(base, resource_base, href))))
    return paths
