"""Factories for test data: users with verified e-mail, and course trees."""

from __future__ import annotations

import importlib

import factory
from allauth.account.models import EmailAddress

from content.models import HomePage
from courses.models import CompetenceArea, CourseCatalogPage, CoursePage, ModulePage
from people.models import ParticipantType, User

TEST_PASSWORD = "et-godt-testpassord-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"deltaker{n}@test.example")
    first_name = factory.Faker("first_name", locale="no_NO")
    last_name = factory.Faker("last_name", locale="no_NO")
    participant_type = ParticipantType.HEALTH_PERSONNEL
    profession = "Sykepleier"

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or TEST_PASSWORD)
        if create:
            self.save(update_fields=["password"])
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


def home_page() -> HomePage:
    """The site's front page, recreated if a transactional test flushed the migration data."""
    home = HomePage.objects.first()
    if home is None:
        home = _rebuild_migration_data()
    return home


def _rebuild_migration_data() -> HomePage:
    """Put back what the data migrations create: page tree root, front page, site, competence areas.

    Tests that run in real transactions (live server, concurrency) end with a
    flush of every table, so the tests after them can start from an empty database.
    """
    from django.apps import apps as django_apps
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Locale, Page, Site

    ContentType.objects.clear_cache()  # ids cached before the flush are gone
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    create_areas = importlib.import_module("courses.migrations.0002_competence_areas").create_areas
    create_areas(django_apps, None)
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(instance=HomePage(title="Helsepedagogikk", slug="home"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    return home


def make_catalogue(*, slug: str = "kurs") -> CourseCatalogPage:
    home = home_page()
    existing = CourseCatalogPage.objects.child_of(home).filter(slug=slug).first()
    return existing or home.add_child(instance=CourseCatalogPage(title="Kurskatalog", slug=slug))


_course_counter = iter(range(1, 10**6))


def make_course(
    catalogue: CourseCatalogPage,
    *,
    modules: int = 3,
    areas: tuple[str, ...] = ("kommunikasjon",),
    title: str | None = None,
    **fields,
) -> CoursePage:
    number = next(_course_counter)
    values = {
        "title": title or f"Testkurs {number}",
        "slug": f"testkurs-{number}",
        "summary": "Et kurs for testing.",
        "learning_outcomes": [{"type": "outcome", "value": "Du kan teste."}],
        "estimated_duration": 60,
        **fields,
    }
    course = catalogue.add_child(instance=CoursePage(**values))
    course.competence_areas.set(CompetenceArea.objects.filter(slug__in=areas))
    course.save()
    for index in range(1, modules + 1):
        make_module(course, title=f"Modul {index}")
    return course


def make_module(course: CoursePage, *, title: str, live: bool = True) -> ModulePage:
    module = ModulePage(
        title=title,
        slug=f"{course.slug}-modul-{course.get_children_count() + 1}",
        summary="Sammendrag.",
        body=[{"type": "rich_text", "value": f"<p>Innhold i {title}.</p>"}],
        live=live,
    )
    return course.add_child(instance=module)


def complete_course(user, course):
    """Enrol and finish every module; returns the enrolment (course completion recorded)."""
    from courses import services
    from courses.selectors import course_modules

    enrolment, _ = services.enrolment_create(user=user, course=course)
    for module in course_modules(course):
        services.module_complete(user=user, module=module)
    enrolment.refresh_from_db()
    return enrolment


def make_certificate_template(course=None, **fields):
    from certificates.models import CertificateTemplate

    values = {
        "name": f"Mal {course.title if course else 'standard'}",
        "signatory_name": "Kari Nordmann",
        "signatory_title": "Fagansvarlig",
        **fields,
    }
    return CertificateTemplate.objects.create(course=course, **values)


# Assessments -----------------------------------------------------------------------------------
# Quiz questions are written as StreamField data with explicit ids, so tests can post answers by id.


def _id() -> str:
    import uuid

    return str(uuid.uuid4())


def _items(values: list) -> list[dict]:
    return [{"type": "item", "id": _id(), "value": value} for value in values]


def q_single(text="Hva er riktig?", *, options=(("Riktig", True), ("Feil", False), ("Også feil", False))):
    return {
        "type": "single_choice",
        "id": _id(),
        "value": {
            "text": text,
            "feedback_correct": "Bra!",
            "feedback_incorrect": "Les modulen igjen.",
            "options": _items([{"text": t, "correct": c, "feedback": f"Om {t}"} for t, c in options]),
        },
    }


def q_multiple(text="Hvilke er riktige?", *, options=(("A", True), ("B", True), ("C", False)), partial=True):
    block = q_single(text, options=options)
    block["type"] = "multiple_response"
    block["value"]["partial_credit"] = partial
    return block


def q_true_false(text="Jorda er rund.", *, correct="true"):
    return {"type": "true_false", "id": _id(), "value": {"text": text, "correct": correct}}


def q_matching(
    text="Koble sammen.",
    *,
    pairs=(("Oslo", "Norge"), ("Stockholm", "Sverige"), ("Helsinki", "Finland")),
    partial=False,
):
    return {
        "type": "matching",
        "id": _id(),
        "value": {
            "text": text,
            "partial_credit": partial,
            "pairs": _items([{"prompt": p, "answer": a} for p, a in pairs]),
        },
    }


def q_ordering(text="Sett i rekkefølge.", *, steps=("Først", "Så", "Til slutt"), partial=False):
    return {
        "type": "ordering",
        "id": _id(),
        "value": {"text": text, "partial_credit": partial, "steps": _items(list(steps))},
    }


def q_likert(text="Jeg føler meg trygg."):
    return {"type": "likert", "id": _id(), "value": {"text": text}}


def make_quiz(course, *, questions=None, **rules):
    from assessments.models import Quiz

    values = {"title": "Kunnskapstest", "pass_percent": 70, "shuffle_options": False, **rules}
    quiz = Quiz(
        course=course, questions=questions or [q_single(), q_true_false(), q_single("Hva til?")], **values
    )
    quiz.save()
    return quiz


def add_block(module, block_type: str, value: dict) -> str:
    """Append a block to a module's body, publish, and return the block's id."""
    block_id = _id()
    body = list(module.body.raw_data)
    body.append({"type": block_type, "id": block_id, "value": value})
    module.body = body
    module.save_revision().publish()
    module.refresh_from_db()
    return block_id


def add_quiz_block(module, quiz) -> str:
    return add_block(module, "quiz", {"quiz": quiz.pk})


def add_reflection_block(module, *, prompt="Hva lærte du?", min_words=None) -> str:
    return add_block(
        module, "reflection", {"prompt": prompt, "guidance": "Tenk på en situasjon.", "min_words": min_words}
    )


def form_post(quiz_attempt, data: dict[str, object]) -> dict[str, object]:
    """A post written with the questions' own ids (q:<question id>[:<item id>] = option id) as the
    attempt page would send it: in the attempt's tokens (assessments/formtokens.py). Unknown ids and
    fields that are not answers pass unchanged, so tampered posts can be written the same way."""
    from assessments.formtokens import FormTokens
    from assessments.grading import FIELD_PREFIX, SHOWN_MARKER

    tokens = FormTokens.for_attempt(quiz_attempt)
    known = {q["id"] for q in quiz_attempt.questions}

    def token(get, *args):
        try:
            return get(*args)
        except KeyError:
            return args[-1]

    translated: dict[str, object] = {}
    for name, value in data.items():
        question_id, _sep, part = name[len(FIELD_PREFIX) :].partition(":")
        if not name.startswith(FIELD_PREFIX) or question_id not in known:
            translated[name] = value
            continue
        new_name = FIELD_PREFIX + tokens.question(question_id)
        if part and part != SHOWN_MARKER:
            new_name += ":" + token(tokens.item, question_id, part)
        elif part:
            new_name += ":" + part
        if part != SHOWN_MARKER:
            if isinstance(value, list | tuple):
                value = [token(tokens.value, question_id, v) for v in value]
            elif value != "":
                value = token(tokens.value, question_id, value)
        translated[new_name] = value
    return translated


def correct_post(quiz_attempt) -> dict[str, object]:
    """A form post answering every graded question of an attempt correctly."""
    data: dict[str, object] = {}
    for q in quiz_attempt.questions:
        key = f"q:{q['id']}"
        if q["type"] == "single_choice":
            data[key] = next(o["id"] for o in q["options"] if o["correct"])
        elif q["type"] == "multiple_response":
            data[key] = [o["id"] for o in q["options"] if o["correct"]]
        elif q["type"] == "true_false":
            data[key] = q["correct"]
        elif q["type"] == "matching":
            for p in q["pairs"]:
                data[f"{key}:{p['id']}"] = p["id"]
        elif q["type"] == "ordering":
            for position, s in enumerate(q["steps"], start=1):
                data[f"{key}:{s['id']}"] = str(position)
        elif q["type"] == "likert":
            data[key] = "4"
    return form_post(quiz_attempt, data)


def wrong_post(quiz_attempt) -> dict[str, object]:
    """A form post answering every single-choice and true/false question wrongly."""
    data: dict[str, object] = {}
    for q in quiz_attempt.questions:
        key = f"q:{q['id']}"
        if q["type"] == "single_choice":
            data[key] = next(o["id"] for o in q["options"] if not o["correct"])
        elif q["type"] == "true_false":
            data[key] = "false" if q["correct"] == "true" else "true"
    return form_post(quiz_attempt, data)


# Organisations ---------------------------------------------------------------------------------


def make_unit(name: str, *, parent=None, unit_type: str = "annet", code: str | None = None):
    from people.models import OrganisationUnit

    return OrganisationUnit.objects.create(name=name, parent=parent, unit_type=unit_type, code=code)


def add_member(user, unit, *, role: str = "member", joined_at=None):
    from django.utils import timezone

    from people.models import Membership

    return Membership.objects.create(
        user=user, unit=unit, role=role, joined_at=joined_at or timezone.localdate()
    )


def holder_of(course):
    """A course holder: may edit this course's pages (and therefore reads what is shared with them)."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    group = Group.objects.create(name=f"Kursholdere {course.pk}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group, page=course, permission=Permission.objects.get(codename="change_page")
    )
    holder = UserFactory()
    holder.groups.add(group)
    return holder
