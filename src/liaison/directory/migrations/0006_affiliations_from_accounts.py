"""Existing accounts keep their place: a person with an account who is listed in an
organisation becomes a member of it. Roles given before (the platform-wide role, project
managers, centre staff) are untouched; administrators are named afterwards, by the secretariat."""

from django.db import migrations


def forwards(apps, schema_editor):
    Person = apps.get_model("directory", "Person")
    Affiliation = apps.get_model("directory", "Affiliation")
    people = Person.objects.filter(user__isnull=False, organisation__isnull=False)
    existing = set(
        Affiliation.objects.filter(end__isnull=True).values_list("person_id", "organisation_id")
    )
    Affiliation.objects.bulk_create(
        Affiliation(person_id=person.pk, organisation_id=person.organisation_id, role="member")
        for person in people.only("pk", "organisation_id")
        if (person.pk, person.organisation_id) not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("directory", "0005_person_memberships")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
