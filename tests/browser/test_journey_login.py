"""Journey: an employee who prefers Chinese logs in, switches to English and logs out."""

from org.models import OrgUnit
from tests.browser.conftest import PHONE
from tests.factories import PASSWORD, EmployeeFactory, OrgUnitFactory


def make_employee():
    company = OrgUnitFactory(name="星河科技", name_en="Xinghe Technology", kind=OrgUnit.Kind.COMPANY)
    return EmployeeFactory(
        user__username="wangfang",
        user__full_name="王芳",
        user__english_name="Wang Fang",
        unit=company,
        preferred_language="zh-hans",
    )


def test_log_in_in_chinese_switch_to_english_log_out(page, log_in, screenshot, transactional_db):
    employee = make_employee()

    page.goto("/accounts/login/")
    screenshot(page, "login")
    log_in(page, "wangfang", PASSWORD)

    # Home page in the saved language.
    assert page.url.endswith("/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator(".user-name").inner_text() == "王芳"
    chinese_nav_label = page.locator('[data-section="my-work"]').inner_text()
    screenshot(page, "home-chinese")

    # Switch to English from the header.
    page.click('.language-switcher button[value="en"]')
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator('[data-section="my-work"]').inner_text() == "My work"
    assert page.locator(".user-name").inner_text() == "Wang Fang"
    employee.refresh_from_db()
    assert employee.preferred_language == "en"
    screenshot(page, "home-english")

    # Log out: back on the login page, still in English.
    page.click(".logout-form button")
    page.wait_for_url("**/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("input[name=username]").is_visible()
    screenshot(page, "logged-out")

    # Checked last so the rest of the journey runs regardless: this Chinese label comes from
    # the zh-hans translation catalogue (locale/), and fails until that catalogue is compiled.
    assert chinese_nav_label == "我的工作", "the zh-hans translation of 'My work' is missing"


def test_phone_menu_opens_and_closes(new_page, log_in, screenshot, transactional_db):
    make_employee()
    page = new_page(viewport=PHONE)
    log_in(page, "wangfang", PASSWORD)

    nav = page.locator("#site-nav")
    toggle = page.locator(".menu-toggle")
    assert toggle.is_visible()
    assert not nav.is_visible()
    screenshot(page, "menu-closed")

    toggle.click()
    assert nav.is_visible()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator('[data-section="my-work"]').is_visible()
    assert page.locator(".language-switcher").is_visible()
    screenshot(page, "menu-open")

    page.keyboard.press("Escape")
    assert not nav.is_visible()
    # Nothing spills sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
