"""/api/v1/goals/ — mounted from pmsite.api_urls."""

from django.urls import path

from goals.objectives.apis import action_plans, key_results, objectives
from goals.progress import apis as progress
from goals.scoring import apis as scores
from goals.strategy import apis as library

urlpatterns = [
    path("periods/", library.PeriodListApi.as_view(), name="api-goals-period-list"),
    path("periods/<int:pk>/", library.PeriodDetailApi.as_view(), name="api-goals-period-detail"),
    path("themes/", library.ThemeListApi.as_view(), name="api-goals-theme-list"),
    path("themes/<int:pk>/", library.ThemeDetailApi.as_view(), name="api-goals-theme-detail"),
    path("kpis/", library.KpiListApi.as_view(), name="api-goals-kpi-list"),
    path("kpis/<int:pk>/", library.KpiDetailApi.as_view(), name="api-goals-kpi-detail"),
    path("kpi-references/", library.KpiReferenceListApi.as_view(), name="api-goals-kpi-reference-list"),
    path("objectives/", objectives.ObjectiveListApi.as_view(), name="api-goals-objective-list"),
    path("objectives/<int:pk>/", objectives.ObjectiveDetailApi.as_view(), name="api-goals-objective-detail"),
    path("objectives/<int:pk>/smart/", objectives.ObjectiveSmartApi.as_view(), name="api-goals-objective-smart"),
    path("objectives/<int:pk>/submit/", objectives.ObjectiveSubmitApi.as_view(), name="api-goals-objective-submit"),
    path("objectives/<int:pk>/approve/", objectives.ObjectiveApproveApi.as_view(), name="api-goals-objective-approve"),
    path("objectives/<int:pk>/return/", objectives.ObjectiveReturnApi.as_view(), name="api-goals-objective-return"),
    path("objectives/<int:pk>/close/", objectives.ObjectiveCloseApi.as_view(), name="api-goals-objective-close"),
    path("objectives/<int:pk>/cancel/", objectives.ObjectiveCancelApi.as_view(), name="api-goals-objective-cancel"),
    path("key-results/", key_results.KeyResultListApi.as_view(), name="api-goals-key-result-list"),
    path("key-results/<int:pk>/", key_results.KeyResultDetailApi.as_view(), name="api-goals-key-result-detail"),
    path("action-plans/", action_plans.ActionPlanListApi.as_view(), name="api-goals-action-plan-list"),
    path("action-plans/<int:pk>/", action_plans.ActionPlanDetailApi.as_view(), name="api-goals-action-plan-detail"),
    path("measurements/", progress.MeasurementListApi.as_view(), name="api-goals-measurement-list"),
    path("measurements/push/", progress.MeasurementPushApi.as_view(), name="api-goals-measurement-push"),
    path("measurements/<int:pk>/", progress.MeasurementDetailApi.as_view(), name="api-goals-measurement-detail"),
    path(
        "measurements/<int:pk>/correct/",
        progress.MeasurementCorrectApi.as_view(),
        name="api-goals-measurement-correct",
    ),
    path("scores/objective/<int:pk>/", scores.ObjectiveScoreApi.as_view(), name="api-goals-score-objective"),
    path("scores/person/<int:employee_id>/", scores.PersonScoreApi.as_view(), name="api-goals-score-person"),
    path("scores/unit/<int:unit_id>/", scores.UnitScoreApi.as_view(), name="api-goals-score-unit"),
    path("scores/theme/<int:pk>/", scores.ThemeScoreApi.as_view(), name="api-goals-score-theme"),
]
