"""The cascade as a tree: strategic themes → company → unit → personal objectives, plus the
loose ends (not aligned; aligned to another period).

At ten thousand people a period holds tens of thousands of objectives, so no page reads the tree
whole. Each reads where its reader starts, and every node whose aligned objectives were not read
carries how many there are (`more`; `rest` for the personal objectives under an open unit
objective), loaded when the reader opens the node (`cascade_children`):

- the first screen (`first_screen_ids`): company objectives, what is aligned to them, and the unit
  objectives aligned to the unit objectives among those — not the personal ones, which start folded;
- a unit's page (`unit_part_ids`): where the unit's part of the tree enters it (its objectives aligned
  to nothing of its own), with the path up to them and one level below;
- a search (`search_part_ids`): the first SEARCH_LIMIT matches, with the path up to them and, when
  they are few enough (SEARCH_BELOW), one level below.

The first screen's counts cover the whole period (`tree_counts`: one pass over the rows, no recursion).
"""

from goals.strategy.cascade.counts import TreeCounts, branch_totals, tree_counts
from goals.strategy.cascade.reads import by_perspective, in_period, themes_in_view
from goals.strategy.cascade.rows import STATUS_BADGES, objective_progress, percent_text, tree_rows
from goals.strategy.cascade.tree import SEARCH_LIMIT, build_cascade, cascade_children, unit_subtree_ids

__all__ = [
    "SEARCH_LIMIT",
    "STATUS_BADGES",
    "TreeCounts",
    "branch_totals",
    "build_cascade",
    "by_perspective",
    "cascade_children",
    "in_period",
    "objective_progress",
    "percent_text",
    "themes_in_view",
    "tree_counts",
    "tree_rows",
    "unit_subtree_ids",
]
