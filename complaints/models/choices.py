"""The enumerations of the complaint record (docs/procedure.md: R-CHAN-1, R-CLS-1..3, R-URG-1)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):  # R-CHAN-1
    PHONE = "phone", _("Phone call")
    VISIT = "visit", _("Visit")
    LETTER = "letter", _("Letter or written note")
    EMAIL = "email", _("E-mail")
    MEDIA = "media", _("Media report")
    WEBSITE = "website", _("Community website / message board")
    RELAYED = "relayed", _("Passed on by other staff")
    BRANCH = "branch", _("Received by the branch quality department")


class Classification(models.TextChoices):  # R-CLS-1..3
    VALID = "valid", _("Valid")
    TO_IMPROVE = "to_improve", _("To improve")
    INVALID = "invalid", _("Invalid")


class Severity(models.TextChoices):  # R-SEV-1
    SERIOUS = "serious", _("Serious")
    GENERAL = "general", _("General")
    MINOR = "minor", _("Minor")


class UrgentKind(models.TextChoices):  # R-URG-1
    NONE = "", _("Not urgent")
    SAFETY = "safety", _("Danger to people's safety or property")
    FACILITY = "facility", _("Facility fault affecting daily life")
    BREACH = "breach", _("Ongoing breach of property regulations")


class FacilityKind(models.TextChoices):  # R-URG-1 (b)
    NONE = "", _("—")
    POWER = "power", _("Power")
    WATER = "water", _("Water")
    METERING = "metering", _("Metering")
    ANTENNA = "antenna", _("Shared antenna")
    LIFT = "lift", _("Lift")
    SMART = "smart", _("Smart / access devices")


class Temperament(models.TextChoices):  # R-REC-4
    UNKNOWN = "", _("Not noted")
    RATIONAL = "rational", _("Rational")
    EMOTIONAL = "emotional", _("Emotional")
    GLOOMY = "gloomy", _("Gloomy")
    EXPLOSIVE = "explosive", _("Explosive")


class Status(models.TextChoices):
    RECORDED = "recorded", _("Recorded")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    REVISITED = "revisited", _("Revisited")
    CLOSED = "closed", _("Closed")
    SUPERSEDED = "superseded", _("Superseded")


OPEN_STATUSES = (Status.RECORDED, Status.IN_PROGRESS, Status.RESOLVED, Status.REVISITED)
