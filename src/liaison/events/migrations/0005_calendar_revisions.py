import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_registration_consent_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="sequence",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                help_text="Grows by one each time something a calendar shows changes.",
                verbose_name="revision",
            ),
        ),
        migrations.AddField(
            model_name="session",
            name="sequence",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                help_text="Grows by one each time something a calendar shows changes.",
                verbose_name="revision",
            ),
        ),
        migrations.AddField(
            model_name="session",
            name="updated",
            field=models.DateTimeField(
                auto_now=True, default=django.utils.timezone.now, verbose_name="updated"
            ),
            preserve_default=False,
        ),
    ]
