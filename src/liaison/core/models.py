from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a signed-in person may do across the platform.

    Anonymous visitors are the public role; they never need an account.
    """

    SECRETARIAT = "secretariat", _("Secretariat")
    PROJECT_MANAGER = "project_manager", _("Project manager")
    STAFF_VIEWER = "staff_viewer", _("Staff viewer")
    # Reads the log of who looked at personal data (and nothing more than a public account).
    DATA_PROTECTION_OFFICER = "data_protection_officer", _("Data protection officer")
    PUBLIC = "public", _("Public")


STAFF_ROLES = {Role.SECRETARIAT, Role.PROJECT_MANAGER, Role.STAFF_VIEWER}


class User(AbstractUser):
    """A person who signs in. The role decides what they see; projects decide what they edit."""

    role = models.CharField(_("role"), max_length=30, choices=Role.choices, default=Role.PUBLIC)
    # Raised by "sign out of all other sessions": it is part of the session hash, so every
    # session signed in before the change no longer matches (see _get_session_auth_hash).
    session_epoch = models.PositiveIntegerField(_("session generation"), default=0, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def save(self, *args, **kwargs):
        # Django's admin sign-in asks for is_staff; keep it in step with the role.
        self.is_staff = self.is_superuser or self.role == Role.SECRETARIAT
        super().save(*args, **kwargs)

    def _get_session_auth_hash(self, secret=None):
        """Django signs each session with a hash of the password, so a new password ends the
        other sessions; the session generation joins it so they can also be ended on request.
        Generation 0 keeps Django's own hash, so existing sessions survive the upgrade."""
        if not self.session_epoch:
            return super()._get_session_auth_hash(secret=secret)
        key_salt = "liaison.core.models.User.get_session_auth_hash"
        value = f"{self.password}:{self.session_epoch}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    @property
    def role_label(self) -> str:
        """The role shown beside the name, or nothing for the public role: every account has it,
        so "(Public)" beside a name says nothing."""
        return "" if self.role == Role.PUBLIC else self.get_role_display()

    @property
    def is_secretariat(self) -> bool:
        return self.is_active and (self.is_superuser or self.role == Role.SECRETARIAT)

    @property
    def is_liaison_staff(self) -> bool:
        """Staff read everything, personal contact details included."""
        return self.is_active and (self.is_superuser or self.role in STAFF_ROLES)

    def has_perm(self, perm, obj=None):
        # The secretariat runs the whole installation, the admin included.
        if self.is_secretariat:
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label):
        if self.is_secretariat:
            return True
        return super().has_module_perms(app_label)


class AuditEntry(models.Model):
    """Who changed what, when, and from which value to which.

    Written by service functions for changes to people, money and decisions; never edited.
    """

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=40)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # The personal access token an API call was made with: the actor is its owner, and the
    # token says which of their scripts acted.
    via_token = models.ForeignKey(
        "core.PersonalAccessToken",
        verbose_name=_("through token"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
    )

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            # The audit log filters by action and by actor, newest first.
            models.Index(fields=["action", "-at"], name="audit_action_idx"),
            models.Index(fields=["actor", "-at"], name="audit_actor_idx"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def change_lines(self) -> list[dict]:
        """The changes as a person reads them: the field's label, then old → new.

        Entries also carry plain context (``{"event": 5}``), shown as a value alone.
        """
        try:
            meta = apps.get_model(self.object_type)._meta
        except (LookupError, ValueError):
            meta = None
        lines = []
        for name, value in (self.changes or {}).items():
            label = _field_label(meta, name)
            if isinstance(value, list) and len(value) == 2:
                old, new = _readable(value[0]), _readable(value[1])
                lines.append({"field": label, "old": old, "new": new, "pair": True})
            else:
                lines.append({"field": label, "new": _readable(value), "pair": False})
        return lines


def _field_label(meta, name: str) -> str:
    """The field's own label where the model has that field; the stored key otherwise."""
    try:
        return capfirst(meta.get_field(name).verbose_name)
    except (FieldDoesNotExist, AttributeError):
        return name


def _readable(value):
    """A list as "a, b"; nothing (None, "", []) as None, which the page shows as a dash."""
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return None if value in (None, "") else value


# Personal access tokens live in their own module (model and the writes that make and end them).
from .tokens import PersonalAccessToken  # noqa: E402, F401
