"""List and detail of complaints."""

urlpatterns = []
