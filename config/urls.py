from django.contrib import admin
from django.urls import include, path

from reports.views_home import home

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", home, name="home"),
    path("", include("accounts.urls")),
    path("", include("complaints.urls")),
    path("", include("reports.urls")),
    path("", include("followups.urls")),
]
