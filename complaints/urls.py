from django.urls import path

from .urls_attachments import urlpatterns as attachment_patterns
from .urls_browse import urlpatterns as browse_patterns
from .urls_dutylog import urlpatterns as dutylog_patterns
from .views import intake

app_name = "complaints"

urlpatterns = [
    path("complaints/new/", intake.intake, name="intake"),
    path("complaints/lookup/", intake.lookup, name="lookup"),
    path("complaints/units/", intake.units, name="units"),
    path("complaints/reply-latest/", intake.reply_latest, name="reply_latest"),
    path("complaints/new/guide/", intake.guide, name="intake_guide"),
    path("complaints/<int:pk>/recorded/", intake.recorded, name="recorded"),
    path("complaints/<int:pk>/repeat-call/", intake.repeat_call, name="repeat_call"),
    *browse_patterns,
    *attachment_patterns,
    *dutylog_patterns,
]
