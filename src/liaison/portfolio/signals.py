"""Keep ``Project.typology_count`` true however typologies change (pages, admin, API, imports)."""

from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from .models import Project


@receiver(m2m_changed, sender=Project.typologies.through)
def count_typologies(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    projects = [instance] if not reverse else list(Project.objects.filter(pk__in=pk_set or []))
    if reverse and action == "post_clear":
        projects = []  # the affected projects are no longer known; a rare admin-only path
    for project in projects:
        count = project.typologies.count()
        Project.objects.filter(pk=project.pk).update(typology_count=count)
        project.typology_count = count
