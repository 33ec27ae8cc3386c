from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.archive, name="archive"),
    path("reports/<int:pk>/", views.detail, name="detail"),
    path("reports/<int:pk>/xlsx/", views.xlsx, name="xlsx"),
    path("reports/<int:pk>/csv/", views.csv, name="csv"),
]
