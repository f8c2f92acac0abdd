"""Goals pages: spreadsheets."""

urlpatterns = []
