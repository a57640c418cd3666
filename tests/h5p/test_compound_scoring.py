"""Compound H5P content (Question Set, Course Presentation, Interactive Video, Column, Interactive
Book) is scored by its top-level statement, never by one of its parts (issue #13, point 5).

The statements come from tests/h5p/compound.py, built as those content types send them."""

import pytest
from django.urls import reverse

from courses import selectors as course_selectors
from courses import services as course_services
from h5p.models import H5PResult, H5PStatement
from h5p.results import statement_record
from h5p.xapi import statement_parse
from tests.factories import make_catalogue, make_course
from tests.h5p import compound
from tests.h5p.players import module_with_h5p, player_token


def _url(module, block_id) -> str:
    return f"http://testserver{reverse('h5p:player', args=[module.pk, block_id])}"


@pytest.fixture
def block(user, h5p_content):
    """A module whose H5P block needs 80 %; the learner is enrolled."""
    course = make_course(make_catalogue(), modules=0)
    module, block_id = module_with_h5p(course, h5p_content, rule="score", pass_percent=80)
    enrolment, _created = course_services.enrolment_create(user=user, course=course)
    return module, block_id, enrolment


def send(user, module, block_id, statements, enrolment) -> list[bool]:
    """Record each statement as the xAPI view does; what statement_record answered for each."""
    value = module.body[0].value
    answers = []
    for data in statements:
        parsed = statement_parse(
            compound.envelope(data), expected_object_iri=_url(module, block_id), learner_email=user.email
        )
        answers.append(
            statement_record(
                user=user,
                module=module,
                block_id=block_id,
                block_value=value,
                parsed=parsed,
                enrolment=enrolment,
            )
        )
    return answers


def done(enrolment, module, block_id) -> bool:
    return block_id in course_selectors.completed_activities(enrolment=enrolment, module=module)


@pytest.mark.parametrize(
    "builder, parts, whole",
    [
        (compound.question_set, [("Spm 1", 1, 1), ("Spm 2", 1, 1), ("Spm 3", 0, 1)], (2, 3)),
        (
            compound.course_presentation,
            [[("Lysbilde 1", 1, 1)], [("Lysbilde 2a", 1, 1), ("Lysbilde 2b", 0, 2)]],
            (2, 4),
        ),
        (compound.interactive_video, [("Ved 0:30", 1, 1), ("Ved 1:10", 0, 1)], (1, 2)),
        (compound.column, [("Fyll inn 1", 2, 2), ("Fyll inn 2", 1, 3)], (3, 5)),
        (
            compound.interactive_book,
            [[("Kap 1 spm", 1, 1)], [("Kap 2 spm a", 1, 1), ("Kap 2 spm b", 0, 1)]],
            (2, 3),
        ),
    ],
    ids=["QuestionSet", "CoursePresentation", "InteractiveVideo", "Column", "InteractiveBook"],
)
def test_the_whole_counts_and_a_fully_correct_part_never_does(user, block, builder, parts, whole):
    module, block_id, enrolment = block
    statements = builder(_url(module, block_id), parts)
    # Every part answered fully correct on its own says 100 %: none of them completes the 80 % rule.
    before_whole = send(user, module, block_id, statements[:-1], enrolment)
    assert not any(before_whole)
    assert not done(enrolment, module, block_id)
    result = H5PResult.objects.get(user=user, module=module, block_id=block_id)
    assert (result.best_percent, result.attempts, result.answered_at) == (None, 0, None)

    send(user, module, block_id, statements[-1:], enrolment)
    result.refresh_from_db()
    raw, maximum = whole
    assert (result.score_raw, result.score_max, result.attempts) == (raw, maximum, 1)
    assert result.best_percent == pytest.approx(100 * raw / maximum)
    assert not done(enrolment, module, block_id)  # below 80 %
    # Every statement is kept, the parts marked as parts for item analysis.
    kept = H5PStatement.objects.filter(result=result)
    assert kept.count() == len(statements)
    assert kept.filter(top_level=True, score_raw__isnull=False).count() == 1


def test_a_question_set_answered_well_enough_completes_the_block(user, block):
    module, block_id, enrolment = block
    statements = compound.question_set(
        _url(module, block_id), [("A", 1, 1), ("B", 1, 1), ("C", 1, 1), ("D", 1, 1), ("E", 0, 1)]
    )
    assert send(user, module, block_id, statements, enrolment)[-1] is True
    assert done(enrolment, module, block_id)


def test_parts_are_kept_with_their_place_in_the_content(user, block):
    module, block_id, enrolment = block
    url = _url(module, block_id)
    send(user, module, block_id, compound.interactive_book(url, [[("Hva er mestring?", 1, 1)]]), enrolment)
    rows = {
        row.sub_content_id: row
        for row in H5PStatement.objects.filter(result__module=module, result__block_id=block_id)
    }
    question = rows[compound.sub_id("Hva er mestring?")]
    chapter = compound.sub_id("kapittel 1")
    # The question is a part of the chapter, the chapter a part of the book, the book the whole.
    assert (question.top_level, question.parent_sub_content_id, question.success) == (False, chapter, True)
    assert question.title == "Hva er mestring?"
    assert (rows[chapter].top_level, rows[chapter].parent_sub_content_id) == (False, "")
    assert (rows[""].top_level, rows[""].parent_sub_content_id, rows[""].title) == (True, None, "")


def test_without_a_score_on_the_whole_the_score_is_its_direct_parts_in_this_attempt(user, block):
    module, block_id, enrolment = block
    url = _url(module, block_id)
    # A book whose summary says completed without a score: its chapters' scores add up (the
    # questions inside the chapters are not counted twice).
    first = compound.interactive_book(url, [[("K1", 1, 1)], [("K2a", 1, 1), ("K2b", 0, 1)]], summary=False)
    first.append(compound.statement(url, "completed", library="InteractiveBook"))
    send(user, module, block_id, first, enrolment)
    result = H5PResult.objects.get(user=user, module=module, block_id=block_id)
    assert (result.score_raw, result.score_max, result.attempts) == (2, 3, 1)
    assert not done(enrolment, module, block_id)

    # A second attempt: only what was answered since the first closed counts; the latest answer
    # of a part that was answered twice is the one counted. (Statements of a new attempt differ
    # from the first attempt's at least in their duration: an identical one is a replay.)
    second = [
        compound.statement(
            url,
            "completed",
            library="Column",
            sub_content_id=compound.sub_id("kapittel 1"),
            parent="",
            score=(0, 1),
        ),
        compound.statement(
            url,
            "completed",
            library="Column",
            sub_content_id=compound.sub_id("kapittel 1"),
            parent="",
            score=(1, 1),
            duration="PT40S",
        ),
        compound.statement(
            url,
            "completed",
            library="Column",
            sub_content_id=compound.sub_id("kapittel 2"),
            parent="",
            score=(2, 2),
        ),
        compound.statement(url, "completed", library="InteractiveBook", duration="PT3M"),
    ]
    assert send(user, module, block_id, second, enrolment)[-1] is True
    result.refresh_from_db()
    assert (result.score_raw, result.score_max, result.attempts, result.best_percent) == (3, 3, 2, 100)
    assert done(enrolment, module, block_id)


def test_a_presentation_with_no_tasks_finishes_without_a_score(user, h5p_content):
    """The summary slide of a presentation without tasks sends 0 of 0: accepted, not a score."""
    course = make_course(make_catalogue(), modules=0)
    module, block_id = module_with_h5p(course, h5p_content, rule="completed")
    enrolment, _created = course_services.enrolment_create(user=user, course=course)
    statements = compound.course_presentation(_url(module, block_id), [[], []])
    assert send(user, module, block_id, statements, enrolment)[-1] is True
    result = H5PResult.objects.get(user=user, module=module, block_id=block_id)
    assert (result.score_raw, result.score_max, result.best_percent, result.attempts) == (None, None, None, 1)


def test_a_part_naming_its_sub_content_only_in_the_extension_is_still_a_part(user, block):
    module, block_id, enrolment = block
    url = _url(module, block_id)
    data = compound.statement(url, "completed", library="MultiChoice", score=(1, 1))
    data["object"]["definition"]["extensions"][compound.SUB_CONTENT_ID] = compound.sub_id("skjult")
    parsed = statement_parse(compound.envelope(data), expected_object_iri=url, learner_email=user.email)
    assert (parsed.top_level, parsed.answered, parsed.sub_content_id) == (
        False,
        False,
        compound.sub_id("skjult"),
    )


def test_the_xapi_view_scores_a_question_set_by_its_whole(client, user, block):
    module, block_id, enrolment = block
    client.force_login(user)
    token = player_token(client, module, block_id)
    statements = compound.question_set(_url(module, block_id), [("A", 1, 1), ("B", 0, 1)])
    answers = []
    for data in statements:
        response = client.post(
            reverse("h5p:xapi", args=[module.pk, block_id]),
            data=compound.envelope(data, token),
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        answers.append(response.json()["completed"])
    assert answers == [False, False, False]
    result = H5PResult.objects.get(user=user, module=module, block_id=block_id)
    assert (result.best_percent, result.attempts) == (50, 1)
