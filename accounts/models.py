import zoneinfo
from datetime import time

from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .fields import belongs_to, one_per_office_or_branch
from .roles import BRANCH_ROLES, HOME_PRIORITY, OFFICE_ROLES, Role


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


class User(AbstractUser):
    """A member of staff; what they may see comes from their memberships."""

    full_name = models.CharField(_("full name"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.get_full_name() or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(self.memberships.values_list("role", flat=True))

    @property
    def home_role(self) -> str | None:
        return next((role for role in HOME_PRIORITY if role in self.roles), None)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


class Branch(models.Model):
    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Office(models.Model):
    """A property office (管理处): the unit that receives and handles complaints."""

    branch = belongs_to(Branch, "offices", _("branch"), on_delete=models.PROTECT)
    code = models.CharField(
        _("code"), max_length=6, unique=True, help_text=_("Prefix of complaint numbers, e.g. HY.")
    )
    name = models.CharField(_("name"), max_length=80)
    time_zone = models.CharField(
        _("time zone"), max_length=40, default="Asia/Shanghai", validators=[validate_time_zone]
    )
    dispatch_minutes = models.PositiveSmallIntegerField(
        _("urgent dispatch within (minutes)"),
        default=30,
        help_text=_(
            "Urgent matters (safety, facility faults, breaches) are dispatched within this."
        ),
    )

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["branch__code", "code"]

    def __str__(self):
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class Shift(models.Model):
    """A shift of the office's front desk; the follow-up review runs at its start (R-FUP-1)."""

    office = belongs_to(Office, "shifts", _("office"))
    name = models.CharField(_("name"), max_length=30)
    starts_at = models.TimeField(_("starts at"), default=time(8, 0))

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["office", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["office", "starts_at"], name="one_shift_per_start"),
        ]

    def __str__(self):
        return f"{self.office} {self.name} {self.starts_at:%H:%M}"


class Membership(models.Model):
    """A user's role in one office (office roles) or one branch (branch roles)."""

    user = belongs_to(User, "memberships", _("user"))
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    office = belongs_to(Office, "memberships", _("office"), optional=True)
    branch = belongs_to(Branch, "memberships", _("branch"), optional=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=sorted(OFFICE_ROLES), office__isnull=False, branch__isnull=True)
                    | Q(role__in=sorted(BRANCH_ROLES), branch__isnull=False, office__isnull=True)
                ),
                name="office_roles_name_an_office_branch_roles_a_branch",
            ),
            *one_per_office_or_branch(
                "user",
                "role",
                "office",
                office="one_office_membership_per_role",
                branch="one_branch_membership_per_role",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.office or self.branch}"

    def clean(self):
        if self.role in OFFICE_ROLES and (self.office_id is None or self.branch_id is not None):
            raise ValidationError(_("An office role needs an office and no branch."))
        if self.role in BRANCH_ROLES and (self.branch_id is None or self.office_id is not None):
            raise ValidationError(_("A branch role needs a branch and no office."))


class LoginSession(AbstractBaseSession):
    """A server-side session, with the user it is logged in as (None before login).

    Django's own session table does not say whose a session is; this one does, so that
    deactivating a user can end every session of theirs with one indexed DELETE. The user is
    written at every save of the session, so a key cycled by login or a password change
    keeps it."""

    user = belongs_to(User, "login_sessions", _("user"), optional=True)

    class Meta(AbstractBaseSession.Meta):
        verbose_name = _("login session")
        verbose_name_plural = _("login sessions")

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore
