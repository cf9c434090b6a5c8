"""Accounts made before sign-up existed keep signing in.

allauth signs in only accounts whose address is verified. Every existing account with an
e-mail address was made by staff (the admin or the demo), who vouched for it: its address
becomes its verified, primary allauth address. When two accounts share an address, the oldest
keeps it verified and the others get it unverified (allauth allows one verified owner).
"""

from django.db import migrations


def verify_existing(apps, schema_editor):
    User = apps.get_model("core", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    taken = {e.lower() for e in EmailAddress.objects.filter(verified=True).values_list("email", flat=True)}
    for user in User.objects.exclude(email="").order_by("pk"):
        email = user.email.strip()
        if EmailAddress.objects.filter(user=user, email__iexact=email).exists():
            continue
        verified = email.lower() not in taken
        EmailAddress.objects.create(
            user=user,
            email=email.lower(),
            verified=verified,
            primary=not EmailAddress.objects.filter(user=user, primary=True).exists(),
        )
        if verified:
            taken.add(email.lower())


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_sign_in_log"),
        ("account", "0009_emailaddress_unique_primary_email"),
        ("core", "0003_user_session_epoch"),
    ]

    operations = [migrations.RunPython(verify_existing, migrations.RunPython.noop)]
