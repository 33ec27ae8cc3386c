from django.contrib import admin
from django.urls import include, path

from config.metrics import metrics
from reports.views_home import home

urlpatterns = [
    path("admin/", admin.site.urls),
    path("metrics", metrics, name="metrics"),  # Prometheus, behind METRICS_TOKEN
    path("i18n/", include("django.conf.urls.i18n")),
    path("", home, name="home"),
    path("", include("accounts.urls")),
    path("", include("complaints.urls")),
    path("", include("reports.urls")),
    path("", include("followups.urls")),
]
