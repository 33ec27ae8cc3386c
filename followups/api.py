"""The REST API's steps and notifications (issue #18, docs/api.md).

Steps: `POST /api/v1/complaints/<id>/<step>/`, one route for each step of the table
(`followups.steps.STEPS`). Each parses the body with the step's own form and calls the same
workflow function as the page's view, which checks roles, status and class from the same
table; a refusal is a 400 carrying every reason, in the caller's language, and the event the
step writes names the token (`via`, as intake's). A complaint outside the scope is a 404.

Notifications: the token user's own (`Notification.objects.addressed_to`), as the inbox
lists them, and marking them read."""

from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from complaints import selectors as complaint_selectors
from complaints.api import ComplaintDetailSerializer, ComplaintPages, api_via, related_text
from complaints.attachments import AttachmentRefused, attach_files
from complaints.models import Attachment, Complaint
from integrations.bodies import form_data, form_errors
from integrations.schema import form_serializer

from . import selectors, workflow
from .forms import InboxFilter
from .models import Contact, Notification
from .notify import mark_all_read, mark_read
from .steps import STEPS

# The workflow function of each step: the one the page's view calls (followups/views/steps.py).
RUN = {
    "contact": workflow.record_contact,
    "explain": workflow.record_contact,
    "dispatch": workflow.dispatch,
    "corrective_action": workflow.record_corrective_action,
    "resolve": workflow.resolve,
    "revisit": workflow.record_revisit,
    "approve": workflow.approve_closure,
    "reject": workflow.reject_closure,
    "escalation_report": workflow.report_owed_to_branch_gm,
    "major_report": workflow.report_major,
}
# What a route fixes in the body: the explanation of an invalid complaint is a contact (R-HND-2).
FIXED = {"explain": {"kind": Contact.Kind.EXPLANATION}}
# Where the step's files are kept (`Attachment.Step`): an explanation is a contact.
ATTACHED_AS = {"explain": Attachment.Step.CONTACT}


class StepView(APIView):
    """One step of the table, on one complaint of the caller's scope."""

    step = None  # a followups.steps.Step, set for each route by `step_view`

    def post(self, request, pk):
        complaint = get_object_or_404(
            Complaint.objects.visible_to(request.user).select_related("office"), pk=pk
        )
        form_class, name = self.step.form, self.step.name
        data = form_data(request).copy()
        for field, value in FIXED.get(name, {}).items():
            data[field] = value
        form = form_class(data, request.FILES, prefix="") if form_class else None
        if form is not None and not form.is_valid():
            raise ValidationError(form_errors(form))
        fields = dict(form.cleaned_data) if form is not None else {}
        files = fields.pop("files", [])
        try:
            with transaction.atomic():  # the step and its files, or neither
                record = RUN[name](complaint, by=request.user, via=api_via(request), **fields)
                if files:
                    step = ATTACHED_AS.get(name) or Attachment.Step(name)
                    attach_files(
                        complaint, by=request.user, files=files, step=step, record_id=record.pk
                    )
        except workflow.StepRefused as refused:
            raise ValidationError({"__all__": [str(r) for r in refused.reasons]}) from None
        except AttachmentRefused as refused:
            raise ValidationError({"files": [str(r) for r in refused.reasons]}) from None
        done = complaint_selectors.complaint_detail(request.user, complaint.pk)
        return Response(ComplaintDetailSerializer(done, context={"request": request}).data)


def step_view(name: str):
    """The API view of step `name`, documented with its form's fields."""
    step = STEPS[name]
    body = None
    if step.form is not None:
        body = form_serializer(
            step.form,
            name="".join(part.title() for part in name.split("_")) + "Step",
            exclude=FIXED.get(name, {}),
        )

    def post(self, request, pk):
        return StepView.post(self, request, pk)

    post = extend_schema(
        operation_id=f"complaints_{name}",
        request=body,
        responses={200: ComplaintDetailSerializer},
        tags=["steps"],
        description=f"The step “{name}” ({step.rule}), as the complaint's page takes it: "
        "the page's form checks the body (multipart may carry `files` too), the page's workflow "
        "function the step; 200 with the complaint, or 400 with every reason.",
    )(post)
    return type(f"{name}_view", (StepView,), {"step": step, "post": post}).as_view()


def step_routes():
    """(route, view, name) of every step: `complaints/<id>/corrective-action/`, …"""
    return [
        (f"complaints/<int:pk>/{name.replace('_', '-')}/", step_view(name), f"complaint-{name}")
        for name in STEPS
    ]


class NotificationSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    complaint = related_text("complaint.number")
    resolved_reason = serializers.ChoiceField(
        choices=Notification.Resolved.choices, allow_blank=True, read_only=True
    )
    complaint_id = serializers.IntegerField(read_only=True, allow_null=True)
    unread = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "kind_display",
            "title",
            "body",
            "complaint",
            "complaint_id",
            "created_at",
            "read_at",
            "resolved_at",
            "resolved_reason",
            "unread",
        ]
        read_only_fields = fields

    def get_unread(self, notification) -> bool:
        return notification.read_at is None and notification.resolved_at is None


class ReadCountSerializer(serializers.Serializer):
    count = serializers.IntegerField()


INBOX_PARAMETERS = [
    OpenApiParameter("show", str, enum=["unread", "history", "all"]),
    OpenApiParameter("kind", str, enum=Notification.Kind.values),
    OpenApiParameter("complaint", str, description="a complaint's number"),
]


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's own notifications (the token's user's), unread first, as the inbox."""

    serializer_class = NotificationSerializer
    pagination_class = ComplaintPages
    queryset = Notification.objects.none()  # for the schema; every request reads the selectors

    def get_queryset(self):
        form = InboxFilter(self.request.query_params)
        if not form.is_valid():
            raise ValidationError(form_errors(form))
        return selectors.inbox(self.request.user, **form.filters())

    def get_object(self):
        return get_object_or_404(
            Notification.objects.addressed_to(self.request.user).select_related("complaint"),
            pk=self.kwargs["pk"],
        )

    @extend_schema(parameters=INBOX_PARAMETERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Marks it read (reading it again changes nothing)."""
        return Response(self.get_serializer(mark_read(self.get_object())).data)

    @extend_schema(request=None, responses={200: ReadCountSerializer})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Marks every unread one read; says how many."""
        return Response({"count": mark_all_read(request.user)})
