"""Duty log, shift handovers and website scans."""

urlpatterns = []
