"""Form widgets shared by every app.

A plain ``<select multiple>`` asks for Ctrl-click: one ordinary click replaces everything chosen
so far, so a project's seven countries silently become one. Every long multi-select therefore uses
``PickerSelectMultiple``, the one place that marks a select for ``liaison/picker.js``, which turns
it into a searchable picker (tom-select) that adds and removes one item at a time and lists what
is chosen. Without JavaScript the plain select stays and still works.
"""

from django import forms
from django.utils.translation import gettext_lazy as _


class PickerSelectMultiple(forms.SelectMultiple):
    """A multi-select that the browser upgrades to a searchable picker."""

    def __init__(self, attrs=None, choices=()):
        marked = {
            "data-picker": "",
            # The texts the picker shows, translated here since the script has no catalogue.
            "data-picker-placeholder": _("Type to search, then press Enter to add"),
            "data-picker-remove": _("Remove"),
            "data-picker-empty": _("Nothing matches"),
            "size": 8,
        }
        super().__init__({**marked, **(attrs or {})}, choices)


class PickerSelect(forms.Select):
    """A single choice from a long list (430 organisations) that the browser makes searchable."""

    def __init__(self, attrs=None, choices=()):
        marked = {
            "data-picker": "",
            "data-picker-placeholder": _("Type to search"),
            "data-picker-empty": _("Nothing matches"),
        }
        super().__init__({**marked, **(attrs or {})}, choices)
