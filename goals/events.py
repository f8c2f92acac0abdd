"""Named events the goals app sends on commit, for higher apps (and later roll-ups) to react to."""

from django.dispatch import Signal

# Sent after a progress update (or correction, or milestone) is committed. Args: key_result_id.
progress_recorded = Signal()

# Sent after an objective's standing in the score roll-ups changed — approved, closed or
# cancelled — is committed. Args: objective_id. (goals.receivers queues its path roll-up.)
objective_changed = Signal()
