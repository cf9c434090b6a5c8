"""Equipment a project gives an institution, followed from the request to its use six months on."""

import datetime

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.directory.models import Organisation
from liaison.directory.scopes import administered_organisations
from liaison.portfolio.models import Project

USE_CHECK_AFTER = datetime.timedelta(days=182)


class Category(models.TextChoices):
    IT = "it", _("IT and communication")
    VIDEO_SURVEILLANCE = "video_surveillance", _("Video surveillance")
    DOCUMENT_INSPECTION = "document_inspection", _("Document inspection")
    VEHICLES = "vehicles", _("Vehicles")
    TRAINING_ROOM = "training_room", _("Training room")
    FORENSICS = "forensics", _("Forensics")
    OTHER = "other", _("Other")


class ItemStatus(models.TextChoices):
    """The tracked path. Each step may only follow the one before it; rejection ends the path."""

    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    PROCURED = "procured", _("Procured")
    DELIVERED = "delivered", _("Delivered")
    IN_USE = "in_use", _("In use")
    REJECTED = "rejected", _("Rejected")


NEXT_STATUS = {
    ItemStatus.REQUESTED: ItemStatus.APPROVED,
    ItemStatus.APPROVED: ItemStatus.PROCURED,
    ItemStatus.PROCURED: ItemStatus.DELIVERED,
    ItemStatus.DELIVERED: ItemStatus.IN_USE,
}

# Delivered or later: the institution holds the item.
HANDED_OVER = (ItemStatus.DELIVERED, ItemStatus.IN_USE)


class ItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff read every item; an institution's administrators read its own items; what
        an institution holds is not for the public."""
        if getattr(user, "is_liaison_staff", False):
            return self
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(institution__in=administered_organisations(user))

    def for_list(self):
        """With what a list row shows, ``checked`` telling whether a use check was done."""
        checks = UseCheck.objects.filter(item=models.OuterRef("pk"))
        return self.select_related("project", "institution__country").annotate(
            checked=models.Exists(checks)
        )

    def handed_over(self):
        """Items the institution holds: delivered, or in use since."""
        return self.filter(status__in=HANDED_OVER)

    def delivered(self, start=None, end=None):
        """Items handed over with ``delivered_on`` between ``start`` and ``end`` (both
        included, either may be None), with the institution and its country at hand: what the
        results of a project count as equipment delivered."""
        items = self.handed_over().select_related("institution__country")
        if start is not None:
            items = items.filter(delivered_on__gte=start)
        if end is not None:
            items = items.filter(delivered_on__lte=end)
        return items

    def use_check_due(self, by: datetime.date):
        """Items handed over whose use check falls due on or before ``by`` and has not been
        done yet."""
        return self.handed_over().filter(
            delivered_on__lte=by - USE_CHECK_AFTER, use_checks__isnull=True
        )


class Item(models.Model):
    """One line of equipment: what, how many, for whom, paid by which project, and where it is."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("funding project"),
        on_delete=models.PROTECT,
        related_name="equipment",
    )
    institution = models.ForeignKey(
        Organisation,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="equipment",
    )
    category = models.CharField(
        _("category"), max_length=30, choices=Category.choices, db_index=True
    )
    name = models.CharField(_("item"), max_length=300)
    description = models.TextField(
        _("specification"), blank=True, help_text=_("What the institution needs it to do.")
    )
    quantity = models.PositiveIntegerField(
        _("quantity"), default=1, validators=[MinValueValidator(1)]
    )
    estimated_cost = models.DecimalField(
        _("estimated cost"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text=_("For the whole quantity."),
    )
    actual_cost = models.DecimalField(
        _("actual cost"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("What was paid, once procured."),
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ItemStatus.choices,
        default=ItemStatus.REQUESTED,
        db_index=True,
    )
    requested_on = models.DateField(_("requested on"), default=datetime.date.today)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    procured_on = models.DateField(_("procured on"), null=True, blank=True)
    supplier = models.CharField(_("supplier"), max_length=300, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True, db_index=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("equipment item")
        verbose_name_plural = _("equipment items")
        ordering = ["-requested_on", "-id"]
        indexes = [models.Index(fields=["project", "status"], name="equipment_project_status")]

    def __str__(self):
        return f"{self.name} ({self.institution})"

    def get_absolute_url(self):
        return reverse("equipment:item", args=[self.pk])

    @property
    def next_status(self):
        return NEXT_STATUS.get(self.status)

    @property
    def cost(self):
        """What the item costs as far as anyone knows: paid if paid, else the estimate."""
        return self.actual_cost if self.actual_cost is not None else self.estimated_cost

    @property
    def use_check_due(self):
        if not self.delivered_on:
            return None
        return self.delivered_on + USE_CHECK_AFTER


def handover_path(instance, filename):
    return f"equipment/handover/{instance.item_id}/{filename}"


class HandOver(models.Model):
    """The signed record that the institution received the item."""

    item = models.OneToOneField(
        Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="handover"
    )
    handed_over_on = models.DateField(_("handed over on"))
    receiving_officer = models.CharField(_("receiving officer"), max_length=200)
    receiving_position = models.CharField(_("position"), max_length=200, blank=True)
    document = models.FileField(
        _("signed hand-over document"),
        upload_to=handover_path,
        help_text=_("The hand-over record signed by both sides, as PDF or image."),
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")

    def __str__(self):
        return f"{self.item} → {self.receiving_officer}"


class UseFinding(models.TextChoices):
    IN_USE = "in_use", _("In use as intended")
    PARTLY = "partly", _("Partly used")
    NOT_USED = "not_used", _("Not used")
    MISSING = "missing", _("Missing or broken")


class UseCheck(models.Model):
    """A visit some six months after delivery: is the item used for what it was given for?"""

    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="use_checks"
    )
    checked_on = models.DateField(_("checked on"))
    finding = models.CharField(_("finding"), max_length=20, choices=UseFinding.choices)
    notes = models.TextField(_("notes"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("use check")
        verbose_name_plural = _("use checks")
        ordering = ["-checked_on", "-id"]

    def __str__(self):
        return f"{self.item}: {self.get_finding_display()} ({self.checked_on})"
