from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# How many sign-ins each account keeps: enough to notice one that was not you.
KEPT_SIGN_INS = 20


class SignIn(models.Model):
    """One successful sign-in, shown to its owner beside their open sessions.

    allauth's session list forgets a session when it ends; this short log keeps the last few
    sign-ins (when, from which address and browser) so a person can notice one that was not
    theirs after the session is gone.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="sign_ins",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("sign-in")
        verbose_name_plural = _("sign-ins")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "-at"], name="accounts_signin_user_at")]

    def __str__(self):
        return f"{self.user} {self.at:%Y-%m-%d %H:%M}"
