"""H5P results are visible (issue #13, point 6): the learner's own best score and last attempt in
the module, course holders' counts per activity and question with CSV export, and managers'
done / not done per activity without scores."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import services as course_services
from h5p.results import statement_record
from h5p.services import h5p_content_create
from h5p.xapi import statement_parse
from tests.factories import UserFactory, add_member, holder_of, make_catalogue, make_course, make_unit
from tests.h5p import compound
from tests.h5p.packages import build, valid_files
from tests.h5p.players import module_with_h5p

pytestmark = pytest.mark.django_db


@pytest.fixture
def course_with_h5p(django_user_model, django_capture_on_commit_callbacks):
    admin = django_user_model.objects.create_superuser(email="admin@test.example", password="x")
    with django_capture_on_commit_callbacks(execute=True):
        content = h5p_content_create(data=build(valid_files()), user=admin, title="Spørsmålssett om mestring")
    course = make_course(make_catalogue(), modules=0, title="Mestring i hverdagen")
    module, block_id = module_with_h5p(course, content, rule="score", pass_percent=80)
    return course, module, block_id


def url_of(module, block_id):
    return f"http://testserver{reverse('h5p:player', args=[module.pk, block_id])}"


def answer(user, module, block_id, statements):
    course = module.get_parent().specific
    enrolment, _created = course_services.enrolment_create(user=user, course=course)
    for data in statements:
        parsed = statement_parse(
            compound.envelope(data), expected_object_iri=url_of(module, block_id), learner_email=user.email
        )
        statement_record(
            user=user,
            module=module,
            block_id=block_id,
            block_value=module.body[0].value,
            parsed=parsed,
            enrolment=enrolment,
        )


def question_set(module, block_id, a: int, b: int, c: int):
    """A Question Set of three one-point questions answered a, b, c (1 right, 0 wrong)."""
    return compound.question_set(
        url_of(module, block_id),
        [("Hva er mestring?", a, 1), ("Hva er brukermedvirkning?", b, 1), ("Hva er helsekompetanse?", c, 1)],
    )


# The learner ---------------------------------------------------------------------------------


def test_the_learner_sees_their_best_score_and_last_attempt_and_nothing_of_others(client, course_with_h5p):
    course, module, block_id = course_with_h5p
    learner, other = UserFactory(), UserFactory()
    answer(learner, module, block_id, question_set(module, block_id, 1, 1, 1))
    second = question_set(module, block_id, 1, 0, 0)
    for data in second:  # a new attempt: the player's new duration makes it a new statement
        data["result"]["duration"] = "PT2M"
    answer(learner, module, block_id, second)
    answer(other, module, block_id, question_set(module, block_id, 0, 0, 1))

    client.force_login(learner)
    html = client.get(module.url).content.decode()
    assert "Beste resultat" in html and "100 %" in html
    assert "Siste forsøk" in html and ": 33 %" in html
    assert "Antall forsøk</dt><dd>2" in html
    # Nothing of the statements reaches the page: no question texts, no other learner's score.
    assert "Hva er brukermedvirkning?" not in html
    assert "correctResponsesPattern" not in html

    client.force_login(other)
    html = client.get(module.url).content.decode()
    assert "Antall forsøk</dt><dd>1" in html and "100 %" not in html


def test_a_learner_who_has_not_answered_sees_no_result(client, course_with_h5p):
    course, module, block_id = course_with_h5p
    learner = UserFactory()
    course_services.enrolment_create(user=learner, course=course)
    client.force_login(learner)
    assert "Beste resultat" not in client.get(module.url).content.decode()


# Course holders ------------------------------------------------------------------------------


def test_holders_see_learners_attempts_distribution_and_share_correct(client, course_with_h5p):
    course, module, block_id = course_with_h5p
    answer(UserFactory(), module, block_id, question_set(module, block_id, 1, 1, 1))  # 100 %
    answer(UserFactory(), module, block_id, question_set(module, block_id, 1, 0, 0))  # 33 %
    answer(UserFactory(), module, block_id, question_set(module, block_id, 1, 1, 0))  # 67 %
    holder = holder_of(course)
    client.force_login(holder)

    report = client.get(reverse("assessments_course_report", args=[course.pk])).content.decode()
    assert reverse("reports_h5p_results", args=[course.pk]) in report

    response = client.get(reverse("reports_h5p_results", args=[course.pk]))
    assert response.status_code == 200
    (activity,) = response.context["activities"]
    assert (activity.title, activity.learners, activity.attempts, activity.scored) == (
        "Spørsmålssett om mestring",
        3,
        3,
        3,
    )
    assert dict(activity.distribution) == {
        "0–19 %": 0,
        "20–39 %": 1,
        "40–59 %": 0,
        "60–79 %": 1,
        "80–100 %": 1,
    }
    shares = {part.title: (part.answers, round(part.share_correct)) for part in activity.parts}
    assert shares == {
        "Hva er mestring?": (3, 100),
        "Hva er brukermedvirkning?": (3, 67),
        "Hva er helsekompetanse?": (3, 33),
    }
    html = response.content.decode()
    assert "Hva er helsekompetanse?" in html
    for person in response.context["activities"]:
        assert not hasattr(person, "user")  # counts only

    rows = list(
        csv.reader(
            io.StringIO(
                b"".join(client.get(reverse("reports_h5p_results_csv", args=[course.pk])).streaming_content)
                .decode()
                .lstrip("\ufeff")
            ),
            delimiter=";",
        )
    )
    assert rows[0][:4] == ["Modul", "Aktivitet", "Deltakere", "Forsøk"]
    assert rows[1][1:4] == ["Spørsmålssett om mestring", "3", "3"]
    assert [row[-3:] for row in rows[2:]] == [
        ["Hva er mestring?", "3", "100.0"],
        ["Hva er brukermedvirkning?", "3", "66.7"],
        ["Hva er helsekompetanse?", "3", "33.3"],
    ]


def test_a_book_lists_its_questions_not_its_chapters(client, course_with_h5p):
    course, module, block_id = course_with_h5p
    statements = compound.interactive_book(url_of(module, block_id), [[("K1 spm", 1, 1)], [("K2 spm", 0, 2)]])
    answer(UserFactory(), module, block_id, statements)
    client.force_login(holder_of(course))
    (activity,) = client.get(reverse("reports_h5p_results", args=[course.pk])).context["activities"]
    assert [(part.title, part.correct) for part in activity.parts] == [("K1 spm", 1), ("K2 spm", 0)]


def test_the_report_runs_the_same_queries_however_many_learners_and_activities(client, course_with_h5p):
    course, module, block_id = course_with_h5p
    client.force_login(holder_of(course))
    url = reverse("reports_h5p_results", args=[course.pk])
    answer(UserFactory(), module, block_id, question_set(module, block_id, 1, 0, 1))
    client.get(url)  # warm what a running server keeps
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    content = module.body[0].value["content"]
    for _ in range(3):
        other_module, other_block = module_with_h5p(course, content)
        for _ in range(4):
            answer(UserFactory(), other_module, other_block, question_set(other_module, other_block, 1, 1, 0))
    for _ in range(5):
        answer(UserFactory(), module, block_id, question_set(module, block_id, 0, 1, 1))
    client.get(url)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(response.context["activities"]) == 4
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


def test_holders_of_another_course_learners_and_managers_get_nothing(client, course_with_h5p):
    course, module, block_id = course_with_h5p
    answer(UserFactory(), module, block_id, question_set(module, block_id, 1, 1, 1))
    other_course = make_course(make_catalogue(), modules=0, title="Et annet kurs")
    learner = UserFactory()
    course_services.enrolment_create(user=learner, course=course)
    manager = UserFactory()
    add_member(manager, make_unit("Avdeling"), role="manager")
    for person in (holder_of(other_course), learner, manager):
        client.force_login(person)
        for name in ("reports_h5p_results", "reports_h5p_results_csv"):
            response = client.get(reverse(name, args=[course.pk]))
            assert response.status_code in (302, 403, 404)
            assert b"Hva er mestring" not in b"".join(
                getattr(response, "streaming_content", [response.content])
            )
    client.force_login(holder_of(course))
    assert client.get(reverse("reports_h5p_results", args=[course.pk + 999])).status_code == 404


# Managers ------------------------------------------------------------------------------------


def test_managers_see_h5p_activities_done_or_not_without_scores(client, course_with_h5p):
    course, module, block_id = course_with_h5p
    ward, other_ward = make_unit("Medisinsk avdeling"), make_unit("Annen kommune")
    done_person, started_person = UserFactory(), UserFactory()
    for person in (done_person, started_person):
        add_member(person, ward)
    answer(done_person, module, block_id, question_set(module, block_id, 1, 1, 1))  # 100 %: done
    answer(started_person, module, block_id, question_set(module, block_id, 1, 0, 0))  # 33 %: not done
    manager, other_manager = UserFactory(), UserFactory()
    add_member(manager, ward, role="manager")
    add_member(other_manager, other_ward, role="manager")

    client.force_login(manager)
    done_html = client.get(reverse("reports:person", args=[done_person.pk])).content.decode()
    assert (
        "Spørsmålssett om mestring" in done_html
        and "Spørsmålssett om mestring (Interaktiv aktivitet (H5P)): gjort" in done_html
    )
    started_html = client.get(reverse("reports:person", args=[started_person.pk])).content.decode()
    assert "Spørsmålssett om mestring (Interaktiv aktivitet (H5P)): ikke gjort" in started_html
    for html in (done_html, started_html):
        assert "33 %" not in html and "100 %" not in html and "Beste resultat" not in html
        assert "Hva er mestring" not in html

    client.force_login(other_manager)
    assert client.get(reverse("reports:person", args=[done_person.pk])).status_code == 404


def _current_module(module):
    from courses.models import ModulePage

    return ModulePage.objects.get(pk=module.pk)  # the block's content read again


def test_after_a_replacement_with_another_type_holders_see_the_new_contents_results_only(course_with_h5p):
    from h5p.models import H5PContent
    from h5p.replacement import h5p_content_replace
    from reports.h5p_results import course_h5p_statistics
    from tests.h5p.test_replace import other_type_package, same_type_package

    course, module, block_id = course_with_h5p
    first, second = UserFactory(), UserFactory()
    answer(first, module, block_id, question_set(module, block_id, 1, 1, 1))  # 100 % on the old type
    content = H5PContent.objects.get(pk=module.body[0].value["content"].pk)
    admin = content.uploaded_by
    # A new version of the same type keeps what learners did.
    h5p_content_replace(content=content, user=admin, data=same_type_package())
    (activity,) = course_h5p_statistics(course=course)
    assert (activity.learners, activity.scored, round(activity.mean_best)) == (1, 1, 100)

    h5p_content_replace(content=content, user=admin, data=other_type_package())
    (activity,) = course_h5p_statistics(course=course)
    assert (activity.learners, activity.attempts, activity.parts) == (0, 0, [])

    module = _current_module(module)
    answer(second, module, block_id, question_set(module, block_id, 0, 0, 0))  # 0 % on the new type
    (activity,) = course_h5p_statistics(course=course)
    assert (activity.learners, activity.attempts, round(activity.mean_best)) == (1, 1, 0)
    assert {part.title: (part.answers, part.share_correct) for part in activity.parts} == {
        "Hva er mestring?": (1, 0),
        "Hva er brukermedvirkning?": (1, 0),
        "Hva er helsekompetanse?": (1, 0),
    }
    # The first learner, back on the new type, starts again there; the old answers stay as history.
    answer(first, module, block_id, question_set(module, block_id, 1, 0, 0))
    (activity,) = course_h5p_statistics(course=course)
    assert (activity.learners, activity.attempts, activity.scored) == (2, 2, 2)
    assert round(activity.mean_best) == 17  # (0 + 33) / 2, not the old 100
    assert first.h5p_results.get().statements.count() == 3 + 3 + 1 + 1  # history kept


def test_a_block_pointed_at_other_content_counts_only_that_contents_results(course_with_h5p):
    from reports.h5p_results import course_h5p_statistics

    course, module, block_id = course_with_h5p
    answer(UserFactory(), module, block_id, question_set(module, block_id, 1, 1, 1))
    other = h5p_content_create(
        data=build(valid_files()), user=module.body[0].value["content"].uploaded_by, title="Nytt innhold"
    )
    module.body = [
        {"type": "h5p", "id": block_id, "value": {**module.body.raw_data[0]["value"], "content": other.pk}}
    ]
    module.save_revision().publish()
    module = _current_module(module)
    (activity,) = course_h5p_statistics(course=course)
    assert (activity.title, activity.learners, activity.parts) == ("Nytt innhold", 0, [])
    answer(UserFactory(), module, block_id, question_set(module, block_id, 0, 1, 0))
    (activity,) = course_h5p_statistics(course=course)
    assert (activity.learners, round(activity.mean_best)) == (1, 33)
    assert [part.answers for part in activity.parts] == [1, 1, 1]


def test_after_taking_the_course_again_the_module_shows_the_current_rounds_score_only(
    client, course_with_h5p
):
    from h5p.selectors import learner_states

    course, module, block_id = course_with_h5p
    learner = UserFactory()
    answer(learner, module, block_id, question_set(module, block_id, 1, 1, 1))  # 100 % in round 1
    enrolment = course_services.enrolment_restart(user=learner, course=course)
    assert enrolment.round == 2
    assert learner_states(user=learner, module=module, block_ids=[block_id], enrolment=enrolment) == {}
    client.force_login(learner)
    html = client.get(module.url).content.decode()
    assert "Beste resultat" not in html and "100 %" not in html

    answer(learner, module, block_id, question_set(module, block_id, 1, 0, 0))  # 33 % in round 2
    (state,) = learner_states(user=learner, module=module, block_ids=[block_id], enrolment=enrolment).values()
    assert (state.attempts, round(state.best_percent), round(state.last_percent)) == (1, 33, 33)
    html = client.get(module.url).content.decode()
    assert "Beste resultat" in html and "33 %" in html and "100 %" not in html
