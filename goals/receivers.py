"""React to goals events: queue the score roll-ups (connected in GoalsConfig.ready).

The events are sent after commit, so the worker reads committed data. If the broker cannot
be reached the request still succeeds: the failure is logged and the nightly full recompute
(goals.recompute_all) brings the scores up to date.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager

from goals.events import objective_changed, progress_recorded

logger = logging.getLogger(__name__)


def _enqueue(task, **kwargs) -> None:
    try:
        task.delay(**kwargs)
    except Exception:  # the broker is down: the nightly recompute catches up
        logger.exception("Could not queue %s(%s); the nightly recompute will catch up.", task.name, kwargs)


def on_progress_recorded(sender, key_result_id: int, **kwargs) -> None:
    from goals.tasks import recompute_path_task

    _enqueue(recompute_path_task, key_result_id=key_result_id)


def on_objective_changed(sender, objective_id: int, **kwargs) -> None:
    from goals.tasks import recompute_objective_task

    _enqueue(recompute_objective_task, objective_id=objective_id)


def connect() -> None:
    progress_recorded.connect(on_progress_recorded, dispatch_uid="goals.receivers.progress_recorded")
    objective_changed.connect(on_objective_changed, dispatch_uid="goals.receivers.objective_changed")


def disconnect() -> None:
    progress_recorded.disconnect(dispatch_uid="goals.receivers.progress_recorded")
    objective_changed.disconnect(dispatch_uid="goals.receivers.objective_changed")


@contextmanager
def roll_ups_deferred():
    """Queue no path roll-ups inside this block — for bulk loads that end with a full recompute
    (the demo loader). The events still fire; only this app's reaction to them is paused."""
    disconnect()
    try:
        yield
    finally:
        connect()
