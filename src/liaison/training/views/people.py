"""Pages of the training centre: a trainee's transcript and a trainer's record.

A trainee's transcript is personal: the trainee, the staff of the centres they enrolled at,
and Liaison's staff read it; another trainee is refused. A trainer's page is public, but the
names of their trainees are shown only to the trainer, the centre and the secretariat.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from liaison.directory.models import Person
from liaison.directory.readlog import ReadKind, record_reads

from .. import permissions, transcript
from ..models import Trainer

TRAINEES_PER_PAGE = 100


def trainee(request, pk):
    person = get_object_or_404(Person.objects.select_related("organisation"), pk=pk)
    allowed, why = permissions.can_see_transcript(request.user, person)
    if not allowed:
        raise PermissionDenied(why)
    record_reads(request.user, [person], ReadKind.ENROLMENT, path=request.get_full_path())
    return render(
        request,
        "training/people/trainee.html",
        {
            "person": person,
            "events_attended": transcript.events_attended(person),
            "own": person.user_id == request.user.pk,
            **transcript.gather(person),
        },
    )


def trainer(request, pk):
    trainer = get_object_or_404(
        Trainer.objects.select_related("person", "centre", "trained_in"), pk=pk
    )
    record = transcript.trainer_record(trainer, request.user)
    record["trainees"] = Paginator(record["trainees"], TRAINEES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    shown = list(record["trainees"].object_list)
    record_reads(request.user, shown, ReadKind.ENROLMENT, path=request.get_full_path())
    return render(request, "training/people/trainer.html", {"trainer": trainer, **record})
