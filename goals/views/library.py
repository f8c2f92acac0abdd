"""Goals pages: library."""

urlpatterns = []
