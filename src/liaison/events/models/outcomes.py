"""What an event leaves behind: decisions, follow-up actions, lessons and good practices."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.directory.models import Organisation
from liaison.portfolio.models import Project, Theme

from .events import Event


class Decision(models.Model):
    """A decision taken at an event."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="decisions"
    )
    text = models.TextField(_("decision"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["event", "order", "pk"]

    def __str__(self):
        return self.text[:80]


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class FollowUpAction(models.Model):
    """Something agreed at an event that someone must do by a date."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="actions"
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    title = models.CharField(_("action"), max_length=300)
    owner = models.CharField(_("owner"), max_length=200, help_text=_("Who does it."))
    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("owner's organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due = models.DateField(_("due date"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ActionStatus.choices,
        default=ActionStatus.OPEN,
        db_index=True,
    )

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["event", models.F("due").asc(nulls_last=True), "pk"]

    def __str__(self):
        return self.title


class KnowledgeKind(models.TextChoices):
    LESSON = "lesson", _("Lesson learned")
    GOOD_PRACTICE = "good_practice", _("Good practice")


class KnowledgeItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff read every item; others read published items of public events and projects."""
        if getattr(user, "is_liaison_staff", False):
            return self
        return (
            self.filter(published=True)
            .exclude(event__published=False)
            .exclude(project__visibility="draft")
        )

    def with_themes(self, themes):
        through = KnowledgeItem.themes.through
        return self.filter(pk__in=through.objects.filter(theme__in=themes).values("knowledgeitem"))

    def search(self, text: str):
        condition = Q()
        for word in (text or "").split()[:8]:
            condition &= Q(title__icontains=word) | Q(body__icontains=word)
        return self.filter(condition)

    def for_list(self):
        return self.select_related("event", "project").prefetch_related("themes")


class KnowledgeItem(models.Model):
    """A lesson learned or good practice, tagged by theme and linked to an event or project."""

    kind = models.CharField(_("kind"), max_length=20, choices=KnowledgeKind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"))
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="knowledge_items"
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="knowledge_items",
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="knowledge_items",
    )
    published = models.BooleanField(_("published"), default=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = KnowledgeItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("knowledge item")
        verbose_name_plural = _("knowledge items")
        ordering = ["-created", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:knowledge_item", args=[self.pk])
