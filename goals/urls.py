"""Goals pages. Each sub-domain's views module declares its own `urlpatterns`; they share the namespace."""

from goals.objectives import views as objectives
from goals.progress.views import spreadsheets
from goals.progress.views import updates as progress
from goals.scoring import views as scores
from goals.strategy.views import cascade as strategy
from goals.strategy.views import library

app_name = "goals"

urlpatterns = [
    *objectives.urlpatterns,
    *progress.urlpatterns,
    *strategy.urlpatterns,
    *library.urlpatterns,
    *spreadsheets.urlpatterns,
    *scores.urlpatterns,
]
