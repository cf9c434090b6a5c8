"""Liaison's rules for allauth's account flows."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django import forms
from django.utils.translation import gettext as _

from .emails import verified_variant_owner


class AccountAdapter(DefaultAccountAdapter):
    def validate_unique_email(self, email: str) -> str:
        """Refuse a variant of an address someone has verified (``J.Doe+x@gmail.com`` when
        ``jdoe@gmail.com`` is taken): a disposable duplicate, not a new person. The same address
        itself is allauth's rule, which answers without telling whether it exists."""
        request = getattr(context, "request", None)
        user = getattr(request, "user", None)
        if verified_variant_owner(email, exclude_user=user) is not None:
            raise forms.ValidationError(
                _(
                    "Another account already uses a variant of this e-mail address. Sign in to "
                    "that account, or reset its password if you have forgotten it."
                )
            )
        return email

    def get_login_stages(self) -> list[str]:
        return [
            "liaison.accounts.stages.VerifiedEmailStage"
            if path == "allauth.account.stages.EmailVerificationStage"
            else path
            for path in super().get_login_stages()
        ]
