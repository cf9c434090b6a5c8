"""Who looked at personal data: one row each time a page or an API call shows another person's
contact details, registration answers, enrolment or results.

The person reads these rows under "My data", and the data-protection officer reads and exports
them all. Rows are written in one bulk insert per page, so a list of a hundred people costs the
same as a list of one. Nothing is written for a visitor who is not signed in (they are never
shown personal data) nor for a person reading their own record.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReadKind(models.TextChoices):
    PROFILE = "profile", _("Profile and history")
    CONTACT = "contact", _("Contact details")
    REGISTRATION = "registration", _("Event registration and answers")
    ENROLMENT = "enrolment", _("Course enrolment")
    RESULT = "result", _("Training results")


class PersonalDataReadQuerySet(models.QuerySet):
    def about(self, person):
        return self.filter(person=person)

    def for_list(self):
        return self.select_related("reader", "person", "content_type")


class PersonalDataRead(models.Model):
    """One reader shown one person's data of one kind, once. Written only by ``record_reads``."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reader"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    person = models.ForeignKey(
        "directory.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="reads",
    )
    kind = models.CharField(_("what"), max_length=20, choices=ReadKind.choices)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("kind of record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    object_id = models.PositiveBigIntegerField(_("record number"), null=True, blank=True)
    path = models.CharField(_("page"), max_length=500, blank=True)

    objects = PersonalDataReadQuerySet.as_manager()

    class Meta:
        verbose_name = _("read of personal data")
        verbose_name_plural = _("reads of personal data")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["person", "-at"], name="read_person_idx"),
            models.Index(fields=["reader", "-at"], name="read_reader_idx"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.reader} → {self.person} ({self.kind})"


def record_reads(user, rows, what: str, *, person: str = "person", path: str = "") -> int:
    """Note that ``user`` was shown the personal data in ``rows``; returns how many were noted.

    ``rows`` are Person rows, or records that belong to a person (registrations, enrolments,
    quiz attempts) given as a list or a queryset; ``person`` is the lookup from such a record to
    its person (``"person"``, ``"user__person"``). A fixed number of queries (at most three:
    the records' people when they are not loaded, the reader's own record, one insert).
    """
    if not getattr(user, "is_authenticated", False):
        return 0
    from .models import Person

    # Records no longer linked to a person (erased registrations) name nobody to tell.
    pairs = [pair for pair in _people_of(rows, person, Person) if pair[0] is not None]
    if not pairs:
        return 0
    own = set(Person.objects.filter(user=user).values_list("pk", flat=True))
    seen, entries = set(), []
    for person_id, model, object_id in pairs:
        key = (person_id, model, object_id)
        if person_id in own or key in seen:
            continue
        seen.add(key)
        entries.append(
            PersonalDataRead(
                reader=user,
                person_id=person_id,
                kind=what,
                content_type=ContentType.objects.get_for_model(model) if model else None,
                object_id=object_id,
                path=path[:500],
            )
        )
    PersonalDataRead.objects.bulk_create(entries)
    return len(entries)


def _people_of(rows, lookup: str, person_model) -> list[tuple]:
    """``(person id, model of the record or None, record id or None)`` for each row."""
    if isinstance(rows, models.QuerySet):
        model = rows.model
        if model is person_model:
            return [(pk, None, None) for pk in rows.order_by().values_list("pk", flat=True)]
        values = rows.order_by().values_list("pk", lookup)
        return [(person_id, model, pk) for pk, person_id in values]
    rows = [row for row in rows if row is not None]
    if not rows:
        return []
    model = type(rows[0])
    if model is person_model:
        return [(row.pk, None, None) for row in rows]
    attribute = f"{lookup}_id"
    if all(hasattr(row, attribute) for row in rows):
        return [(getattr(row, attribute), model, row.pk) for row in rows]
    found = dict(
        model._default_manager.filter(pk__in=[row.pk for row in rows]).values_list("pk", lookup)
    )
    return [(found.get(row.pk), model, row.pk) for row in rows]


def reads_of(person):
    """What the person sees under "My data": who read their data, newest first."""
    return PersonalDataRead.objects.about(person).select_related("reader").order_by("-at", "-id")


class ReadsLogged:
    """An API viewset mixin: a list page or a detail read with GET notes the people it shows.

    ``read_kind`` says what is shown, ``read_person`` how a row reaches its person.
    """

    read_kind: str = ""
    read_person: str = "person"

    def _note(self, rows):
        request = self.request
        if request.method == "GET":
            record_reads(
                request.user,
                rows,
                self.read_kind,
                person=self.read_person,
                path=request.get_full_path(),
            )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._note(page if page is not None else queryset)
        return page

    def get_object(self):
        row = super().get_object()
        self._note([row])
        return row
