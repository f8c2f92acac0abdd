"""Template filters for language-dependent text: {% load stride_text %}."""

from django import template

from pmsite.text import join_words as _join_words

register = template.Library()


@register.filter
def join_words(items) -> str:
    """{{ names|join_words }}: “甲、乙” in Chinese, “a, b” in English."""
    return _join_words(items or [])
