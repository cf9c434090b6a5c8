"""The OpenAPI schema documents the refusals every operation can give, not only its success.

drf-spectacular lists the 200/201/204 a view returns. The refusals come from layers the
generator does not see (authentication, permission checks, throttling, filters, pagination,
``get_object``), so a client reading the schema learned nothing about them, and a contract test
found "undocumented status code" everywhere. One schema class, the project's default, adds them
to every operation from what the operation has: a write or query parameters can be refused (400),
a body can come in a type that is not read (415), and any address may name nothing (404), be
refused (401, 403) or slowed down (429).
"""

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """DRF's answer to a refusal that is not about the fields sent: ``{"detail": "..."}``."""

    detail = serializers.CharField()


# A validation error names each field with its messages (``non_field_errors`` and ``detail``
# for the rest); its keys depend on the operation, so the schema says only that it is an object.
VALIDATION_ERROR = {
    "type": "object",
    "additionalProperties": {},
    "description": _("Messages by field name; 'non_field_errors' or 'detail' for the rest."),
}

ERROR_DESCRIPTIONS = {
    "400": _("The request was refused: the messages say what to change."),
    "401": _("The credentials sent are not valid."),
    "403": _("Not allowed for this user (or not signed in); 'detail' says why."),
    "404": _("No such record, or not one this user may see; or no such page."),
    "415": _("The body is not in one of the content types this operation reads."),
    "429": _("Too many requests; try again later."),
}


def model_field_is_nullable(field) -> bool:
    """Whether the model field a serializer's related field reads may hold NULL.

    ``SlugRelatedField(slug_field="code", read_only=True)`` over a nullable foreign key
    serializes a missing country as ``null``, but DRF only marks a field nullable when it is
    declared with ``allow_null``, which nobody writes on a read-only field. The model knows.
    """
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or not getattr(field, "source_attrs", None):
        return False
    for name in field.source_attrs:
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        if model_field.null:
            return True
        model = model_field.related_model
        if model is None:
            return False
    return False


class LiaisonAutoSchema(AutoSchema):
    """drf-spectacular's schema plus the error answers each operation can give, and related
    fields marked nullable when the model's foreign key is."""

    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        if (
            isinstance(field, serializers.RelatedField | serializers.Serializer)
            and field.read_only
            and not meta.get("nullable")
            and model_field_is_nullable(field)
        ):
            meta["nullable"] = True
        return meta

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        parameters = operation.get("parameters", [])
        has_body = "requestBody" in operation
        # Any address may name nothing (a record, a page, a certificate code); any write may be
        # refused by a domain rule even without a body (a step out of order, a locked period).
        codes = ["401", "403", "404", "429"]
        if method != "GET" or any(p["in"] == "query" for p in parameters):
            codes.append("400")
        if has_body:
            codes.append("415")
        responses = operation.setdefault("responses", {})
        for code in sorted(codes):
            if code in responses:
                continue
            serializer = VALIDATION_ERROR if code == "400" else ErrorSerializer
            response = self._get_response_for_code(serializer, code)
            response["description"] = ERROR_DESCRIPTIONS[code]
            responses[code] = response
        return operation


def alternatives_as_any_of(result, generator, request, public):
    """Write drf-spectacular's ``oneOf`` alternatives as ``anyOf``.

    drf-spectacular describes "a URL or blank" as ``oneOf: [{format: uri}, {maxLength: 0}]``
    and "a choice or blank/null" the same way. ``oneOf`` demands that exactly one branch
    matches; a validator that does not assert ``format`` finds that ``""`` matches both and
    calls a valid answer wrong. The branches are alternatives, not exclusive cases, which is
    what ``anyOf`` says.
    """

    def rewrite(node):
        if isinstance(node, dict):
            if "oneOf" in node:
                node["anyOf"] = node.pop("oneOf")
            for value in node.values():
                rewrite(value)
        elif isinstance(node, list):
            for value in node:
                rewrite(value)

    rewrite(result.get("components", {}))
    rewrite(result.get("paths", {}))
    return result
