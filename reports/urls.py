from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.archive, name="archive"),
    path("reports/<int:pk>/", views.detail, name="detail"),
    path("reports/<int:pk>/complaints/<slug:name>/", views.behind, name="behind"),
    path("reports/<int:pk>/commentary/", views.commentary, name="commentary"),
    path("reports/<int:pk>/sent/", views.sent, name="sent"),
    path("reports/<int:pk>/xlsx/", views.xlsx, name="xlsx"),
    path("reports/<int:pk>/csv/", views.csv, name="csv"),
]
