"""(being written)"""


def panel(request, application) -> dict:
    """What the application page shows of this step, for this reader ({} for nothing)."""
    return {}
