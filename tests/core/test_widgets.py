"""Date and number inputs round-trip in both languages; one date format per language."""

from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.utils import formats, translation

from core.widgets import DateInput, NumberInput

pytestmark = pytest.mark.smoke


class Sample(forms.Form):
    day = forms.DateField(widget=DateInput())
    amount = forms.DecimalField(widget=NumberInput(), localize=True)
    count = forms.IntegerField(widget=NumberInput(), localize=True)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_inputs_render_what_the_browser_reads_and_read_it_back(language, settings):
    settings.USE_THOUSAND_SEPARATOR = True  # even where pages group digits, inputs must not
    with translation.override(language):
        html = str(Sample(initial={"day": date(2026, 12, 31), "amount": Decimal("1234567.5000"), "count": 12000}))
        assert 'type="date"' in html
        assert 'value="2026-12-31"' in html
        assert 'value="1234567.5"' in html
        assert 'value="12000"' in html
        bound = Sample({"day": "2026-12-31", "amount": "1234567.5", "count": "12000"})
        assert bound.is_valid(), bound.errors
        assert bound.cleaned_data == {"day": date(2026, 12, 31), "amount": Decimal("1234567.5"), "count": 12000}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_one_date_format_per_language(language):
    day = date(2026, 3, 5)
    with translation.override(language):
        shown = {formats.date_format(day, name) for name in ("DATE_FORMAT", "SHORT_DATE_FORMAT")}
    assert shown == {"2026-03-05"}
