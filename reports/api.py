"""The REST API's monthly reports (issue #18, docs/api.md): the archive, one report's frozen
figures (the snapshot, as JSON) and its xlsx, scoped as the report pages — an office's report
for its staff, a branch's for its branch roles (`MonthlyReport.objects.visible_to`)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action

from complaints.api import ComplaintPages, related_text

from .exports import report_xlsx
from .models import MonthlyReport
from .views import XLSX, _attachment


class ReportSummarySerializer(serializers.ModelSerializer):
    """A row of the archive: whose report, which month, which version, sent or not."""

    office = related_text("office.code")
    branch = related_text("branch.code")

    class Meta:
        model = MonthlyReport
        fields = ["id", "office", "branch", "month", "version", "generated_at", "sent_at"]
        read_only_fields = fields


class ReportSerializer(ReportSummarySerializer):
    """One report: its frozen figures (`data`, as the report page reads them) and commentary."""

    data = serializers.JSONField(read_only=True)

    class Meta(ReportSummarySerializer.Meta):
        fields = [*ReportSummarySerializer.Meta.fields, "commentary", "data"]
        read_only_fields = fields


class ReportViewSet(viewsets.ReadOnlyModelViewSet):
    """The monthly reports the caller may read, newest month first."""

    pagination_class = ComplaintPages
    queryset = MonthlyReport.objects.none()  # for the schema; every request reads the scope

    def get_serializer_class(self):
        return ReportSummarySerializer if self.action == "list" else ReportSerializer

    def get_queryset(self):
        return (
            MonthlyReport.objects.visible_to(self.request.user)
            .select_related("office", "branch")
            .order_by("-month", "branch", "office__code", "-version", "pk")
        )

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def xlsx(self, request, pk=None):
        """The report's workbook, as the report page's download."""
        report = self.get_object()
        return _attachment(HttpResponse(report_xlsx(report), content_type=XLSX), report, "xlsx")
