"""Attachments: streamed after the scope check, added later, withdrawn."""

from django.urls import path

from .views import attachments

urlpatterns = [
    path("attachments/<int:pk>/", attachments.attachment_file, name="attachment"),
    path(
        "attachments/<int:pk>/thumbnail/",
        attachments.attachment_thumbnail,
        name="attachment_thumbnail",
    ),
    path("attachments/<int:pk>/withdraw/", attachments.withdraw, name="attachment_withdraw"),
    path("complaints/<int:pk>/attach/", attachments.attach, name="attach"),
]
