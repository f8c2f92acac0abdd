"""Goals pages: strategy."""

urlpatterns = []
