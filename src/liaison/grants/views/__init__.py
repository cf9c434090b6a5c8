"""The grants pages: public calls (calls.py), the consortium's application pages
(applications.py), eligibility, evaluation, decisions, questions and the overview."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def attempt(request, action, *args, done: str = "") -> bool:
    """Run the service ``action(*args)`` for a button that posts and goes back: each of its
    refusals becomes an error message on the next page, and ``done`` the success message.

    The services check permissions and rules themselves, so a view only reports what they said.
    """
    try:
        action(*args)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    if done:
        messages.success(request, done)
    return True
