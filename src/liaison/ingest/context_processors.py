from .services import can_upload


def imports(request):
    """Whether the visitor may import factsheets, for the navigation."""
    return {"can_import": can_upload(getattr(request, "user", None))}
