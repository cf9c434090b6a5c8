"""Writes of the catalogue: modules, their versions and translations.

Each runs in a transaction, asks the permission check and writes the audit trail: the
catalogue is what accreditation bodies and partner centres rely on, so every change says who
made it and why.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from liaison.core import audit

from .. import permissions
from ..models import Module, ModuleVersion
from . import TrainingError, require

MODULE_FIELDS = [
    "code",
    "title",
    "summary",
    "version",
    "languages",
    "level_framework",
    "level",
    "entry_requirements",
    "learning_outcomes",
    "duration_hours",
    "delivery_modes",
    "assessment_method",
    "accreditation",
    "accrediting_body",
    "submitted_on",
    "accredited_on",
    "accreditation_expires_on",
    "shared_with_network",
    "published",
]


def snapshot(module: Module) -> dict:
    """The module as JSON, competency areas and translations included."""
    data = json.loads(
        json.dumps(model_to_dict(module, fields=MODULE_FIELDS), cls=DjangoJSONEncoder)
    )
    data["competency_areas"] = sorted(area.name for area in module.competency_areas.all())
    data["translations"] = {
        t.language: {
            "title": t.title,
            "summary": t.summary,
            "learning_outcomes": t.learning_outcomes,
        }
        for t in module.translations.all()
    }
    return data


def save_module(user, form, reason: str = "") -> Module:
    """Save a module from a valid ``ModuleForm``; a new module starts its version history."""
    module = form.instance
    require(permissions.can_manage_centre(user, module.centre))
    creating = module.pk is None
    before = (
        {} if creating else model_to_dict(Module.objects.get(pk=module.pk), fields=MODULE_FIELDS)
    )
    with transaction.atomic():
        module = form.save()
        after = model_to_dict(module, fields=MODULE_FIELDS)
        audit.record(
            user, "create" if creating else "update", module, audit.diff(before, after), reason
        )
        if creating:
            ModuleVersion.objects.create(
                module=module,
                version=module.version,
                changes=_("First version."),
                snapshot=snapshot(module),
                created_by=user,
            )
    return module


def issue_version(user, module: Module, version: str, changes: str) -> ModuleVersion:
    """Raise the module's version and freeze a copy of it, so certificates issued later name
    the version the trainee took and the history shows what changed."""
    require(permissions.can_edit_module(user, module))
    version = version.strip()
    if not version or not changes.strip():
        raise TrainingError(_("A new version needs a number and a note of what changed."))
    with transaction.atomic():
        module = Module.objects.select_for_update().get(pk=module.pk)
        if version == module.version or module.versions.filter(version=version).exists():
            raise TrainingError(_("This version number is already used."))
        old = module.version
        module.version = version
        module.save(update_fields=["version", "updated"])
        issued = ModuleVersion.objects.create(
            module=module,
            version=version,
            changes=changes,
            snapshot=snapshot(module),
            created_by=user,
        )
        audit.record(user, "new_version", module, {"version": [old, version]}, changes)
    return issued


def save_translation(user, form):
    module = form.module
    require(permissions.can_edit_module(user, module))
    creating = form.instance.pk is None
    with transaction.atomic():
        form.instance.module = module
        translation = form.save()
        audit.record(
            user,
            "translate",
            module,
            {"language": [None if creating else translation.language, translation.language]},
        )
    return translation
