"""Post an admin change form as a browser would: everything it shows, with some values changed."""

from django.forms import MultiWidget


def _put(data: dict, name: str, field, value):
    widget = field.field.widget
    if isinstance(widget, MultiWidget):
        for index, part in enumerate(widget.decompress(value)):
            if part is not None:
                data[f"{name}_{index}"] = part
    elif value is None or value is False:
        return
    elif isinstance(value, list | tuple):
        data[name] = [str(v) for v in value]
    elif value is True:
        data[name] = "on"
    else:
        data[name] = str(value)


def _form_data(form, data: dict):
    for bound in form:
        _put(data, bound.html_name, bound, bound.value())


def admin_form_data(response, **changes) -> dict:
    """The data the admin page at ``response`` would post, with ``changes`` applied."""
    data = {}
    _form_data(response.context["adminform"].form, data)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _form_data(formset.management_form, data)
        for form in formset.forms:
            _form_data(form, data)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data
