"""Issue 11, point 5: the review workflow a course holder meets has someone in it who can approve.

«Fagfellevurdering» (made by courses 0012) is attached to the course catalogue; its one task goes to
the «Kursholdere» group, so another course holder reviews. The demo has two course holders.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import GroupApprovalTask

from courses.models import CourseCatalogPage, CoursePage
from people.models import User
from tests.admin.conftest import make_course_holder
from tests.factories import make_course

pytestmark = pytest.mark.django_db


def approvers(page, *, besides) -> list[User]:
    workflow = page.get_workflow()
    assert workflow is not None and workflow.active
    users = set()
    for task in workflow.tasks:
        task = task.specific
        assert isinstance(task, GroupApprovalTask)
        users |= set(User.objects.filter(is_active=True, groups__in=task.groups.all()).exclude(pk=besides.pk))
    return sorted(users, key=lambda u: u.pk)


def test_a_course_submitted_for_review_is_approved_by_another_course_holder(
    holder_client, course_holder, catalogue, client
):
    course = make_course(catalogue, title="Til vurdering")
    course.live = False
    course.save()
    assert course.get_workflow().name == "Fagfellevurdering"  # not «Moderators approval» with nobody in it
    peer = make_course_holder(email="fagfelle@test.example")
    assert approvers(course, besides=course_holder) == [peer]

    # The course holder submits the course from the editor's workflow action.
    course.save_revision(user=course_holder)
    course.get_workflow().start(course, course_holder)
    state = course.current_workflow_state
    task_state = state.current_task_state

    client.force_login(peer)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Til vurdering" in home  # «Awaiting your review»
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[course.pk, "approve", task_state.pk]),
        {"comment": "Ser bra ut."},
    )
    assert response.status_code in (200, 302)
    course.refresh_from_db()
    assert course.live


def test_the_demo_catalogue_uses_the_review_workflow_with_two_course_holders():
    call_command("load_demo", stdout=StringIO())
    catalogue = CourseCatalogPage.objects.get(slug="kurs")
    holder = User.objects.get(email="kursholder@demo.example")
    for course in CoursePage.objects.child_of(catalogue):
        assert course.get_workflow().name == "Fagfellevurdering"
        assert [u.email for u in approvers(course, besides=holder)] == ["fagfelle@demo.example"]
    assert holder.has_perm("assessments.add_quiz") and holder.has_perm("h5p.add_h5pcontent")
    from assessments.models import Quiz

    assert set(Quiz.objects.values_list("max_attempts", "review_policy")) == {(3, "after_pass")}
