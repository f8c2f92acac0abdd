"""Events the goals app sends for higher apps to react to (check-ins, appraisals, the dashboard).

Each is sent after commit through `core.events.send_on_commit`, so a receiver reads committed
data, and a receiver that fails is logged without breaking the request. Higher apps connect
receivers in their AppConfig.ready and call their own services there. Goals itself does not
listen: its own reaction (the score roll-ups) is a task queued after commit (goals.tasks).

- `progress_recorded` (sender KeyResult; `key_result_id`): a progress update, a correction or a
  ticked milestone was recorded — by a person, an import or a push
  (goals.progress.services.measurements and .imports, once per key result and transaction).
- `objective_changed` (sender Objective; `objective_id`): an objective was approved, closed or
  cancelled, so its standing in the scores changed (goals.objectives.services).
"""

from django.dispatch import Signal

progress_recorded = Signal()

objective_changed = Signal()
