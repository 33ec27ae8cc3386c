"""Duty log, shift handovers and website scans."""

from django.urls import path

from .views import dutylog

urlpatterns = [
    path("duty-log/", dutylog.dutylog, name="dutylog"),
    path("duty-log/add/", dutylog.dutylog_add, name="dutylog_add"),
    path("duty-log/<int:pk>/", dutylog.dutylog_update, name="dutylog_update"),
    path("duty-log/handover/", dutylog.handover_new, name="handover_new"),
    path("duty-log/handover/<int:pk>/sign/", dutylog.handover_sign, name="handover_sign"),
    path("website-scans/", dutylog.scans, name="scans"),
    path("website-scans/add/", dutylog.scan_add, name="scan_add"),
]
