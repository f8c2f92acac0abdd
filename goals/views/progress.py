"""Goals pages: progress."""

urlpatterns = []
