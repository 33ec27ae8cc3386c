"""The public pages: no login, each opened only by what the resident holds (docs/resident.md).

Tracking a complaint lives under ``t/``, the community's complaint form under ``c/``.
"""

app_name = "resident"

urlpatterns = []
