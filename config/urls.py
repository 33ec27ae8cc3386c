from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from complaints.api import CallerComplaintsView, ComplaintViewSet
from config.metrics import metrics
from followups.api import NotificationViewSet, step_routes
from reports.api import ReportViewSet
from reports.views_home import home

api = SimpleRouter()
api.register("complaints", ComplaintViewSet, basename="complaint")
api.register("reports", ReportViewSet, basename="report")
api.register("notifications", NotificationViewSet, basename="notification")
api_routes = [
    *api.urls,
    *(path(route, view, name=name) for route, view, name in step_routes()),
    path(
        "callers/<str:phone>/complaints/",
        CallerComplaintsView.as_view(),
        name="caller-complaints",
    ),
]
# The documentation page is for people at the desk: a login page for the anonymous, no CDN.
api_docs = login_required(
    SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/docs.html")
)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("metrics", metrics, name="metrics"),  # Prometheus, behind METRICS_TOKEN
    path("api/v1/", include((api_routes, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", api_docs, name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", home, name="home"),
    path("", include("accounts.urls")),
    path("", include("complaints.urls")),
    path("", include("reports.urls")),
    path("", include("followups.urls")),
    path("", include("resident.urls")),
]

handler400 = "integrations.errors.bad_request"  # the API answers JSON (docs/api.md)
