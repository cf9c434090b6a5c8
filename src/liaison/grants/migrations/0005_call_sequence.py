from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0004_application_form"),
    ]

    operations = [
        migrations.AddField(
            model_name="call",
            name="sequence",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                help_text="Grows by one each time something a calendar shows changes.",
                verbose_name="revision",
            ),
        ),
    ]
