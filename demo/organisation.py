"""The demo's organisations: a health trust with two clinics and a municipality with two units,
about 40 staff with varied progress, and required courses, some of them overdue.

Safe to run again: units are matched on code, staff on e-mail, assignments on
course and unit, and progress goes through the idempotent course services.
"""

from __future__ import annotations

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from assessments.services import evaluation_submit
from courses import services
from courses.models import CoursePage
from courses.selectors import course_modules
from people.models import Membership, OrganisationUnit, ParticipantType, Role, UnitType, User
from requirements.models import Assignment
from requirements.services import assignment_create

UNITS = [
    # code, name, type, parent code
    ("DEMO-HF", "Helse Fjordvik HF", UnitType.HEALTH_TRUST, None),
    ("DEMO-MED", "Medisinsk klinikk", UnitType.CLINIC, "DEMO-HF"),
    ("DEMO-PSY", "Klinikk psykisk helse", UnitType.CLINIC, "DEMO-HF"),
    ("DEMO-KOM", "Fjordvik kommune", UnitType.MUNICIPALITY, None),
    ("DEMO-HJS", "Hjemmetjenesten", UnitType.SERVICE_UNIT, "DEMO-KOM"),
    ("DEMO-FLS", "Frisklivssentralen", UnitType.SERVICE_UNIT, "DEMO-KOM"),
]
STAFF_UNITS = ["DEMO-MED", "DEMO-PSY", "DEMO-HJS", "DEMO-FLS"]
FIRST_NAMES = ["Anne", "Bjørn", "Camilla", "Dag", "Eli", "Fredrik", "Guro", "Håkon", "Ida", "Jon"]
LAST_NAMES = ["Aasen", "Bakke", "Dahl", "Eide", "Foss", "Haugland", "Lunde", "Moen", "Nilsen", "Strand"]
STAFF_COUNT = 40
MANAGER_EMAIL = "leder@demo.example"
EVALUATION_ANSWERS = [
    {"relevance": 5, "usefulness": 4, "user_perspective": 5, "overall": 5, "most_useful": "Øvelsene i par."},
    {
        "relevance": 4,
        "usefulness": 4,
        "user_perspective": 4,
        "overall": 4,
        "improve": "Flere eksempler fra kommunen.",
    },
    {
        "relevance": 5,
        "usefulness": 5,
        "user_perspective": 4,
        "overall": 5,
        "most_useful": "Erfaringsstemmene.",
    },
    {"relevance": 3, "usefulness": 3, "user_perspective": 4, "overall": 3, "improve": "Kortere moduler."},
    {"relevance": 4, "usefulness": 5, "user_perspective": 5, "overall": 4, "most_useful": "Teach-back."},
]


def build(courses: list[CoursePage], password: str) -> dict:
    today = timezone.localdate()
    units = _units()
    staff = _staff(units, password, today)
    by_slug = {course.slug: course for course in courses}
    trust, medical, municipality = units["DEMO-HF"], units["DEMO-MED"], units["DEMO-KOM"]
    # Everyone in the trust: communication, due in three weeks, renewed every two years.
    _assign(by_slug["kommunikasjon"], trust, due_date=today + timedelta(days=21), renewal_months=24)
    # The medical clinic: user participation, due two weeks ago (so some are overdue).
    _assign(by_slug["brukermedvirkning"], medical, due_date=today - timedelta(days=14))
    # The municipality: coping, 60 days after starting in the unit.
    _assign(by_slug["mestring"], municipality, due_days=60)

    manager = User.objects.get(email=MANAGER_EMAIL)
    Membership.objects.get_or_create(
        user=manager, unit=medical, role=Role.MANAGER, defaults={"joined_at": today}
    )
    _progress(staff, by_slug)
    return {"units": len(units), "staff": len(staff)}


def _units() -> dict[str, OrganisationUnit]:
    units: dict[str, OrganisationUnit] = {}
    for code, name, unit_type, parent in UNITS:
        unit = OrganisationUnit.objects.filter(code=code).first() or OrganisationUnit(code=code)
        unit.name, unit.unit_type, unit.parent = name, unit_type, units.get(parent)
        unit.save()
        units[code] = unit
    return units


def _staff(units, password: str, today) -> list[User]:
    staff = []
    password_hash = make_password(password)  # hashed once: forty slow hashes would dominate the demo's run
    for number in range(STAFF_COUNT):
        email = f"ansatt{number + 1:02d}@demo.example"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(
                email=email,
                first_name=FIRST_NAMES[number % len(FIRST_NAMES)],
                last_name=LAST_NAMES[(number // len(FIRST_NAMES) + number) % len(LAST_NAMES)],
                participant_type=(
                    ParticipantType.USER_REPRESENTATIVE
                    if number % 8 == 7
                    else ParticipantType.HEALTH_PERSONNEL
                ),
                profession=""
                if number % 8 == 7
                else ["Sykepleier", "Lege", "Fysioterapeut", "Helsefagarbeider"][number % 4],
            )
            user.password = password_hash
            user.save()
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        unit = units[STAFF_UNITS[number % len(STAFF_UNITS)]]
        # Start dates spread over the last 120 days, so relative due dates vary.
        Membership.objects.get_or_create(
            user=user, unit=unit, role=Role.MEMBER, defaults={"joined_at": today - timedelta(days=3 * number)}
        )
        staff.append(user)
    return staff


def _assign(course: CoursePage, unit: OrganisationUnit, **rules) -> None:
    if not Assignment.objects.filter(course=course, unit=unit).exists():
        assignment_create(by=None, course=course, unit=unit, **rules)


def _progress(staff: list[User], by_slug: dict[str, CoursePage]) -> None:
    """A mix: a quarter untouched, a quarter started, half finished (each of those evaluates the course)."""
    for number, person in enumerate(staff):
        for course in person.required_learning.select_related("course").values_list("course", flat=True):
            course = CoursePage.objects.get(pk=course)
            stage = (number // len(STAFF_UNITS) + course.pk) % 4  # varies within each unit
            if stage == 0:
                continue
            enrolment, _created = services.enrolment_create(user=person, course=course)
            modules = course_modules(course)
            for module in modules if stage >= 2 else modules[:1]:
                services.module_complete(user=person, module=module)
            if stage >= 2 and not enrolment.evaluation_submissions.exists():
                answers = {
                    "most_useful": "",
                    "improve": "",
                    **EVALUATION_ANSWERS[number % len(EVALUATION_ANSWERS)],
                }
                evaluation_submit(user=person, course=course, answers=answers)
