"""Keep ``Project.typology_count`` true however typologies change (pages, admin, API, imports)."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.db.models.signals import m2m_changed, post_delete, pre_delete
from django.dispatch import receiver

from .models import Project, Typology

Through = Project.typologies.through


def recount_typologies(project_ids):
    """Store each project's number of typologies, counted in one UPDATE."""
    counts = (
        Through.objects.filter(project=OuterRef("pk"))
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Project.objects.filter(pk__in=list(project_ids)).update(
        typology_count=Coalesce(Subquery(counts), 0)
    )


@receiver(m2m_changed, sender=Through)
def count_typologies(sender, instance, action, reverse, pk_set, **kwargs):
    if reverse and action == "pre_clear":
        # typology.projects.clear(): remember who loses it before the rows go.
        instance._affected_projects = list(
            Through.objects.filter(typology=instance).values_list("project", flat=True)
        )
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        ids = [instance.pk]
    elif action == "post_clear":
        ids = getattr(instance, "_affected_projects", [])
    else:
        ids = pk_set or []
    recount_typologies(ids)
    if not reverse:
        instance.typology_count = Project.objects.values_list("typology_count", flat=True).get(
            pk=instance.pk
        )


@receiver(pre_delete, sender=Typology)
def remember_projects_of_typology(sender, instance, **kwargs):
    instance._affected_projects = list(
        Through.objects.filter(typology=instance).values_list("project", flat=True)
    )


@receiver(post_delete, sender=Typology)
def recount_after_typology_deleted(sender, instance, **kwargs):
    recount_typologies(getattr(instance, "_affected_projects", []))
