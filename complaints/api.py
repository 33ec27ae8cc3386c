"""The REST API's complaints (issue #18): the list with the desk's filters and search, and one
complaint with its timeline and deadlines, under `/api/v1/` (docs/api.md).

Thin like the pages: the filters are the list page's `ComplaintFilterForm`, the rows come from
`selectors.complaint_list` / `selectors.complaint_detail`, so the API sees exactly what the
user (or the integration token's user) sees on the desk, and a complaint outside the scope is
a 404. Unlike the page, a filter value that is not valid is a 400 carrying every reason: a
program cannot read the page's explanation box."""

from django.core.paginator import Paginator
from django.db import transaction
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.scoping import visible_offices
from integrations.bodies import form_data, form_errors
from integrations.schema import form_serializer

from . import searchtext, selectors
from .attachments import AttachmentRefused, attach_files
from .filters import PAGE_SIZES, ComplaintFilterForm
from .forms import INVALID_PHONE, IntakeForm
from .models import Attachment, Complaint, ComplaintEvent
from .phones import normalise_phone
from .timeleft import complaint_deadlines
from .views.browse import SearchPaginator
from .views.intake import _form_options as intake_form_options
from .workflow import IntakeRefused, record_complaint


def related_text(source: str) -> serializers.CharField:
    """A related row's name or code, null when there is none (no category yet, no actor)."""
    return serializers.CharField(source=source, read_only=True, default=None, allow_null=True)


class ComplaintSummarySerializer(serializers.ModelSerializer):
    """A row of the list: what the desk's list shows."""

    office = serializers.CharField(source="office.code", read_only=True)
    category = related_text("category.name")
    building = related_text("building.name")
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "number",
            "office",
            "status",
            "status_display",
            "complainant_name",
            "phone",
            "building",
            "room",
            "received_at",
            "channel",
            "category",
            "classification",
            "severity",
            "is_major",
            "reply_due",
            "next_contact_due",
        ]
        read_only_fields = fields


class EventSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    actor = related_text("actor.username")

    class Meta:
        model = ComplaintEvent
        fields = ["id", "kind", "kind_display", "at", "actor", "note", "data"]
        read_only_fields = fields


class DeadlineSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    rule = serializers.CharField()
    explanation = serializers.CharField()
    due = serializers.DateTimeField()
    met_at = serializers.DateTimeField(allow_null=True)
    state = serializers.CharField(source="left.state")
    overdue = serializers.BooleanField(source="left.is_overdue")


class ComplaintDetailSerializer(ComplaintSummarySerializer):
    """One complaint: its record, its timeline (oldest first) and its clocks."""

    events = EventSerializer(many=True, read_only=True)
    deadlines = serializers.SerializerMethodField()
    email = serializers.CharField(read_only=True)  # blank when the customer gave none

    class Meta(ComplaintSummarySerializer.Meta):
        fields = [
            *ComplaintSummarySerializer.Meta.fields,
            "email",
            "unit",
            "address_note",
            "entered_at",
            "responsible_party",
            "urgent_kind",
            "description",
            "customer_request",
            "is_complete",
            "answered_at_once",
            "resolved_at",
            "revisit_due",
            "revisited_at",
            "closed_at",
            "events",
            "deadlines",
        ]
        read_only_fields = fields

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, complaint) -> list[dict]:
        deadlines = complaint_deadlines(complaint, now=self.context.get("now") or timezone.now())
        return DeadlineSerializer(deadlines, many=True).data


class ComplaintPages(PageNumberPagination):
    page_size = PAGE_SIZES[0]
    page_size_query_param = "per_page"
    max_page_size = max(PAGE_SIZES)

    def paginate_queryset(self, queryset, request, view=None):
        # A search's `count` stops at 1,001, as on the list page (docs/performance.md).
        searched = not searchtext.parse(request.query_params.get("q") or "").empty
        self.django_paginator_class = SearchPaginator if searched else Paginator
        return super().paginate_queryset(queryset, request, view)


FILTER_PARAMETERS = [
    OpenApiParameter(name, str, description=description)
    for name, description in [
        ("q", "search: number, phone, complainant, address, category, text"),
        ("office", "office id"),
        ("status", "a status, or `open` for every open status"),
        ("overdue", "a clock that is overdue"),
        ("classification", "classification"),
        ("channel", "channel"),
        ("category", "category id"),
        ("severity", "severity"),
        ("building", "building id"),
        ("received_from", "received on or after (YYYY-MM-DD, office time)"),
        ("received_to", "received on or before (YYYY-MM-DD, office time)"),
        ("sort", "order, as on the list page"),
    ]
]


def api_via(request) -> dict:
    """What the timeline says recorded a write made through the API: the token, by name."""
    token = request.auth
    if token is not None and hasattr(token, "name"):
        return {"api": "token", "token": token.name, "token_id": token.pk}
    return {"api": "session"}


class ComplaintViewSet(viewsets.mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Complaints in the user's scope (the token's user for an integration)."""

    pagination_class = ComplaintPages
    queryset = Complaint.objects.none()  # for the schema; every request reads the selectors

    def get_serializer_class(self):
        return (
            ComplaintDetailSerializer if self.action == "retrieve" else ComplaintSummarySerializer
        )

    def get_queryset(self):
        user = self.request.user
        form = ComplaintFilterForm(self.request.query_params, offices=visible_offices(user))
        if not form.is_valid():
            raise ValidationError(form_errors(form))
        return selectors.complaint_list(user, form.applied)

    def get_object(self):
        return selectors.complaint_detail(self.request.user, self.kwargs["pk"])

    @extend_schema(parameters=FILTER_PARAMETERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=form_serializer(IntakeForm, name="Intake", optional=("received_by", "reply_due")),
        responses={201: ComplaintDetailSerializer},
        description="Intake: the fields of the desk's intake form (docs/api.md; multipart may "
        "carry `files` too); a refusal is a 400 naming every field and its reasons.",
    )
    def create(self, request, *args, **kwargs):
        """Intake through the page's own form and `record_complaint` (R-REC-1..3)."""
        form = IntakeForm(form_data(request), request.FILES, **intake_form_options(request))
        if form.is_valid():
            try:
                with transaction.atomic():
                    complaint = record_complaint(
                        form.save(commit=False), by=request.user, via=api_via(request)
                    )
                    files, step = form.cleaned_data["files"], Attachment.Step.INTAKE
                    attach_files(complaint, by=request.user, files=files, step=step)
            except IntakeRefused as refused:
                for field, reason in refused.reasons.items():
                    form.add_error(field if field in form.fields else None, reason)
            except AttachmentRefused as refused:
                form.add_error("files", refused.reasons)
            else:
                recorded = selectors.complaint_detail(request.user, complaint.pk)
                data = ComplaintDetailSerializer(recorded, context={"request": request}).data
                return Response(data, status=status.HTTP_201_CREATED)
        raise ValidationError(form_errors(form))


class CallerQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=100, default=10)


class CallerComplaintsView(APIView):
    """The caller's earlier complaints, by phone: what intake shows as the phone is typed
    (`selectors.earlier_complaints`), open ones first, then the newest, in the user's scope."""

    @extend_schema(
        operation_id="callers_complaints",
        parameters=[CallerQuerySerializer],
        responses={200: ComplaintSummarySerializer(many=True)},
    )
    def get(self, request, phone):
        query = CallerQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        if normalise_phone(phone) is None:
            raise ValidationError({"phone": [INVALID_PHONE % {"value": phone}]})
        complaints = selectors.earlier_complaints(
            request.user, phone=phone, limit=query.validated_data["limit"]
        )
        return Response(ComplaintSummarySerializer(complaints, many=True).data)
