"""Sign-in steps that differ from allauth's defaults."""

from allauth.account.stages import EmailVerificationStage


class VerifiedEmailStage(EmailVerificationStage):
    """Every address must be verified before its account signs in, except that an account made
    by staff without any address at all (before sign-up existed) still signs in by username:
    there is no address to verify, and refusing it would lock out its owner."""

    def handle(self):
        user = self.login.user
        if user is not None and not user.email and not user.emailaddress_set.exists():
            return None, True
        return super().handle()
