"""The goals REST API (/api/v1/goals/): thin views over the selectors, access functions and services.

- library.py: periods, strategic themes, the KPI library and reference ranges
- objectives.py: objectives with their approval workflow and SMART check
- key_results.py, action_plans.py: what sits under an objective
- progress.py: progress updates (measurements), corrections, and pushes from other systems
"""
