"""A cooperation request, the case it opens at each receiving unit, and its messages.

What is said (subject, narrative, replies, entities, attachment names and contents) is
encrypted at rest (``crypto``); what the statistics count (units, dates, urgency, codes,
statuses, grounds of refusal) is not, so that the network's health can be shown without any
content. The sending unit's request goes to one or more units; at each, a ``Case`` follows it
from received (acknowledged at once) to assigned, answered or refused, and closed.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..crypto import EncryptedTextField
from .units import ExchangeNetwork, Unit


class RequestKind(models.TextChoices):
    INFORMATION = "information", _("Request for information")
    ASSISTANCE = "assistance", _("Request for assistance")
    SPONTANEOUS = "spontaneous", _("Spontaneous exchange")
    JOINT_ACTION = "joint_action", _("Proposal for a joint operation or action day")


class CrimeArea(models.TextChoices):
    SMUGGLING = "smuggling", _("Migrant smuggling")
    TRAFFICKING = "trafficking", _("Trafficking in human beings")
    DOCUMENT_FRAUD = "document_fraud", _("Document fraud")
    PROPERTY = "property", _("Organised property crime")
    DRUGS = "drugs", _("Drug trafficking")
    TERRORISM = "terrorism", _("Terrorism")
    CYBER = "cyber", _("Cybercrime")
    OTHER = "other", _("Other")


class Urgency(models.TextChoices):
    """How fast an answer is due (Directive (EU) 2023/977, article 5)."""

    URGENT_DIRECT = "urgent_direct", _("Urgent, directly accessible information (8 hours)")
    URGENT = "urgent", _("Urgent (3 calendar days)")
    NORMAL = "normal", _("Not urgent (7 calendar days)")


class HandlingCode(models.TextChoices):
    H0 = "H0", _("H0 – may be used for preventing and combating crime")
    H1 = "H1", _("H1 – not as evidence in court without the sender's permission")
    H2 = "H2", _("H2 – not to be passed on without the sender's permission")
    H3 = "H3", _("H3 – other restrictions, stated in words")


class SourceEvaluation(models.TextChoices):
    A = "A", _("A – no doubt about the source")
    B = "B", _("B – the source has mostly proved reliable")
    C = "C", _("C – the source has mostly proved unreliable")
    X = "X", _("X – the reliability cannot be assessed")


class InformationEvaluation(models.TextChoices):
    ONE = "1", _("1 – known to be true without reservation")
    TWO = "2", _("2 – known personally to the source, not to the official passing it on")
    THREE = "3", _("3 – not known personally to the source, corroborated")
    FOUR = "4", _("4 – not known personally to the source, not corroborated")


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSIGNED = "assigned", _("Assigned")
    ANSWERED = "answered", _("Answered")
    REFUSED = "refused", _("Refused")
    CLOSED = "closed", _("Closed")


# Cases still waiting for the receiving unit: their clock runs.
OPEN_CASES = (CaseStatus.RECEIVED, CaseStatus.ASSIGNED)


class RefusalGround(models.TextChoices):
    """Grounds on which a unit may refuse (after Directive (EU) 2023/977, article 6)."""

    NOT_AVAILABLE = "not_available", _("The information is not available")
    INVESTIGATION = "investigation", _("It would harm an investigation or a person's safety")
    DISPROPORTIONATE = "disproportionate", _("Disproportionate or irrelevant to the purpose")
    COMPETENCE = "competence", _("Outside the unit's competence")
    JUDICIAL = "judicial", _("Requires a judicial authorisation that was refused")
    OTHER = "other", _("Other ground, stated in the reason")


class Request(models.Model):
    exchange = models.ForeignKey(
        ExchangeNetwork, verbose_name=_("network"), on_delete=models.PROTECT, related_name="+"
    )
    sender = models.ForeignKey(
        Unit, verbose_name=_("sending unit"), on_delete=models.PROTECT, related_name="sent"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    subject = EncryptedTextField(_("subject"))
    kind = models.CharField(_("type"), max_length=20, choices=RequestKind.choices)
    crime_area = models.CharField(
        _("crime area"), max_length=20, choices=CrimeArea.choices, db_index=True
    )
    language = models.CharField(_("language"), max_length=10, default="en")
    urgency = models.CharField(
        _("urgency"), max_length=20, choices=Urgency.choices, default=Urgency.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.DRAFT
    )
    # The sending unit's supervisor may keep it to its author and the supervisors.
    restricted = models.BooleanField(_("restricted to its author and supervisors"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    content_erased_at = models.DateTimeField(_("content erased"), null=True, blank=True)
    # A request made of what another unit sent, with its permission where the code asks it.
    forwarded_from = models.ForeignKey(
        "exchange.Message",
        verbose_name=_("passed on from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forwarded_as",
    )

    class Meta:
        verbose_name = _("cooperation request")
        verbose_name_plural = _("cooperation requests")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["sender", "year", "number"], name="one_request_number"),
        ]
        indexes = [models.Index(fields=["sender", "status"], name="exchange_request_sender")]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("exchange:request", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"{self.sender.code}/{self.year}/{self.number:05d}"


class Case(models.Model):
    """The request as one receiving unit handles it, with its own clock."""

    request = models.ForeignKey(
        Request, verbose_name=_("request"), on_delete=models.CASCADE, related_name="cases"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("receiving unit"), on_delete=models.PROTECT, related_name="cases"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.RECEIVED
    )
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True, db_index=True)
    assigned = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned officers"), blank=True, related_name="+"
    )
    # The receiving unit's supervisor may keep it to the officers assigned and the supervisors.
    restricted = models.BooleanField(_("restricted to the assigned officers"), default=False)
    answered_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    refused_at = models.DateTimeField(_("refused"), null=True, blank=True)
    refusal_ground = models.CharField(
        _("ground of refusal"), max_length=20, choices=RefusalGround.choices, blank=True
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["deadline", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "unit"], name="one_case_per_unit"),
        ]
        indexes = [models.Index(fields=["unit", "status"], name="exchange_case_unit_status")]

    def __str__(self):
        return f"{self.request.reference} → {self.unit.code}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CASES

    @property
    def answered_in_time(self) -> bool | None:
        done = self.answered_at or self.refused_at
        if done is None or self.deadline is None:
            return None
        return done <= self.deadline


class MessageKind(models.TextChoices):
    REQUEST = "request", _("Request")
    REPLY = "reply", _("Reply")
    FOLLOW_UP = "follow_up", _("Follow-up")
    REFUSAL = "refusal", _("Refusal")
    PERMISSION = "permission", _("Permission to pass on")


class Message(models.Model):
    """One message of the thread, with its own handling and evaluation codes. ``case`` names
    the receiving unit's thread it belongs to (empty: the request itself, to every unit)."""

    request = models.ForeignKey(
        Request, verbose_name=_("request"), on_delete=models.CASCADE, related_name="messages"
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="messages",
    )
    from_unit = models.ForeignKey(
        Unit, verbose_name=_("from"), on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=MessageKind.choices)
    body = EncryptedTextField(_("text"), blank=True)
    handling_code = models.CharField(
        _("handling code"), max_length=2, choices=HandlingCode.choices, default=HandlingCode.H0
    )
    handling_restriction = EncryptedTextField(_("restrictions (H3)"), blank=True)
    source_evaluation = models.CharField(
        _("source"), max_length=1, choices=SourceEvaluation.choices, default=SourceEvaluation.X
    )
    information_evaluation = models.CharField(
        _("information"),
        max_length=1,
        choices=InformationEvaluation.choices,
        default=InformationEvaluation.FOUR,
    )
    # A permission to pass on (kind PERMISSION) names the message and the unit it frees.
    permits = models.ForeignKey(
        "self",
        verbose_name=_("permission for"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="permissions",
    )
    permitted_unit = models.ForeignKey(
        Unit,
        verbose_name=_("may be passed on to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.handling_code}, {self.evaluation})"

    @property
    def evaluation(self) -> str:
        return f"{self.source_evaluation}{self.information_evaluation}"


class EntityKind(models.TextChoices):
    PERSON = "person", _("Person")
    VEHICLE = "vehicle", _("Vehicle")
    PHONE = "phone", _("Telephone number")
    ORGANISATION = "organisation", _("Organisation")
    PLACE = "place", _("Place")


class Entity(models.Model):
    """A person, vehicle, number, organisation or place the request is about. ``details``
    holds the fields of its kind (a person's names, date of birth, nationalities and identity
    documents), encrypted as JSON."""

    request = models.ForeignKey(
        Request, verbose_name=_("request"), on_delete=models.CASCADE, related_name="entities"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EntityKind.choices)
    details = EncryptedTextField(_("details"))

    class Meta:
        verbose_name = _("entity")
        verbose_name_plural = _("entities")
        ordering = ["request", "pk"]

    def __str__(self):
        return self.get_kind_display()


class SearchToken(models.Model):
    """A blind token of a searchable word of a request (``crypto.blind``)."""

    request = models.ForeignKey(
        Request, verbose_name=_("request"), on_delete=models.CASCADE, related_name="tokens"
    )
    token = models.CharField(_("token"), max_length=64, db_index=True)

    class Meta:
        verbose_name = _("search token")
        verbose_name_plural = _("search tokens")
        constraints = [
            models.UniqueConstraint(fields=["request", "token"], name="one_token_per_request"),
        ]

    def __str__(self):
        return self.token[:12]


def attachment_path(attachment, filename: str) -> str:
    return f"exchange/{secrets.token_hex(16)}.bin"


class Attachment(models.Model):
    """A file of a message, stored encrypted under a random name; its own name is encrypted."""

    message = models.ForeignKey(
        Message, verbose_name=_("message"), on_delete=models.CASCADE, related_name="attachments"
    )
    name = EncryptedTextField(_("name"))
    kind = models.CharField(_("kind"), max_length=10)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("fingerprint (SHA-256)"), max_length=64)
    blob = models.FileField(_("encrypted file"), upload_to=attachment_path, max_length=200)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["message", "pk"]

    def __str__(self):
        return f"{self.kind} ({self.size} bytes)"
