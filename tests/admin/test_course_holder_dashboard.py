"""Issue 11, point 6: the course holder's admin dashboard shows their courses, drafts, shared
reflections waiting for a reply and recent completions, in a number of queries that does not grow
with the number of courses.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import ReflectionAnswer, ReflectionFeedback, ReflectionStatus
from courses.selectors import course_modules
from tests.factories import UserFactory, complete_course, holder_of, make_course

pytestmark = pytest.mark.django_db


def shared_reflection(course, learner, *, answered=False):
    module = course_modules(course)[0]
    reflection = ReflectionAnswer.objects.create(
        user=learner,
        course=course,
        module=module,
        block_id=f"blokk-{learner.pk}",
        prompt="Hva lærte du?",
        text="<p>At det hjelper å lytte.</p>",
        status=ReflectionStatus.SUBMITTED,
        submitted_at=timezone.now(),
        shared_at=timezone.now(),
    )
    if answered:
        ReflectionFeedback.objects.create(reflection=reflection, author=None, text="Takk!")
    return reflection


def course_in_use(catalogue, title):
    """A course with a completion, a module with unpublished changes and two shared reflections,
    one of them answered."""
    course = make_course(catalogue, title=title)
    complete_course(UserFactory(), course)
    draft = course_modules(course)[1]
    draft.title = f"{title}: ny modultekst"
    draft.save_revision()
    waiting = shared_reflection(course, UserFactory(first_name="Venter", last_name=title))
    answered = shared_reflection(course, UserFactory(), answered=True)
    return course, draft, waiting, answered


def test_the_dashboard_shows_the_course_holders_courses_drafts_reflections_and_completions(
    holder_client, catalogue
):
    course, draft, waiting, answered = course_in_use(catalogue, "Den gode samtalen")
    html = holder_client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Mine kurs" in html
    assert reverse("wagtailadmin_pages:edit", args=[course.pk]) in html and "Den gode samtalen" in html
    assert "Fullført siste 30 dager" in html
    row = html[html.index("Den gode samtalen</a>") :]
    row = row[: row.index("</tr>")]
    assert row.count("<td>1</td>") == 2  # one completion in the last 30 days, one in all
    assert "Den gode samtalen: ny modultekst" in html  # the draft, under «Utkast og upubliserte endringer»
    assert reverse("wagtailadmin_pages:edit", args=[draft.pk]) in html

    assert "Delte refleksjoner som venter på svar" in html
    assert reverse("assessments_shared_reflection", args=[waiting.pk]) in html
    assert reverse("assessments_shared_reflection", args=[answered.pk]) not in html  # already answered


def test_a_holder_of_one_course_sees_only_that_course_on_the_dashboard(client, catalogue, holders_group):
    mine, _draft, waiting, _answered = course_in_use(catalogue, "Mitt kurs")
    other, other_draft, other_waiting, _ = course_in_use(catalogue, "Et annet kurs")
    client.force_login(holder_of(mine))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Mitt kurs" in html and reverse("assessments_shared_reflection", args=[waiting.pk]) in html
    assert "Et annet kurs" not in html
    assert reverse("assessments_shared_reflection", args=[other_waiting.pk]) not in html


def test_dashboard_queries_do_not_grow_with_the_number_of_courses(holder_client, catalogue):
    url = reverse("wagtailadmin_home")
    for number in range(2):
        course_in_use(catalogue, f"Kurs {number}")
    holder_client.get(url)  # warm caches (content types, site)
    with CaptureQueriesContext(connection) as few:
        assert holder_client.get(url).status_code == 200
    for number in range(2, 7):
        course_in_use(catalogue, f"Kurs {number}")
    with CaptureQueriesContext(connection) as many:
        html = holder_client.get(url).content.decode()
    assert "Kurs 6" in html and "Kurs 0" in html
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
