"""Build the demo catalogue and demo users. Safe to run any number of times.

Courses are read from demo/data/courses/*.json (one file per course,
written for this project). A course or module that already exists (matched on
its slug) is updated in place and republished, so learners' progress survives
a re-run; users are matched on e-mail.
"""

import importlib
import json
import uuid
from dataclasses import dataclass
from pathlib import Path

from allauth.account.models import EmailAddress
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from assessments.models import Quiz, ReviewPolicy
from certificates.models import CertificateTemplate
from content.models import HomePage
from courses import services
from courses.models import CompetenceArea, CourseCatalogPage, CourseContributor, CoursePage, ModulePage
from courses.selectors import course_modules, module_blocks
from demo import organisation as demo_organisation
from demo import second_factor as demo_second_factor
from demo import statements as demo_statements
from h5p.models import H5PContent
from h5p.services import h5p_content_create
from people.models import ParticipantType, User

DEMO_DATA = Path(__file__).resolve().parents[2] / "data"
ASSESSMENT_DATA = DEMO_DATA / "quizzes"
SELF_ASSESSMENT_COURSE = "kommunikasjon"
# Block ids derive from this namespace, so a re-run gives activity blocks the ids they had:
# learners' attempts, answers and results are keyed to them.
DEMO_IDS = uuid.UUID("5b0e7d52-7c3b-4f0a-9d7e-2f1c8a6b4e10")
DEMO_PASSWORD = "demo-passord-2026"  # noqa: S105 - published demo login, printed by the command
# The course holders' group, collection and review workflow are made by a migration (so a real site
# has them too); its setup() also gives them every catalogue, so the demo runs it after making its own.
course_holders = importlib.import_module("courses.migrations.0012_course_holders")
COURSE_HOLDERS_GROUP = course_holders.GROUP
H5P_DEMO_PACKAGE = Path(__file__).resolve().parents[4] / "shared" / "fixtures" / "h5p" / "true-false.h5p"
H5P_DEMO_TITLE = "Sant eller usant (demo)"

HOME_BODY = (
    "<p>Alle som leder lærings- og mestringstilbud trenger kompetanse i helsepedagogikk. "
    "Her finner du korte, modulbaserte kurs for helsepersonell og brukerrepresentanter, "
    "utviklet i samarbeid mellom fagpersoner og folk med egen erfaring.</p>"
    "<p>Kursene er et supplement til å møtes ansikt til ansikt, ikke en erstatning.</p>"
)


@dataclass(frozen=True)
class DemoUser:
    email: str
    first_name: str
    last_name: str
    participant_type: str
    profession: str
    description: str
    is_superuser: bool = False
    course_holder: bool = False


DEMO_USERS = [
    DemoUser(
        "helsepersonell@demo.example",
        "Ingrid",
        "Solberg",
        ParticipantType.HEALTH_PERSONNEL,
        "Sykepleier",
        "deltaker, helsepersonell",
    ),
    DemoUser(
        "brukerrepresentant@demo.example",
        "Tor",
        "Haugen",
        ParticipantType.USER_REPRESENTATIVE,
        "",
        "deltaker, brukerrepresentant",
    ),
    DemoUser(
        "kursholder@demo.example",
        "Marte",
        "Lie",
        ParticipantType.HEALTH_PERSONNEL,
        "Rådgiver, lærings- og mestringssenter",
        "kursholder (redigerer kurs i /admin/)",
        course_holder=True,
    ),
    DemoUser(
        "fagfelle@demo.example",
        "Jonas",
        "Dahl",
        ParticipantType.HEALTH_PERSONNEL,
        "Spesialsykepleier, lærings- og mestringssenter",
        "kursholder og fagfelle: godkjenner kurs sendt til «Fagfellevurdering»",
        course_holder=True,
    ),
    DemoUser(
        "leder@demo.example",
        "Henrik",
        "Berg",
        ParticipantType.HEALTH_PERSONNEL,
        "Klinikkleder",
        "leder for Medisinsk klinikk (/leder/)",
    ),
    DemoUser(
        "admin@demo.example",
        "Admin",
        "Demo",
        ParticipantType.OTHER,
        "",
        "administrator (alt i /admin/)",
        is_superuser=True,
    ),
]


class Command(BaseCommand):
    help = "Lager demokurs og demobrukere (kan kjøres flere ganger)."

    def handle(self, *args, **options):
        # The demo's certificates would e-mail made-up people; in the console those messages would
        # bury the login list below. Rendering PDFs (on commit) still happens as usual.
        no_mail = override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
        with no_mail, transaction.atomic():
            catalogue, courses, organisation = self._build()
        self.stdout.write(self.style.SUCCESS(f"Demo klar: {len(courses)} kurs i «{catalogue.title}»."))
        self.stdout.write(f"Demobrukere (passord for alle: {DEMO_PASSWORD}):")
        for demo in DEMO_USERS:
            self.stdout.write(f"  {demo.email:36} {demo.description}")
        self.stdout.write(
            f"Organisasjon: {organisation['units']} enheter og {organisation['staff']} ansatte "
            "(ansatt01@demo.example …); leder@demo.example leder Medisinsk klinikk."
        )
        self.stdout.write(
            "Tofaktor (kursholdere, leder og admin): engangskoden fra `python manage.py demo_code`, "
            f"eller legg hemmeligheten {demo_second_factor.DEMO_TOTP_SECRET} inn i en autentiseringsapp."
        )

    def _build(self):
        home = HomePage.objects.first()
        if home is None:
            raise SystemExit("Fant ingen forside. Kjør `python manage.py migrate` først.")
        home.body = HOME_BODY
        home.save_revision().publish()
        demo_statements.build(home)

        catalogue = self._catalogue(home)
        courses = [self._course(catalogue, path) for path in sorted((DEMO_DATA / "courses").glob("*.json"))]
        holders = self._course_holders_group()
        self._certificate_templates(courses)
        users = {demo.email: self._user(demo, holders) for demo in DEMO_USERS}
        self._progress(users["helsepersonell@demo.example"], courses)
        self._h5p_activity(users["admin@demo.example"])
        self._assessments(courses)
        organisation = demo_organisation.build(courses, DEMO_PASSWORD)
        # Read again: roles (the manager's unit) were given after the users were made.
        demo_second_factor.give_second_factor(User.objects.filter(email__in=[d.email for d in DEMO_USERS]))
        return catalogue, courses, organisation

    def _catalogue(self, home: HomePage) -> CourseCatalogPage:
        catalogue = CourseCatalogPage.objects.child_of(home).filter(slug="kurs").first()
        if catalogue is None:
            catalogue = home.add_child(instance=CourseCatalogPage(title="Kurskatalog", slug="kurs"))
        catalogue.title = "Kurskatalog"
        catalogue.intro = (
            "Kurs i helsepedagogikk innen seks kompetanseområder. "
            "Filtrer på område, målgruppe, språk og format, eller søk."
        )
        catalogue.save_revision().publish()
        return catalogue

    def _course(self, catalogue: CourseCatalogPage, path: Path) -> CoursePage:
        data = json.loads(path.read_text(encoding="utf-8"))
        course = CoursePage.objects.child_of(catalogue).filter(slug=data["slug"]).first()
        if course is None:
            course = catalogue.add_child(
                instance=CoursePage(title=data["title"], slug=data["slug"], **self._course_fields(data))
            )
        for name, value in self._course_fields(data).items():
            setattr(course, name, value)
        course.title = data["title"]
        course.competence_areas.set(CompetenceArea.objects.filter(slug__in=data["competence_areas"]))
        course.contributors = [
            CourseContributor(name=c["name"], role=c["role"], organisation=c.get("organisation", ""))
            for c in data["credits"]
        ]
        course.save_revision().publish()

        for module_data in data["modules"]:
            fields = {
                "summary": module_data["summary"],
                "estimated_duration": module_data["duration_minutes"],
                "body": module_data["body"],
            }
            module = ModulePage.objects.child_of(course).filter(slug=module_data["slug"]).first()
            if module is None:
                module = course.add_child(
                    instance=ModulePage(title=module_data["title"], slug=module_data["slug"], **fields)
                )
            module.title = module_data["title"]
            for name, value in fields.items():
                setattr(module, name, value)
            module.save_revision().publish()
        return course

    @staticmethod
    def _course_fields(data: dict) -> dict:
        return {
            "summary": data["summary"],
            "learning_outcomes": [{"type": "outcome", "value": text} for text in data["learning_outcomes"]],
            "audience": data["audience"],
            "course_language": data["language"],
            "format": data["format"],
            "level": data["level"],
            "estimated_duration": data["duration_minutes"],
        }

    def _h5p_activity(self, admin: User) -> None:
        """Add the true/false H5P package from ../shared, when the checkout has it, to «Hva er mestring?»."""
        if not H5P_DEMO_PACKAGE.exists():
            self.stdout.write(
                "H5P-demo hoppet over: fant ikke ../shared/fixtures/h5p/true-false.h5p (se README)."
            )
            return
        content = H5PContent.objects.filter(title=H5P_DEMO_TITLE).first()
        if content is None:
            content = h5p_content_create(
                data=H5P_DEMO_PACKAGE.read_bytes(),
                user=admin,
                title=H5P_DEMO_TITLE,
                licence="MIT",
                source="h5p-standalone (testdata)",
            )
        module = ModulePage.objects.filter(slug="hva-er-mestring").first()
        if module is not None:
            self._add_activity(
                module, "h5p", {"content": content.pk, "completion_rule": "completed", "pass_percent": 80}
            )

    @staticmethod
    def _add_activity(module: ModulePage, block_type: str, value: dict) -> None:
        """Append an activity block with a stable id (replacing any earlier one of that id) and publish."""
        block_id = str(uuid.uuid5(DEMO_IDS, f"{module.slug}:{block_type}"))
        body = [block for block in module_blocks(module) if block["id"] != block_id]
        body.append({"type": block_type, "id": block_id, "value": value})
        module.body = body
        module.save_revision().publish()

    def _assessments(self, courses: list[CoursePage]) -> None:
        """Each course gets a quiz (in its last module), a reflection task (in its first) and the
        evaluation; one course also asks for self-assessment before and after."""
        by_slug = {course.slug: course for course in courses}
        for path in sorted(ASSESSMENT_DATA.glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            course = by_slug[data["course_slug"]]
            quiz_data, reflection = data["quiz"], data["reflection"]
            quiz = Quiz.objects.filter(course=course, title=quiz_data["title"]).first()
            rules = {k: quiz_data[k] for k in ("pass_percent", "max_attempts", "review_policy")}
            if quiz is None:  # created once; a course holder's later edits are kept
                quiz = Quiz(
                    course=course,
                    title=quiz_data["title"],
                    intro=quiz_data["intro"],
                    questions=self._questions(course.slug, quiz_data["questions"]),
                    **rules,
                )
                quiz.full_clean()
                quiz.save()
            elif quiz.max_attempts is None and quiz.review_policy == ReviewPolicy.AFTER_EACH:
                # Made by an earlier demo with rules that certify nothing: give it the demo's rules.
                quiz.max_attempts, quiz.review_policy = rules["max_attempts"], rules["review_policy"]
                quiz.save(update_fields=["max_attempts", "review_policy", "updated_at"])
            module = ModulePage.objects.child_of(course).get(slug=quiz_data["module_slug"])
            self._add_activity(module, "quiz", {"quiz": quiz.pk})
            module = ModulePage.objects.child_of(course).get(slug=reflection["module_slug"])
            self._add_activity(
                module,
                "reflection",
                {k: reflection[k] for k in ("prompt", "guidance", "min_words")},
            )
            course.evaluation_enabled = True
            course.self_assessment_enabled = course.slug == SELF_ASSESSMENT_COURSE
            course.save_revision().publish()

    @staticmethod
    def _questions(course_slug: str, questions: list[dict]) -> list[dict]:
        """The demo JSON as quiz StreamField data, with stable ids for questions, options, pairs and steps."""

        def ids(*parts) -> str:
            return str(uuid.uuid5(DEMO_IDS, ":".join([course_slug, *map(str, parts)])))

        def items(n: int, values: list) -> list[dict]:
            return [{"type": "item", "id": ids(n, i), "value": v} for i, v in enumerate(values)]

        stream = []
        for n, q in enumerate(questions):
            value = {"text": q["text"]}
            for key in ("feedback_correct", "feedback_incorrect"):
                if key in q:
                    value[key] = q[key]
            if q["type"] in ("single_choice", "multiple_response"):
                value["options"] = items(n, q["options"])
                if q["type"] == "multiple_response":
                    value["partial_credit"] = q.get("partial_credit", False)
            elif q["type"] == "true_false":
                value["correct"] = "true" if q["correct"] else "false"
            elif q["type"] == "matching":
                value["pairs"] = items(n, q["pairs"])
            elif q["type"] == "ordering":
                value["steps"] = items(n, q["steps"])
            stream.append({"type": q["type"], "id": ids(n), "value": value})
        return stream

    @staticmethod
    def _certificate_templates(courses: list[CoursePage]) -> None:
        """A site-wide default, and a template per course; the first course's certificate lasts 24 months."""
        signatory = {
            "signatory_name": "Kari Nordmann",
            "signatory_title": "Fagansvarlig, lærings- og mestringssenteret",
        }
        CertificateTemplate.objects.update_or_create(
            course=None, defaults={"name": "Standard kursbevis", **signatory}
        )
        for index, course in enumerate(courses):
            CertificateTemplate.objects.update_or_create(
                course=course,
                defaults={
                    "name": f"Kursbevis – {course.title}",
                    "validity_months": 24 if index == 0 else None,
                    **signatory,
                },
            )

    @staticmethod
    def _course_holders_group() -> Group:
        """Course holders write and publish courses in the catalogue, quizzes, H5P content, images and
        documents (collection «Kursmateriell»); «Fagfellevurdering» lets another course holder review."""
        course_holders.setup(django_apps)
        return Group.objects.get(name=COURSE_HOLDERS_GROUP)

    def _user(self, demo: DemoUser, holders: Group) -> User:
        user = User.objects.filter(email=demo.email).first() or User(email=demo.email)
        user.first_name, user.last_name = demo.first_name, demo.last_name
        user.participant_type, user.profession = demo.participant_type, demo.profession
        user.is_superuser = user.is_staff = demo.is_superuser
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=demo.email, defaults={"verified": True, "primary": True}
        )
        if demo.course_holder:
            user.groups.add(holders)
        return user

    @staticmethod
    def _progress(learner: User, courses: list[CoursePage]) -> None:
        """The health-personnel learner finished one course (and has its kursbevis) and started another."""
        finished, started = courses[0], courses[1]
        for course in (finished, started):
            services.enrolment_create(user=learner, course=course)
        for module in course_modules(finished):
            services.module_complete(user=learner, module=module)
        services.module_complete(user=learner, module=course_modules(started)[0])
