"""Background work of the training centre: sending statements to an external learning record
store (``LIAISON_LRS_URL``). Tasks take ids and may safely run twice.

``liaison db_worker`` runs them as they are queued; ``liaison xapi_deliver`` (run it every few
minutes) sends whatever is due, so deliveries go out even when no worker is running or the task
queue cannot run a task later.
"""

from django.conf import settings
from django_tasks import task

from .models import DeliveryState, XapiDelivery
from .services import xapi as services


def enqueue_delivery(delivery_id: int, run_after=None) -> bool:
    """Tell the worker about a delivery, if the task backend is a real queue (one that can run
    a task later, as the database backend can). The immediate backend would send during the
    learner's request, so with it the ``xapi_deliver`` command sends instead."""
    if not send_statement.get_backend().supports_defer:
        return False
    queued = send_statement.using(run_after=run_after) if run_after else send_statement
    queued.enqueue(delivery_id)
    return True


@task()
def send_statement(delivery_id: int) -> str:
    """Try to send one delivery; when it is to be tried again, queue that try."""
    state = services.deliver(delivery_id, max_tries=settings.LRS_MAX_TRIES)
    if state == DeliveryState.WAITING:
        next_try = (
            XapiDelivery.objects.filter(pk=delivery_id).values_list("next_try", flat=True).first()
        )
        if next_try is not None:
            enqueue_delivery(delivery_id, run_after=next_try)
    return state
