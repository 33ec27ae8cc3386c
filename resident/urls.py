"""The public pages: no login, each opened only by what the resident holds (docs/resident.md).

Tracking a complaint lives under ``t/<token>/``, the community's complaint form under
``c/<code>/``. The desk's own steps on a complaint's link (issue a new one, revoke) sit beside
the complaint. Each group is included under the one prefix that opens it."""

from django.urls import include, path

from . import community, views, views_desk

app_name = "resident"

tracking = [
    path("", views.track, name="track"),
    path("revisit/", views.revisit, name="revisit"),
    path("photos/<uuid:key>/", views.photo, name="photo"),
]
community_pages = [
    path("", community.complain, name="community"),
    path("sent/", community.sent, name="community_sent"),
    path("poster/", community.poster, name="community_poster"),
    path("qr.svg", community.qr_code, name="community_qr"),
]
desk_steps = [
    path("", views_desk.reissue, name="reissue"),
    path("revoke/", views_desk.revoke, name="revoke"),
]

urlpatterns = [
    path("t/", views.find, name="find"),
    path("t/<str:token>/", include(tracking)),
    path("c/<str:code>/", include(community_pages)),
    path("complaints/<int:pk>/tracking-link/", include(desk_steps)),
]
