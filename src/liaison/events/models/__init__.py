"""The events app's models, one module per concept; import them from here."""

from .calendars import CalendarToken
from .events import (
    Event,
    EventQuerySet,
    EventType,
    Mode,
    Session,
    SessionKind,
    Speaker,
    Talk,
    time_zone_names,
    validate_time_zone,
)
from .outcomes import (
    ActionStatus,
    Decision,
    FollowUpAction,
    KnowledgeItem,
    KnowledgeKind,
)
from .registrations import (
    ACTIVE,
    HOLDS_PLACE,
    Attendance,
    Question,
    QuestionKind,
    Registration,
    RegistrationForm,
    RegistrationStatus,
    Sex,
    Stage,
)

__all__ = [
    "ACTIVE",
    "HOLDS_PLACE",
    "ActionStatus",
    "Attendance",
    "CalendarToken",
    "Decision",
    "Event",
    "EventQuerySet",
    "EventType",
    "FollowUpAction",
    "KnowledgeItem",
    "KnowledgeKind",
    "Mode",
    "Question",
    "QuestionKind",
    "Registration",
    "RegistrationForm",
    "RegistrationStatus",
    "Session",
    "SessionKind",
    "Sex",
    "Speaker",
    "Stage",
    "Talk",
    "time_zone_names",
    "validate_time_zone",
]
