"""The spreadsheet pages are reachable from the pages people work on."""

from django.urls import reverse

from tests.goals.factories import PeriodFactory


def test_my_objectives_links_to_progress_import_and_export(client_for, org):
    year = PeriodFactory()
    html = client_for(org.rep).get(reverse("goals:my-objectives"), {"period": year.pk}).content.decode()
    assert f'href="{reverse("goals:progress-import")}?period={year.pk}"' in html
    assert f'href="{reverse("goals:objectives-export")}?period={year.pk}"' in html


def test_team_objectives_and_cascade_link_to_export(client_for, org):
    year = PeriodFactory()
    team = client_for(org.lead).get(reverse("goals:team-objectives"), {"period": year.pk}).content.decode()
    assert reverse("goals:progress-import") in team
    assert reverse("goals:objectives-export") in team
    cascade = client_for(org.rep).get(reverse("goals:cascade"), {"period": year.pk}).content.decode()
    assert reverse("goals:objectives-export") in cascade
