from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    """The regional groupings EU cooperation on migration is planned by."""

    EU = "eu", _("EU Member State")
    WESTERN_BALKANS = "western_balkans", _("Western Balkans")
    EASTERN_PARTNERSHIP = "eastern_partnership", _("Eastern Partnership")
    TURKIYE = "turkiye", _("Türkiye")
    SOUTHERN_NEIGHBOURHOOD = "southern_neighbourhood", _("Southern Neighbourhood")
    SILK_ROUTE = "silk_route", _("Silk Route")
    SUB_SAHARAN_AFRICA = "sub_saharan_africa", _("Sub-Saharan Africa")
    OTHER = "other", _("Other")


class Country(models.Model):
    """An ISO 3166-1 country (plus Kosovo as ``XK``), loaded once by a migration."""

    code = models.CharField(_("code"), max_length=2, unique=True, help_text=_("ISO 3166-1 alpha-2"))
    alpha3 = models.CharField(_("alpha-3 code"), max_length=3, blank=True)
    numeric = models.CharField(
        _("numeric code"), max_length=3, blank=True, help_text=_("ISO 3166-1 numeric")
    )
    name = models.CharField(_("name"), max_length=100)
    region = models.CharField(
        _("region"), max_length=30, choices=Region.choices, default=Region.OTHER, db_index=True
    )

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("web:country", args=[self.code])


class OrganisationType(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    POLICE = "police", _("Police")
    BORDER_GUARD = "border_guard", _("Border guard")
    COORDINATION_UNIT = "coordination_unit", _("Law-enforcement coordination unit")
    TRAINING = "training", _("Training institution")
    MIGRATION_AUTHORITY = "migration_authority", _("Migration authority")
    INTERNATIONAL = "international", _("International organisation")
    EU_BODY = "eu_body", _("EU body")
    NGO = "ngo", _("NGO")
    RESEARCH = "research", _("University or research")
    LOCAL_GOVERNMENT = "local_government", _("Regional or local government")
    OTHER = "other", _("Other")


class OrganisationQuerySet(models.QuerySet):
    def reviewed(self):
        """Organisations a person has checked; one created by a factsheet import is not, yet."""
        return self.filter(needs_review=False)

    def visible_to(self, user):
        """Staff see every organisation; others only those the secretariat has reviewed, so a
        name misread from a factsheet never reaches the public before a person checks it."""
        if getattr(user, "is_liaison_staff", False):
            return self
        return self.reviewed()

    def search(self, text: str):
        if not text:
            return self
        return self.filter(Q(name__icontains=text) | Q(acronym__icontains=text))


class Organisation(models.Model):
    """An institution that takes part in projects and networks: a ministry, a police unit, ..."""

    name = models.CharField(_("name"), max_length=300, db_index=True)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True, db_index=True)
    type = models.CharField(
        _("type"),
        max_length=30,
        choices=OrganisationType.choices,
        default=OrganisationType.OTHER,
        db_index=True,
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    needs_review = models.BooleanField(
        _("needs review"),
        default=False,
        db_index=True,
        help_text=_("Created from a factsheet: check its name, type and country."),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self):
        return reverse("web:organisation", args=[self.pk])

    def clean(self):
        from django.core.exceptions import ValidationError

        node, seen = self.parent, set()
        while node is not None:
            if node.pk == self.pk or node.pk in seen:
                raise ValidationError({"parent": _("An organisation cannot be its own ancestor.")})
            seen.add(node.pk)
            node = node.parent


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The people whose contact details ``user`` may read: every person for staff; for
        others their own record and the people of the institutions they administer (listed in
        it, or holding a current membership of it). Never another institution's."""
        if getattr(user, "is_liaison_staff", False):
            return self
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        from .scopes import administered_organisations

        administered = administered_organisations(user)
        members = Affiliation.objects.current().filter(organisation__in=administered)
        return self.filter(
            Q(user=user) | Q(organisation__in=administered) | Q(pk__in=members.values("person"))
        )

    def of_organisation(self, organisation):
        """The people of an institution: listed in it, or holding a current membership of it."""
        members = Affiliation.objects.current().filter(organisation=organisation)
        return self.filter(Q(organisation=organisation) | Q(pk__in=members.values("person")))


class Person(models.Model):
    """A contact point in an organisation. E-mail and phone are shown to signed-in staff, to
    the person, and to the administrators of their institution."""

    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_contact_point = models.BooleanField(_("contact point"), default=True)
    # A person who signs in is the same record as the contact, participant or trainee, so
    # their events and courses make one history.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("web:person", args=[self.pk])


class NetworkKind(models.TextChoices):
    COORDINATION_UNITS = "coordination_units", _("Network of coordination units")
    TRAINING_INSTITUTIONS = "training_institutions", _("Network of training institutions")
    TRAINING_CENTRES = "training_centres", _("Network of regional training centres")
    DIALOGUE = "dialogue", _("Migration dialogue")
    OTHER = "other", _("Other network")


class Network(models.Model):
    """Institutions that cooperate durably, usually on the basis of a signed agreement."""

    name = models.CharField(_("name"), max_length=300)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    kind = models.CharField(
        _("kind"), max_length=30, choices=NetworkKind.choices, default=NetworkKind.OTHER
    )
    purpose = models.TextField(_("purpose"), blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self):
        return reverse("directory:network", args=[self.pk])


class AgreementKind(models.TextChoices):
    MOU = "mou", _("Memorandum of understanding")
    AGREEMENT = "agreement", _("Cooperation agreement")
    DECLARATION = "declaration", _("Joint declaration")
    TERMS = "terms", _("Terms of reference")
    OTHER = "other", _("Other")


class Agreement(models.Model):
    """The founding (or later) agreement a network rests on."""

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="agreements"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=AgreementKind.choices, default=AgreementKind.MOU
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signatories = models.PositiveIntegerField(_("number of signatories"), null=True, blank=True)
    is_founding = models.BooleanField(_("founding agreement"), default=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["signed_on", "pk"]

    def __str__(self):
        return self.title or self.get_kind_display()


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")
    SECRETARIAT = "secretariat", _("Secretariat")


def current_membership(on=None, prefix: str = "") -> Q:
    """The condition for a membership that holds on a day (today by default).

    ``prefix`` reaches memberships through a relation, e.g. ``"memberships__"`` from a network.
    """
    on = on or timezone.localdate()
    started = Q(**{f"{prefix}start__isnull": True}) | Q(**{f"{prefix}start__lte": on})
    not_ended = Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": on})
    return started & not_ended


def _period_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=models.F("start")),
        name=name,
    )


class PeriodQuerySet(models.QuerySet):
    def current(self, on=None):
        """Those that hold on a day (today by default): started, and not ended."""
        return self.filter(current_membership(on))


class Period(models.Model):
    """What a record that holds for a period shares: a membership, an affiliation.

    Each model declares its ``start`` and ``end`` itself, after its own fields: Django puts an
    abstract base's fields first, which would reorder the admin's columns, the copy of a
    person's data and the lines of the audit trail. Give it ``_period_constraint`` and a
    queryset built on ``PeriodQuerySet``.
    """

    class Meta:
        abstract = True

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return (self.start is None or self.start <= today) and (
            self.end is None or self.end >= today
        )


class Membership(Period):
    """An organisation's place in a network for a period; an open end means it still holds."""

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(
        _("role"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("to"), null=True, blank=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["start", "pk"]
        constraints = [_period_constraint("membership_end_after_start")]

    def __str__(self):
        return f"{self.organisation} in {self.network}"


class PersonMerge(models.Model):
    """Two records found to be the same person, merged into ``kept``.

    The merged record is gone, so what it was is kept here (its id, name and e-mail) with what
    moved, to answer later "where did this registration come from?".
    """

    kept = models.ForeignKey(
        Person, verbose_name=_("kept record"), on_delete=models.CASCADE, related_name="merges"
    )
    merged_id = models.PositiveIntegerField(_("merged record's number"))
    merged_name = models.CharField(_("merged record's name"), max_length=200)
    merged_email = models.EmailField(_("merged record's e-mail"), blank=True)
    moved = models.JSONField(_("records moved"), default=dict, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("merged by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("merged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("merge of people")
        verbose_name_plural = _("merges of people")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"#{self.merged_id} → #{self.kept_id}"


class OrganisationRole(models.TextChoices):
    """What a person is in their institution; the administrator manages its people and records."""

    ADMINISTRATOR = "administrator", _("Administrator")
    OFFICER = "officer", _("Officer")
    MEMBER = "member", _("Member")


class NetworkRole(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    MEMBER = "member", _("Member")


class PersonMembershipQuerySet(PeriodQuerySet):
    def of_user(self, user):
        """The memberships of the person a signed-in account is."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(person__user=user)


class Affiliation(Period):
    """A person's place in an organisation for a period: the scope their permissions ask.

    Not to be confused with ``Membership``, an organisation's place in a network. One person
    holds at most one open affiliation to an organisation; ending it (``end``) keeps the
    history. ``Person.organisation`` stays the person's institution as listed; the affiliation
    is what gives rights in it.
    """

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="affiliations"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="affiliations",
    )
    role = models.CharField(
        _("role"), max_length=20, choices=OrganisationRole.choices, default=OrganisationRole.MEMBER
    )
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("to"), null=True, blank=True)

    objects = PersonMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        ordering = ["organisation", "person__name", "pk"]
        constraints = [
            _period_constraint("affiliation_end_after_start"),
            models.UniqueConstraint(
                fields=["person", "organisation"],
                condition=Q(end__isnull=True),
                name="affiliation_one_open_per_organisation",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "role"], name="affiliation_org_role")]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()}, {self.organisation})"


class NetworkAffiliation(Period):
    """A person's place in a network: its secretariat, or a member taking part in its work."""

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="network_affiliations",
    )
    network = models.ForeignKey(
        Network,
        verbose_name=_("network"),
        on_delete=models.CASCADE,
        related_name="affiliations",
    )
    role = models.CharField(
        _("role"), max_length=20, choices=NetworkRole.choices, default=NetworkRole.MEMBER
    )
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("to"), null=True, blank=True)

    objects = PersonMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("network affiliation")
        verbose_name_plural = _("network affiliations")
        ordering = ["network", "person__name", "pk"]
        constraints = [
            _period_constraint("network_affiliation_end_after_start"),
            models.UniqueConstraint(
                fields=["person", "network"],
                condition=Q(end__isnull=True),
                name="network_affiliation_one_open",
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()}, {self.network})"


# The log of reads of personal data lives in its own module (model and the one function that
# writes it).
from .readlog import PersonalDataRead  # noqa: E402, F401
