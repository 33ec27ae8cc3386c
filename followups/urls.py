from django.urls import path

from .views import inbox, shift, steps

app_name = "followups"

urlpatterns = [
    path("my-shift/", shift.my_shift, name="my_shift"),
    path("review-items/<int:pk>/tick/", shift.review_tick, name="review_tick"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/<int:pk>/read/", inbox.inbox_read, name="inbox_read"),
    path("inbox/read-all/", inbox.inbox_read_all, name="inbox_read_all"),
    # The steps of a complaint's page: complaints/<pk>/corrective-action/ for corrective_action.
    *(
        path(f"complaints/<int:pk>/{name.replace('_', '-')}/", view, name=name)
        for name, view in steps.VIEWS.items()
    ),
]
