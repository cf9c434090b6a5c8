"""Pages of needs assessments: templates in ``templates``, assessments in ``assessments``."""

from liaison.training.views import refused


def posted(request):
    return request.POST if request.method == "POST" else None


__all__ = ["posted", "refused"]
