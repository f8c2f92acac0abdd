"""The demo company 星河科技 / Xinghe Technology (shared/reference/demo-company.md).

Pure data: units, the named cast with a login per role, and a deterministic crowd of
colleagues, so that every run builds the same company.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.hashers import make_password

DEMO_PASSWORD = "stride-demo"  # noqa: S105 (the published demo password, documented in the README)
EMAIL_DOMAIN = "xinghe.example"

# (key, name, English name, kind, parent key)
UNITS: list[tuple[str, str, str, str, str | None]] = [
    ("hq", "星河科技", "Xinghe Technology", "company", None),
    ("sales", "销售中心", "Sales", "division", "hq"),
    ("east", "华东销售部", "East China sales", "department", "sales"),
    ("east_key", "华东大客户组", "East China key accounts", "team", "east"),
    ("south", "华南销售部", "South China sales", "department", "sales"),
    ("marketing", "市场部", "Marketing", "division", "hq"),
    ("rnd", "研发中心", "R&D", "division", "hq"),
    ("platform", "平台组", "Platform team", "team", "rnd"),
    ("mobile", "移动组", "Mobile team", "team", "rnd"),
    ("service", "客户服务部", "Customer service", "division", "hq"),
    ("hr", "人力资源部", "HR", "division", "hq"),
    ("finance", "财务部", "Finance", "division", "hq"),
]


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    english_name: str
    unit: str
    manager: str | None
    title: str
    grade: str
    language: str = "zh-hans"
    username: str = ""
    is_hr: bool = False
    is_executive: bool = False


# The named cast: one login per role, the people the article's story is about.
CAST: list[Person] = [
    Person("ceo", "陈静", "Chen Jing", "hq", None, "首席执行官", "M6", "en", "chenjing", is_executive=True),
    Person("cfo", "马超", "Ma Chao", "finance", "ceo", "财务总监", "M5", "zh-hans", "machao", is_executive=True),
    Person("sales_vp", "孙伟", "Sun Wei", "sales", "ceo", "销售副总裁", "M5", "zh-hans", "sunwei"),
    Person("east_mgr", "赵磊", "Zhao Lei", "east", "sales_vp", "华东销售经理", "M3", "en", "zhaolei"),
    Person("key_lead", "钱明", "Qian Ming", "east_key", "east_mgr", "大客户组组长", "M2", "zh-hans", "qianming"),
    Person("south_mgr", "周敏", "Zhou Min", "south", "sales_vp", "华南销售经理", "M3", "zh-hans", "zhoumin"),
    Person("rep", "王芳", "Wang Fang", "east", "east_mgr", "销售代表", "P3", "zh-hans", "wangfang"),
    Person("senior_rep", "李娜", "Li Na", "east", "east_mgr", "资深销售代表", "P5", "en", "lina"),
    Person("mkt_mgr", "林晓", "Lin Xiao", "marketing", "ceo", "市场总监", "M4", "zh-hans", "linxiao"),
    Person("cto", "吴强", "Wu Qiang", "rnd", "ceo", "研发总监", "M5", "en", "wuqiang"),
    Person("platform_lead", "郑浩", "Zheng Hao", "platform", "cto", "平台组组长", "M2", "zh-hans", "zhenghao"),
    Person("mobile_lead", "黄丽", "Huang Li", "mobile", "cto", "移动组组长", "M2", "en", "huangli"),
    Person("service_mgr", "徐娜", "Xu Na", "service", "ceo", "客户服务经理", "M3", "zh-hans", "xuna"),
    Person("hr_mgr", "刘洋", "Liu Yang", "hr", "ceo", "人力资源经理", "M3", "zh-hans", "liuyang", is_hr=True),
]

# The grade list: (grade level, description, order).
GRADE_LEVELS: list[tuple[str, str, int]] = [
    *[(f"P{n}", "专业序列 / Professional track", n) for n in range(1, 8)],
    *[(f"M{n}", "管理序列 / Management track", 10 + n) for n in range(1, 7)],
]

# Job titles in English, for people who use Stride in English.
TITLES_EN: dict[str, str] = {
    "首席执行官": "CEO", "财务总监": "CFO", "销售副总裁": "VP of Sales", "华东销售经理": "East China sales manager",
    "大客户组组长": "Key accounts team lead", "华南销售经理": "South China sales manager",
    "销售代表": "Sales representative", "资深销售代表": "Senior sales representative", "市场总监": "Marketing director",
    "研发总监": "R&D director", "平台组组长": "Platform team lead", "移动组组长": "Mobile team lead",
    "客户服务经理": "Customer service manager", "人力资源经理": "HR manager", "大客户经理": "Key account manager",
    "市场专员": "Marketing specialist", "后端工程师": "Backend engineer", "移动端工程师": "Mobile engineer",
    "客服专员": "Customer service specialist", "人力资源专员": "HR specialist", "会计": "Accountant",
}  # fmt: skip

# How many more colleagues each unit gets, who they report to, their title and grades.
CROWD: list[tuple[str, str, int, str, list[str]]] = [
    ("east", "east_mgr", 6, "销售代表", ["P3", "P4", "P5"]),
    ("east_key", "key_lead", 4, "大客户经理", ["P4", "P5", "P6"]),
    ("south", "south_mgr", 8, "销售代表", ["P3", "P4", "P5"]),
    ("marketing", "mkt_mgr", 5, "市场专员", ["P3", "P4", "P5"]),
    ("platform", "platform_lead", 7, "后端工程师", ["P4", "P5", "P6"]),
    ("mobile", "mobile_lead", 6, "移动端工程师", ["P4", "P5", "P6"]),
    ("service", "service_mgr", 6, "客服专员", ["P2", "P3", "P4"]),
    ("hr", "hr_mgr", 2, "人力资源专员", ["P3", "P4"]),
    ("finance", "cfo", 3, "会计", ["P3", "P4", "P5"]),
]

SURNAMES = [
    ("张", "Zhang"), ("杨", "Yang"), ("黄", "Huang"), ("高", "Gao"), ("罗", "Luo"), ("梁", "Liang"),
    ("宋", "Song"), ("唐", "Tang"), ("许", "Xu"), ("韩", "Han"), ("冯", "Feng"), ("邓", "Deng"),
    ("曹", "Cao"), ("彭", "Peng"), ("曾", "Zeng"), ("肖", "Xiao"), ("田", "Tian"), ("董", "Dong"),
]  # fmt: skip
GIVEN = [
    ("伟", "Wei"), ("秀英", "Xiuying"), ("敏", "Min"), ("静", "Jing"), ("丽", "Li"), ("强", "Qiang"),
    ("磊", "Lei"), ("军", "Jun"), ("洋", "Yang"), ("勇", "Yong"), ("艳", "Yan"), ("杰", "Jie"),
    ("娟", "Juan"), ("涛", "Tao"), ("明", "Ming"), ("超", "Chao"), ("霞", "Xia"), ("平", "Ping"),
    ("刚", "Gang"), ("桂英", "Guiying"), ("晨", "Chen"), ("悦", "Yue"), ("宇", "Yu"),
]  # fmt: skip


def crowd() -> list[Person]:
    """The colleagues around the cast, the same every time."""
    people: list[Person] = []
    n = 0
    for unit, manager, count, title, grades in CROWD:
        for i in range(count):
            surname, surname_en = SURNAMES[(n * 7) % len(SURNAMES)]
            given, given_en = GIVEN[(n * 5 + 3) % len(GIVEN)]
            people.append(
                Person(
                    key=f"{unit}_{i + 1}",
                    name=surname + given,
                    english_name=f"{given_en} {surname_en}",
                    unit=unit,
                    manager=manager,
                    title=title,
                    grade=grades[i % len(grades)],
                    language="en" if n % 3 == 0 else "zh-hans",
                )
            )
            n += 1
    return people


def hire_date(index: int) -> date:
    """Spread hire dates over the last eight years."""
    return date(2018 + index % 8, 1 + (index * 5) % 12, 1 + (index * 11) % 28)


def seed_org() -> tuple[dict, dict]:
    """Create the units and people; returns them by key. Every login gets DEMO_PASSWORD."""
    from org.models import User
    from org.services import employee_create, grade_level_create, unit_create

    for code, description, rank in GRADE_LEVELS:
        grade_level_create(code=code, description=description, rank=rank)
    units = {}
    for key, name, name_en, kind, parent in UNITS:
        units[key] = unit_create(name=name, name_en=name_en, kind=kind, parent=units.get(parent))

    people = {}
    for index, person in enumerate([*CAST, *crowd()], start=1):
        number = f"XH{index:04d}"
        username = person.username or number.lower()
        people[person.key] = employee_create(
            employee_number=number,
            username=username,
            full_name=person.name,
            english_name=person.english_name,
            email=f"{username}@{EMAIL_DOMAIN}",
            unit=units[person.unit],
            manager=people[person.manager] if person.manager else None,
            job_title=person.title,
            job_title_en=TITLES_EN.get(person.title, ""),
            grade_level=person.grade,
            hire_date=hire_date(index),
            preferred_language=person.language,
            is_hr=person.is_hr,
            is_executive=person.is_executive,
        )

    admin = User(
        username="admin",
        email=f"admin@{EMAIL_DOMAIN}",
        full_name="系统管理员",
        english_name="Administrator",
        is_staff=True,
        is_superuser=True,
    )
    admin.full_clean(exclude=["password"])
    admin.save()
    # One hash for everyone: hashing sixty passwords one by one takes tens of seconds.
    User.objects.update(password=make_password(DEMO_PASSWORD))
    return units, people
