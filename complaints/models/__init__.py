from .attachment import Attachment
from .calendar import CalendarOverride, CalendarYear, confirmed_years
from .categories import Category, HiddenCategory
from .choices import (
    OPEN_STATUSES,
    Channel,
    Classification,
    FacilityKind,
    Severity,
    Status,
    Temperament,
    UrgentKind,
)
from .complaint import (
    CHASED_DEADLINES,
    OVERDUE_KINDS,
    Complaint,
    ComplaintEvent,
    ComplaintQuerySet,
    ComplaintSequence,
)
from .dutylog import DutyLogEntry, ShiftHandover, WebsiteScan
from .estate import Building, Unit

__all__ = [
    "Attachment",
    "CHASED_DEADLINES",
    "CalendarYear",
    "confirmed_years",
    "OPEN_STATUSES",
    "OVERDUE_KINDS",
    "Building",
    "CalendarOverride",
    "Category",
    "Channel",
    "Classification",
    "Complaint",
    "ComplaintEvent",
    "ComplaintQuerySet",
    "ComplaintSequence",
    "DutyLogEntry",
    "FacilityKind",
    "HiddenCategory",
    "Severity",
    "ShiftHandover",
    "Status",
    "Temperament",
    "Unit",
    "UrgentKind",
    "WebsiteScan",
]
