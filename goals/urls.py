"""Goals pages. Each views module declares its own `urlpatterns`; they share the namespace."""

from goals.views import library, objectives, progress, scores, spreadsheets, strategy

app_name = "goals"

urlpatterns = [
    *objectives.urlpatterns,
    *progress.urlpatterns,
    *strategy.urlpatterns,
    *library.urlpatterns,
    *spreadsheets.urlpatterns,
    *scores.urlpatterns,
]
