"""Pages of the training centre: the catalogue of modules and the centres that own them."""

from django.shortcuts import get_object_or_404, render

from ..models import Module, TrainingCentre


def module_list(request):
    modules = Module.objects.visible_to(request.user).for_list()
    return render(request, "training/catalogue/module_list.html", {"modules": modules})


def module_detail(request, pk):
    module = get_object_or_404(Module.objects.visible_to(request.user), pk=pk)
    return render(request, "training/catalogue/module_detail.html", {"module": module})


def centre_detail(request, pk):
    centre = get_object_or_404(TrainingCentre, pk=pk)
    return render(request, "training/catalogue/centre_detail.html", {"centre": centre})
