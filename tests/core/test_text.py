"""Lists of names and words read naturally in each language: “甲、乙” in Chinese, “a, b” in English."""

from django.template import Context, Template
from django.utils import translation

from core.text import join_words


def test_join_words_uses_the_chinese_enumeration_comma_in_chinese():
    with translation.override("zh-hans"):
        assert join_words(["具体", "可衡量", "有时限"]) == "具体、可衡量、有时限"
    with translation.override("en"):
        assert join_words(["Specific", "Measurable"]) == "Specific, Measurable"
        assert join_words([]) == ""
        assert join_words(iter([3, 5])) == "3, 5"


def test_the_template_filter_follows_the_active_language():
    template = Template("{% load stride_text %}{{ words|join_words }}")
    with translation.override("zh-hans"):
        assert template.render(Context({"words": ["名称", "单位"]})) == "名称、单位"
    with translation.override("en"):
        assert template.render(Context({"words": ["name", "unit"]})) == "name, unit"
