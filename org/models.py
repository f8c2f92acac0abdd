"""People and structure: users, the unit tree and employee profiles."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import BaseModel
from org.rules import canonical_grade_level, grade_level_error


def _prefers_english() -> bool:
    return (get_language() or settings.LANGUAGE_CODE).startswith("en")


class Role(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    MANAGER = "manager", _("Manager")
    HR = "hr", _("HR")
    EXECUTIVE = "executive", _("Executive")
    ADMIN = "admin", _("Admin")


class StrideUserManager(UserManager):
    def get_by_natural_key(self, username):
        """Log in with the user name or the e-mail address, case-insensitively."""
        matches = list(self.filter(Q(username__iexact=username) | Q(email__iexact=username))[:2])
        if not matches:
            raise self.model.DoesNotExist
        # A user name wins over someone else's e-mail address that happens to look the same.
        return next((u for u in matches if u.username.lower() == username.lower()), matches[0])


class User(AbstractUser):
    """A person who can log in. Their place in the organisation is their `employee`."""

    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("name"), max_length=150)
    english_name = models.CharField(
        _("English name"), max_length=150, blank=True, help_text=_("Shown when the interface is in English.")
    )
    is_hr = models.BooleanField(
        _("HR"), default=False, help_text=_("Runs cycles, imports the org chart, sees all people.")
    )
    is_executive = models.BooleanField(
        _("executive"), default=False, help_text=_("Sets strategy and reads the strategy dashboard.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])
    objects = StrideUserManager()

    REQUIRED_FIELDS = ["email", "full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.english_name and _prefers_english():
            return self.english_name
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name


class OrgUnit(BaseModel):
    """A node of the organisation tree: group → company → division → department → team."""

    class Kind(models.TextChoices):
        GROUP = "group", _("Group")
        COMPANY = "company", _("Company")
        DIVISION = "division", _("Division")
        DEPARTMENT = "department", _("Department")
        TEAM = "team", _("Team")

    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], condition=Q(parent__isnull=False), name="org_orgunit_unique_name_in_parent"
            ),
            models.UniqueConstraint(
                fields=["name"], condition=Q(parent__isnull=True), name="org_orgunit_unique_root_name"
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="org_orgunit_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_en and _prefers_english():
            return self.name_en
        return self.name


class EmployeeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Employee(BaseModel):
    """A person's place in the organisation: unit, direct manager, title and grade."""

    user = models.OneToOneField(User, verbose_name=_("user"), on_delete=models.PROTECT, related_name="employee")
    employee_number = models.CharField(_("employee number"), max_length=32, unique=True)
    unit = models.ForeignKey(OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="employees")
    manager = models.ForeignKey(
        "self",
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    job_title_en = models.CharField(
        _("English job title"), max_length=100, blank=True, help_text=_("Shown when the interface is in English.")
    )
    grade_level = models.CharField(_("grade level"), max_length=20, blank=True)
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )

    history = HistoricalRecords()
    objects = EmployeeQuerySet.as_manager()

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["employee_number"]
        constraints = [
            models.CheckConstraint(condition=~Q(manager=models.F("pk")), name="org_employee_not_own_manager"),
        ]

    def __str__(self) -> str:
        return f"{self.user.display_name} ({self.employee_number})"

    @property
    def name(self) -> str:
        return self.user.display_name

    @property
    def job_title_display(self) -> str:
        """The job title in the reader's language (the English one, when there is one, in English)."""
        if self.job_title_en and _prefers_english():
            return self.job_title_en
        return self.job_title

    def clean(self) -> None:
        super().clean()
        if self.grade_level:
            allowed = GradeLevel.objects.allowed()
            grade = canonical_grade_level(self.grade_level, allowed)
            if grade is None:
                raise ValidationError({"grade_level": grade_level_error(self.grade_level, allowed)})
            self.grade_level = grade


class CalendarDay(BaseModel):
    """An exception to the plain Monday–Friday week, kept by HR: a public holiday, a company
    day off (a weekday the company closes that is no public holiday), or a make-up working
    day (调休) moved onto a weekend. Named in Chinese and English, like people and units."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Public holiday (no work)")
        COMPANY = "company", _("Company day off (no work)")
        WORKDAY = "workday", _("Make-up working day (调休)")

    DAYS_OFF = (Kind.HOLIDAY, Kind.COMPANY)

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True, help_text=_("E.g. 国庆节."))
    name_en = models.CharField(_("English name"), max_length=100, blank=True, help_text=_("E.g. National Day."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("working-day calendar")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.display_name}".strip()

    @property
    def display_name(self) -> str:
        if self.name_en and _prefers_english():
            return self.name_en
        return self.name

    @property
    def is_day_off(self) -> bool:
        return self.kind in self.DAYS_OFF


class GradeLevelQuerySet(models.QuerySet):
    def allowed(self) -> dict[str, str]:
        """Each grade level's code by its case-folded spelling ("p4" → "P4"); empty when HR keeps no list."""
        return {code.casefold(): code for code in self.values_list("code", flat=True)}


class GradeLevel(BaseModel):
    """A grade level (职级) people can hold, kept by HR. Once the list has any entry, a person's
    grade level must be one of them — in the org chart import, the admin and every service."""

    code = models.CharField(_("grade level"), max_length=20, help_text=_("As written in the org chart, e.g. P4 or M2."))
    description = models.CharField(
        _("description"), max_length=100, blank=True, help_text=_("E.g. 高级工程师 / Senior engineer.")
    )
    rank = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Grade levels are listed by this number, lowest first.")
    )

    history = HistoricalRecords()
    objects = GradeLevelQuerySet.as_manager()

    class Meta:
        verbose_name = _("grade level")
        verbose_name_plural = _("grade levels")
        ordering = ["rank", "code"]
        constraints = [
            models.UniqueConstraint(
                Lower("code"),
                name="org_gradelevel_unique_code",
                violation_error_message=_("This grade level is already in the list."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.description}".strip()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, *, now):
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(BaseModel):
    """A person's own API token: several per person, each named, hashed, expiring and revocable.

    Only a prefix (to find the row) and a SHA-256 of the whole token are stored; the token itself
    is shown once, when it is created.
    """

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    token_prefix = models.CharField(_("token prefix"), max_length=12, unique=True)
    token_hash = models.CharField(_("token hash"), max_length=128)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["last_used_at"])
    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.token_prefix}…)"

    @property
    def is_expired(self) -> bool:
        from django.utils import timezone

        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and not self.is_expired


class ImportJob(BaseModel):
    """A large import running in the background (org.tasks): who started it, how far it got, what it did.

    A machine record, not one people edit, so it keeps no history. Its upload waits under MEDIA_ROOT
    until the job finishes; `result` holds the counts of a finished import, `problems` why it was
    not imported.
    """

    class Kind(models.TextChoices):
        ORG_CHART = "org_chart", _("Org chart import")
        PROGRESS = "progress", _("Progress import")
        ORG_CHART_CHECK = "org_chart_check", _("Org chart check")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        READING = "reading", _("Reading the file")
        WRITING = "writing", _("Checking and writing")
        CHECKING = "checking", _("Checking every row")
        CHECKED = "checked", _("Checked: confirm to import")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Not imported")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ORG_CHART)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    created_by = models.ForeignKey(
        User, verbose_name=_("started by"), on_delete=models.CASCADE, related_name="import_jobs"
    )
    filename = models.CharField(_("file name"), max_length=255)
    language = models.CharField(_("language"), max_length=10, blank=True)  # the uploader's, for the messages
    fingerprint = models.CharField(_("preview fingerprint"), max_length=64, blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows read"), default=0)
    result = models.JSONField(_("result"), default=dict, blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    problems_more = models.PositiveIntegerField(_("problems not listed"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(processed_rows__lte=models.F("total_rows")), name="org_importjob_processed_within_total"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.CHECKED)
