"""org's HTML pages, one module per topic: people (the people list, my team, units, a person's
page), calendar (HR's working-day calendar), grades (HR's grade list) and spreadsheets (the org
chart's import, export and template). Their routes are in org/urls.py."""
