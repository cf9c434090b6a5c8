"""Signed-in test clients for the exchange's people: an exchange role requires a second
factor, so each holder gets one before signing in."""

from allauth.mfa.models import Authenticator
from django.test import Client
from rest_framework.test import APIClient


def signed_in(user, api: bool = False):
    if user is None:
        return APIClient() if api else Client()
    if not Authenticator.objects.filter(user=user).exists():
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})
    client = APIClient() if api else Client()
    client.force_login(user)
    return client
