"""The Acme benchmark's parts (issue 10); the command is bench/acme_bench.py.

- `report`: pure functions — percentiles, the result table, the docs/PERFORMANCE.md section;
- `cast`: who and what the benchmark looks at in a company (a user per role, a unit, an objective)
  and the pages it measures;
- `rollups`: the full and incremental score roll-ups and the reminder scan, in this process;
- `load`: gunicorn started as in production and driven by concurrent logged-in clients;
- `queries`: each page's query count through Django's test client.
"""
