"""The isolation sweep's table: for every URL pattern of the project, how to aim it at the
victim office of `isolation_world` and who may rightfully use it (`SWEEP`), or why it reads no
record (`EXEMPT`). `test_isolation_sweep.py` runs it; a pattern in neither fails there.

Adding a URL: add its case to `DESK` (or `ADMIN_SITE`) under the URL's name (docs/security.md,
Isolation). A new ModelAdmin's pages are generated here from `admin.site`; they need a victim's
record of the model in `isolation_world` (or the model in `SHARED`, with the reason).
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta

from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import Branch, User
from complaints.models import (
    Attachment,
    Building,
    CalendarOverride,
    CalendarYear,
    Category,
    Complaint,
    DutyLogEntry,
    HiddenCategory,
    ShiftHandover,
    WebsiteScan,
)
from followups.models import Notification, ShiftReviewItem
from followups.steps import STEPS
from integrations.models import IntegrationToken, WebhookDelivery, WebhookSubscription
from tests.attachment_files import jpeg
from tests.security.isolation_world import LOGIN_RECORDS, World

Build = Callable[[World], dict]


def nothing(_world: World) -> dict:
    return {}


@dataclass(frozen=True)
class Case:
    """How to aim one URL pattern at the victim, and who may rightfully use it."""

    owner: str  # the world's user who may use it: the sanity case, so the sweep can fail
    kwargs: Build = nothing  # the URL's arguments
    query: Build = nothing  # GET parameters aimed at the victim's records
    data: Build | None = None  # the POST body; None: the pattern is not posted to
    get: bool = True  # False: POST only
    names_record: bool = False  # the URL names a victim's record: outsiders get 403/404
    branch_wide: bool = False  # a record of the victim's branch: its other office may see it
    owner_status: int | None = 200  # the owner's GET (after redirects); None: the admin's
    # add or delete page, 200 where the admin allows it at all, else 403 for everyone
    owner_sees_victim: bool = True  # the owner's GET shows the victim's token
    url: Callable[[World], str] | None = None  # for patterns without a name
    model: type | None = None  # the admin's model, for its pages
    owner_posts: bool = True  # the owner's POST reaches the record (not so: a view-only admin)

    def path(self, key: str, world: World) -> str:
        return self.url(world) if self.url else reverse(key, kwargs=self.kwargs(world))


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def complaint(world: World) -> dict:
    return {"pk": world.complaint.pk}


def waiting_for_closure(world: World) -> dict:
    return {"pk": world.revisited.pk}


def record(model) -> Build:
    return lambda world: {"pk": world.of(model).pk}


def office_report(world: World) -> dict:
    return {"pk": world.office_report.pk}


def intake_data(world: World) -> dict:
    return {
        "office": world.victim.pk,
        "channel": "phone",
        "complainant_name": "Walk-in",
        "phone": "13800000000",
        "building": world.of(Building).pk,
        "room": "101",
        "received_at": local(world.now - timedelta(minutes=5)),
        "category": Category.objects.first().pk,
        "classification": "valid",
        "severity": "general",
        "description": "noise at night",
        "customer_request": "stop it",
        "answered_at_once": "on",
    }


DESK = {
    "home": Case("victim.assistant"),
    "locked_logins": Case(  # unlocks only the staff of the manager's own office
        "victim.manager",
        data=lambda w: {"username": w.user("victim.assistant").username},
        owner_sees_victim=False,
    ),
    # The REST API (docs/api.md): the same scope as the pages, a 404 for another office's id.
    "api:complaint-list": Case(
        "victim.assistant",
        query=lambda w: {"office": w.victim.pk, "building": w.of(Building).pk},
        data=intake_data,  # intake: an outsider cannot record for the victim's office
    ),
    "api:complaint-detail": Case("victim.assistant", kwargs=complaint, names_record=True),
    "api-schema": Case("victim.assistant", owner_sees_victim=False),
    "api-docs": Case("victim.assistant", owner_sees_victim=False),
    "complaints:list": Case(
        "victim.assistant",
        query=lambda w: {"office": w.victim.pk, "building": w.of(Building).pk},
    ),
    "complaints:detail": Case("victim.assistant", kwargs=complaint, names_record=True),
    "complaints:record": Case(  # the victim's supervisor completes the record (R-REC-3)
        "victim.supervisor",
        kwargs=complaint,
        names_record=True,
        get=False,
        data=lambda w: {
            "complainant_name": "Intruder",
            "phone": "13800000000",
            "room": "666",
            "channel": "phone",
            "classification": "valid",
            "severity": "general",
            "description": "rewritten",
        },
    ),
    # A complaint from the community's page, checked by its office's desk (complaints.community);
    # the victim's complaint is checked already, so the owner is led to its page.
    "complaints:check": Case(
        "victim.assistant",
        kwargs=complaint,
        names_record=True,
        data=lambda w: {
            "classification": "valid",
            "category": Category.objects.first().pk,
            "severity": "minor",
        },
    ),
    "complaints:intake": Case(
        "victim.assistant", query=lambda w: {"scan": w.of(WebsiteScan).pk}, data=intake_data
    ),
    "complaints:lookup": Case(
        "victim.assistant",
        query=lambda w: {"phone": "13900000001", "building": w.of(Building).pk, "room": "1502"},
    ),
    "complaints:units": Case("victim.assistant", query=lambda w: {"building": w.of(Building).pk}),
    "complaints:reply_latest": Case(
        "victim.assistant",
        query=lambda w: {"office": w.victim.pk, "received_at": local(w.now)},
        owner_sees_victim=False,
    ),
    "complaints:intake_guide": Case(  # reads the typed form, writes nothing
        "victim.assistant", get=False, data=intake_data, owner_sees_victim=False
    ),
    "complaints:recorded": Case("victim.assistant", kwargs=complaint, names_record=True),
    # The tracking link's desk steps (#17): the office's own staff only; the branch reads it.
    "resident:reissue": Case(
        "victim.supervisor", kwargs=complaint, names_record=True, get=False, data=nothing
    ),
    "resident:revoke": Case(
        "victim.supervisor", kwargs=complaint, names_record=True, get=False, data=nothing
    ),
    "complaints:repeat_call": Case(
        "victim.assistant",
        kwargs=complaint,
        names_record=True,
        get=False,
        data=lambda w: {"note": "called again"},
    ),
    # Attachments (issue 16): the file, the photo's thumbnail, a withdrawal, files added later.
    "complaints:attachment": Case("victim.assistant", kwargs=record(Attachment), names_record=True),
    "complaints:attachment_thumbnail": Case(
        "victim.assistant",
        kwargs=lambda w: {"pk": w.photo.pk},
        names_record=True,
        owner_sees_victim=False,  # the pixels of a photo carry no text
    ),
    "complaints:attachment_withdraw": Case(
        "victim.supervisor",
        kwargs=record(Attachment),
        names_record=True,
        get=False,
        data=lambda w: {"withdraw-reason": "another flat's door number"},
    ),
    "complaints:attach": Case(
        "victim.assistant",
        kwargs=complaint,
        names_record=True,
        get=False,
        data=lambda w: {"attach-step": "work_done", "attach-files": [jpeg("fixed.jpg")]},
    ),
    "complaints:dutylog": Case("victim.assistant", query=lambda w: {"office": w.victim.pk}),
    "complaints:dutylog_add": Case(
        "victim.assistant",
        get=False,
        data=lambda w: {
            "office": w.victim.pk,
            "occurred_at": local(w.now),
            "kind": "inquiry",
            "matter": "parking card",
        },
    ),
    "complaints:dutylog_update": Case(
        "victim.assistant",
        kwargs=record(DutyLogEntry),
        names_record=True,
        get=False,
        data=lambda w: {"handling_status": "passed on", "done": "on"},
    ),
    "complaints:handover_new": Case(
        "victim.assistant",
        get=False,
        data=lambda w: {"office": w.victim.pk, "items": "lift repair"},
    ),
    "complaints:handover_sign": Case(
        "victim.supervisor",
        kwargs=record(ShiftHandover),
        names_record=True,
        get=False,
        data=nothing,
    ),
    "complaints:scans": Case("victim.assistant", query=lambda w: {"office": w.victim.pk}),
    "complaints:scan_add": Case(
        "victim.assistant",
        get=False,
        data=lambda w: {"office": w.victim.pk, "site": "forum", "findings": ""},
    ),
    "followups:my_shift": Case("victim.assistant"),
    "followups:review_tick": Case(
        "victim.assistant",
        kwargs=record(ShiftReviewItem),
        names_record=True,
        get=False,
        data=lambda w: {"note": "told the customer"},
    ),
    "followups:inbox": Case("victim.manager"),
    "followups:inbox_read": Case(
        "victim.manager",
        kwargs=record(Notification),
        names_record=True,
        get=False,
        data=nothing,
    ),
    "followups:inbox_read_all": Case("victim.manager", get=False, data=nothing),
    "followups:contact": Case(
        "victim.assistant",
        kwargs=complaint,
        names_record=True,
        get=False,
        data=lambda w: {
            "contact-kind": "progress",
            "contact-method": "phone",
            "contact-summary": "still waiting for the part",
            "contact-signed": "on",
        },
    ),
    "followups:dispatch": Case(
        "victim.assistant",
        kwargs=complaint,
        names_record=True,
        get=False,
        data=lambda w: {
            "dispatch-department": "engineering",
            "dispatch-instructions": "replace the pipe",
            "dispatch-due_at": local(w.now + timedelta(days=1)),
        },
    ),
    "followups:corrective_action": Case(
        "victim.assistant",
        kwargs=complaint,
        names_record=True,
        get=False,
        data=lambda w: {
            "action-cause": "old pipe",
            "action-correction": "replaced",
            "action-prevention": "yearly check",
        },
    ),
    "followups:resolve": Case(
        "victim.assistant", kwargs=complaint, names_record=True, get=False, data=nothing
    ),
    "followups:revisit": Case(
        "victim.assistant",
        kwargs=complaint,
        names_record=True,
        get=False,
        data=lambda w: {"revisit-method": "phone", "revisit-outcome": "satisfied"},
    ),
    "followups:approve": Case(
        "victim.manager", kwargs=waiting_for_closure, names_record=True, get=False, data=nothing
    ),
    "followups:reject": Case(
        "victim.manager",
        kwargs=waiting_for_closure,
        names_record=True,
        get=False,
        data=lambda w: {"reject-reason": "the revisit was not recorded properly"},
    ),
    "followups:escalation_report": Case(
        "victim.manager",
        kwargs=complaint,
        names_record=True,
        get=False,
        data=lambda w: {"report-report": "the part is on order"},
    ),
    "followups:major_report": Case(
        "victim.manager",
        kwargs=complaint,
        names_record=True,
        get=False,
        data=lambda w: {
            "major-report": "the customer was told",
            "major-answer_expected_at": "2030-01-01T10:00",
        },
    ),
    # The office's poster of its community page: the link and the QR code, for its staff.
    "resident:community_poster": Case(
        "victim.assistant", kwargs=lambda w: {"code": w.victim.code}, names_record=True
    ),
    "resident:community_qr": Case(
        "victim.assistant",
        kwargs=lambda w: {"code": w.victim.code},
        names_record=True,
        owner_sees_victim=False,  # a QR code's squares carry no readable text
    ),
    "reports:archive": Case("victim.supervisor"),
    "reports:detail": Case("victim.supervisor", kwargs=office_report, names_record=True),
    "reports:behind": Case(
        "victim.supervisor",
        kwargs=lambda w: {"pk": w.office_report.pk, "name": "received"},
        names_record=True,
    ),
    "reports:commentary": Case(
        "victim.supervisor",
        kwargs=office_report,
        names_record=True,
        get=False,
        data=lambda w: {"commentary": "a quiet month"},
    ),
    "reports:sent": Case(
        "victim.supervisor", kwargs=office_report, names_record=True, get=False, data=nothing
    ),
    "reports:xlsx": Case(
        "victim.supervisor", kwargs=office_report, names_record=True, owner_sees_victim=False
    ),
    "reports:csv": Case("victim.supervisor", kwargs=office_report, names_record=True),
}


def unprefixed(page_data: Build | None) -> Build:
    """A step page's body for its API route: the same fields, without the form's prefix."""
    return lambda world: {
        name.split("-", 1)[1]: value for name, value in (page_data or nothing)(world).items()
    }


# The REST API's routes beside the desk's: the same scope, a 404 for another office's id.
DESK |= {
    "api:caller-complaints": Case(  # the victim's caller: other offices' callers list nothing
        "victim.assistant", kwargs=lambda w: {"phone": w.complaint.phone}
    ),
    "api:report-list": Case("victim.supervisor"),
    "api:report-detail": Case("victim.supervisor", kwargs=office_report, names_record=True),
    "api:report-xlsx": Case(
        "victim.supervisor", kwargs=office_report, names_record=True, owner_sees_victim=False
    ),
    "api:notification-list": Case("victim.manager"),
    "api:notification-detail": Case(
        "victim.manager", kwargs=record(Notification), names_record=True
    ),
    "api:notification-read": Case(
        "victim.manager", kwargs=record(Notification), names_record=True, get=False, data=nothing
    ),
    "api:notification-read-all": Case("victim.manager", get=False, data=nothing),
    # Each step's route, aimed as the step's page is (the explanation is a contact there).
    **{
        f"api:complaint-{name}": replace(
            DESK[f"followups:{name}"], data=unprefixed(DESK[f"followups:{name}"].data)
        )
        for name in STEPS
        if name != "explain"
    },
    "api:complaint-explain": Case(
        "victim.manager",
        kwargs=complaint,
        names_record=True,
        get=False,
        data=lambda w: {"method": "visit", "summary": "explained in person"},
    ),
}

# Who rightfully reads each model in the admin (default: the victim's office manager).
ADMIN_OWNERS = {
    Branch: "home.gm",
    CalendarOverride: "home.qd",
    CalendarYear: "home.qd",
    Category: "home.qd",
    HiddenCategory: "home.qd",
    Group: "root",
    IntegrationToken: "root",  # superusers only issue and revoke tokens
    WebhookSubscription: "root",  # and subscribe their integrations to webhooks
    WebhookDelivery: "root",
    **dict.fromkeys(LOGIN_RECORDS, "root"),
}
# Models that no office owns: shared configuration. Their pages must still show no victim's text.
SHARED = {
    Group: "the role groups: configuration, edited by superusers only",
}
# The victim's branch: its sibling office sees them. (Categories and calendar overrides for
# every branch are read by all and changed by a superuser only: test_isolation_writes.py.)
BRANCH_WIDE = {Branch, CalendarOverride, CalendarYear, Category, HiddenCategory}


def _shared_record(model):
    return model.objects.order_by("pk").first()


def _admin_cases(model, model_admin) -> dict[str, Case]:
    """The pages Django's ModelAdmin gives every registered model, aimed at the victim's row."""
    app, name = model._meta.app_label, model._meta.model_name
    shared = model in SHARED

    def the_record(world):
        return _shared_record(model) if shared else world.of(model)

    def object_id(world):
        return {"object_id": the_record(world).pk}

    def selected(world):
        action = "approve" if "approve" in (model_admin.actions or ()) else "delete_selected"
        return {
            "action": action,
            "_selected_action": [the_record(world).pk],
            "post": "yes",  # delete_selected's confirmation
            "apply": "yes",  # approve's confirmation
        }

    owner = ADMIN_OWNERS.get(model, "victim.manager")
    mine = {
        "model": model,
        "names_record": not shared,
        "branch_wide": model in BRANCH_WIDE,
        "owner_sees_victim": not shared,
    }
    return {
        f"admin:{app}_{name}_changelist": Case(
            owner, data=selected, **mine | {"names_record": False}
        ),
        f"admin:{app}_{name}_add": Case(
            "root", owner_sees_victim=False, owner_status=None, model=model
        ),
        # Most roles only view in the admin: the owner's POST is refused by permission.
        f"admin:{app}_{name}_change": Case(
            owner, kwargs=object_id, data=nothing, owner_posts=False, **mine
        ),
        # History and delete pages title the record by its str(), which need not carry the
        # token: the owner's sanity is that the page itself answers.
        f"admin:{app}_{name}_history": Case(
            owner, kwargs=object_id, **mine | {"owner_sees_victim": False}
        ),
        f"admin:{app}_{name}_delete": Case(
            "root", kwargs=object_id, owner_status=None, **mine | {"owner_sees_victim": False}
        ),
        # Django's bare `<object_id>/` redirects to the change page, for any staff member.
        f"admin/{app}/{name}/<path:object_id>/": Case(
            owner,
            url=lambda w: reverse(f"admin:{app}_{name}_change", args=[the_record(w).pk])[
                : -len("change/")
            ],
            **mine,
        ),
    }


def admin_model_cases() -> dict[str, Case]:
    cases = {}
    for model, model_admin in admin.site._registry.items():
        cases.update(_admin_cases(model, model_admin))
    return cases


ADMIN_SITE = {
    "admin:index": Case("victim.manager", owner_sees_victim=False),
    "admin:app_list": Case(
        "victim.manager", kwargs=lambda w: {"app_label": "complaints"}, owner_sees_victim=False
    ),
    "admin:password_change": Case("victim.manager", owner_sees_victim=False),
    "admin:password_change_done": Case("victim.manager", owner_sees_victim=False),
    "admin:jsi18n": Case("victim.manager", owner_sees_victim=False),
    "admin:autocomplete": Case(
        "victim.manager",
        query=lambda w: {
            "app_label": "complaints",
            "model_name": "dutylogentry",
            "field_name": "complaint",
            "term": "ZZV",  # not the token itself: a login page echoes `next`
        },
    ),
    # No model has get_absolute_url, so the shortcut answers 404 to everyone; it must not
    # answer differently for a record that exists outside the user's scope.
    "admin:view_on_site": Case(
        "root",
        kwargs=lambda w: {
            "content_type_id": ContentType.objects.get_for_model(Complaint).pk,
            "object_id": w.complaint.pk,
        },
        names_record=True,
        owner_status=404,
        owner_sees_victim=False,
    ),
    "admin:auth_user_password_change": Case(
        "root", kwargs=lambda w: {"id": w.of(User).pk}, names_record=True
    ),
}

SWEEP: dict[str, Case] = {**DESK, **ADMIN_SITE, **admin_model_cases()}

EXEMPT = {
    "login": "the desk's login form: public by nature, reads no record",
    "logout": "POST only; ends the requester's own session",
    "set_language": "public: sets the language cookie, reads no record",
    "admin:login": "the admin's login form: public by nature, reads no record",
    "admin:logout": "ends the requester's own session",
    "metrics": "Prometheus: no session at all, a bearer token (METRICS_TOKEN) or 403/404; "
    "desk-wide counts, no record (tests/config/test_metrics.py)",
    "admin/(?P<url>.*)$": "the admin's catch-all: an unknown admin URL is a 404; names no record",
    # The resident's public pages (#17): no account, opened by a token or a short code; swept
    # by tests/security/test_isolation_public.py (a token opens exactly its complaint).
    "resident:find": "public: the short-code form, rate limited, one answer for any miss",
    "resident:track": "public: opened by its token only (test_isolation_public.py)",
    "resident:revisit": "public: answers for its token's complaint only (test_isolation_public.py)",
    "resident:photo": "public: a photo of its token's complaint only (test_isolation_public.py)",
    "resident:community": "the community's complaint form: public by nature, for any office; it "
    "shows the office's name and buildings, reads no complaint, answers the same whatever is "
    "typed (tests/security/test_community_public.py)",
    "resident:community_sent": "the thank-you page: shows only the tracking link held in the "
    "resident's own signed cookie (tests/security/test_community_public.py)",
}


def url_patterns(patterns=None, prefix: str = "", namespace: str = ""):
    """(key, route) of every URL pattern: its namespaced name, or its route when unnamed."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern).removeprefix("^")
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, (namespace, pattern.namespace)))
            yield from url_patterns(pattern.url_patterns, route, inner)
        elif pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), route
        else:
            yield route, route


ALL_PATTERNS = dict(url_patterns())
SWEPT = sorted(SWEEP)
