"""One small platform with a person in every role, and an object of every kind the URLs take.

Two courses (A with a quiz, a reflection and an H5P activity; B finished by the learner with a
kursbevis), two units (the learner's, with its manager and reporter; another with its own
manager and learner), and one of each private object: the learner's quiz attempt, shared
reflection, certificate, data export and deletion request, an administrator's re-check job.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.internal.flows.login import (  # allauth keeps the records per user
    _AUTHENTICATION_METHODS_USER_SESSION_KEY as AUTHENTICATION_METHODS_USER_SESSION_KEY,
)
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

ANONYMOUS = "anonym"
LEARNER = "deltaker"
OTHER_LEARNER = "annen deltaker"
HOLDER = "kursholder"
OTHER_HOLDER = "annet kurs' kursholder"
MANAGER = "leder (egen enhet)"
OTHER_MANAGER = "leder (annen enhet)"
REPORTER = "rapportør"
ADMIN = "administrator"
ROLES = (ANONYMOUS, LEARNER, OTHER_LEARNER, HOLDER, OTHER_HOLDER, MANAGER, OTHER_MANAGER, REPORTER, ADMIN)


@dataclass
class World:
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.objects[name]
        except KeyError:
            raise AttributeError(name) from None

    def client_for(self, role: str) -> Client:
        """A client signed in as the role, privileged roles with a second factor used in the session."""
        client = Client()
        user = self.users.get(role)
        if user is not None:
            client.force_login(user)
            if Authenticator.objects.filter(user=user).exists():
                session = client.session
                session[AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
                session[AUTHENTICATION_METHODS_SESSION_KEY] = [
                    {"method": "password", "at": time.time(), "email": user.email},
                    {"method": "mfa", "at": time.time(), "type": "totp"},
                ]
                session.save()
        return client


def build_world() -> World:
    from assessments import services as assessments
    from assessments.models import TimeAccommodation
    from audit.models import AuditEntry
    from certificates.models import Certificate, CertificateTemplate
    from courses import services as courses
    from courses.models import CompetenceArea
    from courses.selectors import course_modules
    from h5p.models import H5PLibrary
    from h5p.services import h5p_content_create
    from people.models import DeletionRequest
    from people.services import data_export_build, data_export_request
    from requirements.models import SyncJob
    from requirements.services import assignment_create
    from sso.models import ClaimMapping
    from tests.factories import (
        UserFactory,
        add_member,
        add_quiz_block,
        add_reflection_block,
        complete_course,
        holder_of,
        make_catalogue,
        make_certificate_template,
        make_course,
        make_module,
        make_quiz,
        make_unit,
    )
    from tests.h5p.packages import build, valid_files
    from tests.h5p.players import module_with_h5p

    world = World()
    catalogue = make_catalogue()
    course_a = make_course(
        catalogue, title="Kurs A", modules=1, evaluation_required=True, self_assessment_enabled=True
    )
    course_b = make_course(catalogue, title="Kurs B", modules=1)
    module_a = course_modules(course_a)[0]
    plain_module = make_module(course_a, title="Uten aktiviteter")
    quiz = make_quiz(course_a)
    quiz_block = add_quiz_block(module_a, quiz)
    reflection_block = add_reflection_block(module_a)
    make_certificate_template(course_b)

    learner = UserFactory(email="deltaker@test.example")
    other_learner = UserFactory(email="annen@test.example")
    admin = UserFactory(email="admin@test.example", is_staff=True, is_superuser=True)
    holder = holder_of(course_a)
    holder.groups.add(Group.objects.get(name="Kursholdere"))
    other_holder = holder_of(course_b)
    other_holder.groups.add(Group.objects.get(name="Kursholdere"))
    ward = make_unit("Hjerteavdelingen")
    other_ward = make_unit("Annen kommune")
    manager, other_manager, reporter = UserFactory(), UserFactory(), UserFactory()
    add_member(learner, ward)
    add_member(other_learner, other_ward)
    add_member(manager, ward, role="manager")
    add_member(other_manager, other_ward, role="manager")
    add_member(reporter, ward, role="reporter")
    world.users = {
        LEARNER: learner,
        OTHER_LEARNER: other_learner,
        HOLDER: holder,
        OTHER_HOLDER: other_holder,
        MANAGER: manager,
        OTHER_MANAGER: other_manager,
        REPORTER: reporter,
        ADMIN: admin,
    }
    for role in (HOLDER, OTHER_HOLDER, MANAGER, OTHER_MANAGER, REPORTER, ADMIN):
        TOTP.activate(world.users[role], generate_totp_secret())

    # H5P activity in a second module of course A.
    content = h5p_content_create(title="Aktivitet", data=build(valid_files()), user=admin)
    h5p_module, h5p_block = module_with_h5p(course_a, content)

    # The learner's own things.
    enrolment, _ = courses.enrolment_create(user=learner, course=course_a)
    attempt = assessments.attempt_start(
        user=learner, quiz=quiz, enrolment=enrolment, module=module_a, block_id=quiz_block
    )
    reflection = assessments.reflection_save(
        user=learner,
        module=module_a,
        block_id=reflection_block,
        prompt="Hva lærte du?",
        text="Min egen refleksjon om samtalen.",
        is_html=False,
        submit=True,
    )
    assessments.reflection_share(user=learner, reflection=reflection, share=True)
    complete_course(learner, course_b)
    certificate = Certificate.objects.get(user=learner)
    export, _ = data_export_request(user=learner)
    data_export_build(export_id=export.pk)  # the task runs on commit; here it runs now
    deletion = DeletionRequest.objects.create(user=learner, name=learner.full_name, email=learner.email)
    job = SyncJob.objects.create(kind=SyncJob.Kind.IMPORT, started_by=admin, user_ids=[learner.pk], total=1)
    accommodation = TimeAccommodation.objects.create(user=learner)
    assignment = assignment_create(by=None, course=course_a, unit=ward, due_date=timezone.localdate())
    claim_mapping = ClaimMapping.objects.create(
        provider_id="helseid", claim="roles", value="kursholder", group=Group.objects.get(name="Kursholdere")
    )

    world.objects = {
        "catalogue": catalogue,
        "course_a": course_a,
        "course_b": course_b,
        "module_a": module_a,
        "plain_module": plain_module,
        "quiz": quiz,
        "quiz_block": quiz_block,
        "reflection_block": reflection_block,
        "h5p_module": h5p_module,
        "h5p_block": h5p_block,
        "h5p_content": content,
        "attempt": attempt,
        "reflection": reflection,
        "certificate": certificate,
        "export": export,
        "deletion": deletion,
        "job": job,
        "ward": ward,
        "membership": learner.memberships.first(),
        "accommodation": accommodation,
        "assignment": assignment,
        "claim_mapping": claim_mapping,
        "template": CertificateTemplate.objects.get(course=course_b),
        "area": CompetenceArea.objects.first(),
        "h5p_library": H5PLibrary.objects.first(),
        "audit_entry": AuditEntry.objects.first(),
    }
    return world
