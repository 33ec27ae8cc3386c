"""The public pages: no login, each opened only by what the resident holds (docs/resident.md).

Tracking a complaint lives under ``t/``, the community's complaint form under ``c/``. The
desk's own steps on a complaint's link (issue a new one, revoke) sit beside the complaint."""

from django.urls import path

from . import community, views, views_desk

app_name = "resident"

urlpatterns = [
    path("t/", views.find, name="find"),
    path("t/<str:token>/", views.track, name="track"),
    path("t/<str:token>/revisit/", views.revisit, name="revisit"),
    path("t/<str:token>/photos/<uuid:key>/", views.photo, name="photo"),
    path("c/<str:code>/", community.complain, name="community"),
    path("c/<str:code>/sent/", community.sent, name="community_sent"),
    path("c/<str:code>/poster/", community.poster, name="community_poster"),
    path("c/<str:code>/qr.svg", community.qr_code, name="community_qr"),
    path("complaints/<int:pk>/tracking-link/", views_desk.reissue, name="reissue"),
    path("complaints/<int:pk>/tracking-link/revoke/", views_desk.revoke, name="revoke"),
]
