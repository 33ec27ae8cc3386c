from django.urls import path

from .views import inbox, shift, steps

app_name = "followups"

urlpatterns = [
    path("my-shift/", shift.my_shift, name="my_shift"),
    path("review-items/<int:pk>/tick/", shift.review_tick, name="review_tick"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/<int:pk>/read/", inbox.inbox_read, name="inbox_read"),
    path("inbox/read-all/", inbox.inbox_read_all, name="inbox_read_all"),
    path("complaints/<int:pk>/contact/", steps.contact, name="contact"),
    path("complaints/<int:pk>/dispatch/", steps.dispatch, name="dispatch"),
    path(
        "complaints/<int:pk>/corrective-action/",
        steps.corrective_action,
        name="corrective_action",
    ),
    path("complaints/<int:pk>/resolve/", steps.resolve, name="resolve"),
    path("complaints/<int:pk>/revisit/", steps.revisit, name="revisit"),
    path("complaints/<int:pk>/approve/", steps.approve, name="approve"),
    path("complaints/<int:pk>/reject/", steps.reject, name="reject"),
    path("complaints/<int:pk>/major-report/", steps.major_report, name="major_report"),
    path(
        "complaints/<int:pk>/escalation-report/",
        steps.escalation_report,
        name="escalation_report",
    ),
]
