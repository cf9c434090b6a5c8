def roles(request):
    """Expose the two questions templates keep asking about the visitor."""
    user = getattr(request, "user", None)
    return {
        "is_staff_reader": bool(user and getattr(user, "is_liaison_staff", False)),
        "is_secretariat": bool(user and getattr(user, "is_secretariat", False)),
    }
