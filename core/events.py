"""Domain events: one way to send them, after commit, to receivers that cannot break the sender.

An app that lets higher apps react defines its events as plain `django.dispatch.Signal`s in
its own `events.py` (what each carries, who sends it). Its services send them with
`send_on_commit(event, sender=Model, key_result_id=…)`: nothing is sent if the transaction
rolls back, and receivers read committed data. A higher app connects a receiver in its
`AppConfig.ready()`; the receiver calls that app's own service (or queues its task).

Receivers run robustly: one that raises is logged with the event and the receiver, and neither
the request that committed nor the other receivers see the error.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)


def send_on_commit(signal: Signal, *, sender: Any = None, **payload: Any) -> None:
    """Send `signal` with `payload` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: _send(signal, sender, payload))


def _send(signal: Signal, sender: Any, payload: dict[str, Any]) -> None:
    for receiver, result in signal.send_robust(sender=sender, **payload):
        if isinstance(result, Exception):
            logger.error(
                "Receiver %r of %s failed (payload %r).",
                receiver,
                _name(signal),
                payload,
                exc_info=(type(result), result, result.__traceback__),
            )


def _name(signal: Signal) -> str:
    """The event's dotted name (`goals.events.progress_recorded`), looked up only when a receiver failed."""
    for module_name, module in list(sys.modules.items()):
        if module_name.endswith("events") and module is not None:  # by convention, an app's events.py
            for attribute, value in vars(module).items():
                if value is signal:
                    return f"{module_name}.{attribute}"
    return repr(signal)
