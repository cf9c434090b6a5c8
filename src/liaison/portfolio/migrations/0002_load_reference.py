from django.db import migrations


def load(apps, schema_editor):
    from liaison.portfolio.reference import load_reference

    load_reference(
        apps.get_model("portfolio", "Instrument"),
        apps.get_model("portfolio", "Theme"),
        apps.get_model("portfolio", "Typology"),
    )


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
