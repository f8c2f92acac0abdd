"""Dates in English pages: one format everywhere (ISO, as in messages and date inputs): 2026-12-31."""

DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
# Chart axes: the same ISO pieces (12-02, 2026-12), not Django's "m月j日" (01月31日 beside 12月2日).
MONTH_DAY_FORMAT = "m-d"
YEAR_MONTH_FORMAT = "Y-m"
