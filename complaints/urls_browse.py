"""List and detail of complaints."""

from django.urls import path

from .views import browse, community, record

urlpatterns = [
    path("complaints/", browse.complaint_list, name="list"),
    path("complaints/<int:pk>/", browse.complaint_detail, name="detail"),
    path("complaints/<int:pk>/record/", record.record, name="record"),
    path("complaints/<int:pk>/check/", community.check, name="check"),
]
