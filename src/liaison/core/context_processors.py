from .permissions import can_read_personal_data_log


def roles(request):
    """Expose the questions templates keep asking about the visitor."""
    user = getattr(request, "user", None)
    return {
        "can_read_reads": bool(user and can_read_personal_data_log(user)[0]),
        "is_staff_reader": bool(user and getattr(user, "is_liaison_staff", False)),
        "is_secretariat": bool(user and getattr(user, "is_secretariat", False)),
    }
