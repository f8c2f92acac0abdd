"""Template filters for language-dependent text: {% load stride_text %}."""

from django import template

from core.schedules import schedule_name as _schedule_name
from core.text import join_words as _join_words

register = template.Library()


@register.filter
def join_words(items) -> str:
    """{{ names|join_words }}: “甲、乙” in Chinese, “a, b” in English."""
    return _join_words(items or [])


@register.filter
def schedule_name(name) -> str:
    """{{ task.name|schedule_name }}: a seeded schedule's name in the reader's language."""
    return _schedule_name(str(name or ""))
