"""The assign page: only live courses, past due dates only when confirmed, a preview of what the
assignment does before it is saved, one error per field, and tampered posts that change nothing."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from requirements.models import Assignment, RequiredLearning
from requirements.selectors import AssignmentPreview, assignment_preview
from requirements.services import assignment_create
from tests.factories import UserFactory, add_member, complete_course, make_course, make_module, make_unit

URL = reverse("requirements:assign")


@pytest.fixture
def world(catalogue):
    clinic = make_unit("Medisinsk klinikk")
    ward = make_unit("Hjerteavdelingen", parent=clinic)
    other = make_unit("Annen kommune")
    manager = UserFactory()
    add_member(manager, clinic, role="manager")
    staff = [UserFactory() for _ in range(4)]
    for person in staff:
        add_member(person, ward)
    stranger = UserFactory()
    add_member(stranger, other)
    course = make_course(catalogue, title="Samvalg", modules=1)
    return {
        "clinic": clinic,
        "ward": ward,
        "other": other,
        "manager": manager,
        "staff": staff,
        "stranger": stranger,
        "course": course,
    }


@pytest.fixture
def manager_client(client, world):
    client.force_login(world["manager"])
    return client


def _form(world, **overrides):
    data = {
        "course": world["course"].pk,
        "unit": world["clinic"].pk,
        "include_subunits": "on",
        "due_kind": "fixed",
        "due_date": (timezone.localdate() + timedelta(days=30)).isoformat(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _preview(client, data):
    response = client.post(URL, {**data, "step": "preview"})
    assert response.status_code == 200
    return response


def _hidden_fields(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))


def _confirm(client, html: str):
    fields = _hidden_fields(html)
    fields.pop("csrfmiddlewaretoken", None)
    return client.post(URL, {**fields, "step": "confirm"})


# Point 16: a preview before saving ---------------------------------------------------------------


def test_the_first_post_previews_and_saves_nothing_then_confirming_saves(manager_client, world):
    staff = world["staff"]
    complete_course(staff[0], world["course"])
    response = _preview(manager_client, _form(world))
    html = response.content.decode()
    assert "Se over tildelingen" in html
    assert response.context["preview"] == AssignmentPreview(
        people=4, already_required=0, already_completed=1, overdue_at_once=0
    )
    assert "4 personer</strong> får kurset som påkrevd" in html
    assert "1 av dem har allerede fullført kurset" in html
    assert Assignment.objects.count() == 0 and RequiredLearning.objects.count() == 0

    response = _confirm(manager_client, html)
    assert response.status_code == 302
    assert Assignment.objects.count() == 1
    assert RequiredLearning.objects.filter(course=world["course"]).count() == 4


def test_a_past_due_date_is_refused_until_confirmed_and_the_preview_counts_who_becomes_overdue(
    manager_client, world
):
    past = (timezone.localdate() - timedelta(days=3)).isoformat()
    data = _form(world, due_date=past)
    response = _preview(manager_client, data)
    html = response.content.decode()
    assert "preview" not in response.context or response.context.get("preview") is None
    assert response.context["form"].errors["due_date"] == [
        "Fristen har allerede gått ut. Velg en senere dato, eller kryss av nedenfor hvis fristen skal "
        "gjelde likevel."
    ]
    assert 'name="confirm_past"' in html and "Jeg vet at fristen har gått ut" in html
    assert Assignment.objects.count() == 0

    complete_course(world["staff"][0], world["course"])
    response = _preview(manager_client, {**data, "confirm_past": "on"})
    assert response.context["preview"].overdue_at_once == 3  # four covered, one has completed
    assert "3 personer</strong> får forfalt frist med en gang" in response.content.decode()
    assert Assignment.objects.count() == 0
    assert _confirm(manager_client, response.content.decode()).status_code == 302
    assignment = Assignment.objects.get()
    assert assignment.due_date == timezone.localdate() - timedelta(days=3)


def test_the_confirmation_box_is_not_offered_for_a_future_date(manager_client, world):
    html = manager_client.get(URL).content.decode()
    assert 'name="confirm_past"' not in html
    response = _preview(manager_client, _form(world, unit=None))  # an error elsewhere
    assert 'name="confirm_past"' not in response.content.decode()


def test_only_live_courses_with_live_modules_are_offered_and_accepted(manager_client, world, catalogue):
    course = world["course"]
    draft_copy = course.copy(
        recursive=True,
        keep_live=False,
        update_attrs={"title": "Samvalg (kopi)", "slug": "samvalg-kopi"},
    )
    unpublished = make_course(catalogue, title="Avpublisert kurs", modules=1)
    unpublished.unpublish()
    empty = make_course(catalogue, title="Kurs uten moduler", modules=0)
    drafts_only = make_course(catalogue, title="Bare utkast", modules=0)
    make_module(drafts_only, title="Utkast", live=False)
    assert draft_copy.live is False

    field = manager_client.get(URL).context["form"]["course"]
    offered = {label for _value, label in field.field.choices}
    assert "Samvalg" in offered
    assert not offered & {"Samvalg (kopi)", "Avpublisert kurs", "Kurs uten moduler", "Bare utkast"}

    for bad in (draft_copy, unpublished, empty, drafts_only):
        response = _preview(manager_client, _form(world, course=bad.pk))
        assert response.context["form"].errors["course"] == [
            "Velg et gyldig valg: kurset er ikke publisert, eller det har ingen publiserte moduler."
        ]
        assert "preview" not in response.context
        # Confirming it directly changes nothing either.
        response = manager_client.post(URL, {**_form(world, course=bad.pk), "step": "confirm"})
        assert response.status_code == 200
    assert Assignment.objects.count() == 0


# Tampered confirmations ---------------------------------------------------------------------------


def test_a_forged_or_changed_confirmation_saves_nothing(manager_client, world, catalogue):
    html = _preview(manager_client, _form(world)).content.decode()
    fields = _hidden_fields(html)
    fields.pop("csrfmiddlewaretoken")

    # No preview at all.
    response = manager_client.post(URL, {**_form(world), "step": "confirm"})
    assert "stemmer ikke med forhåndsvisningen" in response.content.decode()
    # A token made up, or one for a different choice (the date changed after the preview).
    for changed in (
        {**fields, "token": "forfalsket"},
        {**fields, "due_date": (timezone.localdate() + timedelta(days=1)).isoformat()},
        {**fields, "include_subunits": ""},
    ):
        response = manager_client.post(URL, {**changed, "step": "confirm"})
        assert response.status_code == 200
        assert "stemmer ikke med forhåndsvisningen" in response.content.decode()
        assert "Se over tildelingen" in response.content.decode()  # shown again, with fresh numbers
    # Another manager's token.
    other_manager = UserFactory()
    add_member(other_manager, world["clinic"], role="manager")
    manager_client.force_login(other_manager)
    response = manager_client.post(URL, {**fields, "step": "confirm"})
    assert "stemmer ikke med forhåndsvisningen" in response.content.decode()
    assert Assignment.objects.count() == 0 and RequiredLearning.objects.count() == 0


def test_a_unit_or_person_outside_the_scope_is_refused_even_when_confirmed(manager_client, world):
    for data, field, message in (
        ({"unit": world["other"].pk}, "unit", "enheter du er leder for"),
        ({"unit": None, "person": world["stranger"].pk}, "person", "ansatte i enheter du er leder for"),
    ):
        for step in ("preview", "confirm"):
            response = manager_client.post(URL, {**_form(world, **data), "step": step})
            assert response.status_code == 200
            (error,) = response.context["form"].errors[field]
            assert error.startswith("Velg et gyldig valg") and message in error
    assert Assignment.objects.count() == 0


def test_editing_after_the_preview_returns_the_filled_in_form(manager_client, world):
    html = _preview(manager_client, _form(world, renewal_months="12")).content.decode()
    fields = _hidden_fields(html)
    fields.pop("csrfmiddlewaretoken")
    response = manager_client.post(URL, {**fields, "step": "edit"})
    form = response.context["form"]
    assert not form.is_bound and "preview" not in response.context
    assert str(form["course"].value()) == str(world["course"].pk)
    assert str(form["renewal_months"].value()) == "12"
    assert Assignment.objects.count() == 0


# The selector ------------------------------------------------------------------------------------


def test_preview_counts_follow_the_service_and_take_three_queries(world, django_assert_num_queries):
    course, clinic, ward = world["course"], world["clinic"], world["ward"]
    staff = world["staff"]
    today = timezone.localdate()
    complete_course(staff[0], course)
    # staff[1] is already required, already overdue: not counted as becoming overdue.
    assignment_create(by=None, course=course, user=staff[1], due_date=today - timedelta(days=10))
    # staff[2] is already required with a later date: the earlier (past) date makes them overdue.
    assignment_create(by=None, course=course, user=staff[2], due_date=today + timedelta(days=10))
    # staff[3] joined long ago: a relative due date is already passed.
    staff[3].memberships.update(joined_at=today - timedelta(days=100))
    with django_assert_num_queries(3):
        relative = assignment_preview(course=course, unit=clinic, due_days=30, today=today)
    assert relative == AssignmentPreview(people=4, already_required=2, already_completed=1, overdue_at_once=1)

    past = assignment_preview(course=course, unit=clinic, due_date=today - timedelta(days=1), today=today)
    assert past.overdue_at_once == 2  # staff[2] and staff[3]
    only_unit = assignment_preview(
        course=course, unit=clinic, include_subunits=False, due_date=today, today=today
    )
    assert only_unit == AssignmentPreview(
        people=0, already_required=0, already_completed=0, overdue_at_once=0
    )

    for _ in range(20):  # more people, the same number of queries
        add_member(UserFactory(), ward)
    with django_assert_num_queries(3):
        bigger = assignment_preview(course=course, unit=clinic, due_days=30, today=today)
    assert bigger.people == 24
    with django_assert_num_queries(2):
        person = assignment_preview(course=course, user=staff[2], due_date=today - timedelta(days=1))
    assert person == AssignmentPreview(people=1, already_required=1, already_completed=0, overdue_at_once=1)

    # And the preview wrote nothing.
    assert Assignment.objects.count() == 2


# Point 17: one error per field, at the field, focus on the first ---------------------------------


def test_an_empty_form_shows_each_error_once_at_its_field_and_focuses_the_first(manager_client, world):
    response = manager_client.post(URL, {"step": "preview"})
    html = response.content.decode()
    form = response.context["form"]
    assert not form.non_field_errors()
    assert set(form.errors) == {"course", "unit", "due_kind"}
    for field, errors in form.errors.items():
        (message,) = errors
        assert html.count(message) == 1, message  # once on the page …
        # … in the error list of its own field, which the control points to.
        assert f'<ul class="errorlist" id="id_{field}_error"><li>{message}</li></ul>' in html
    assert re.search(r'<select name="course"[^>]*autofocus[^>]*aria-invalid="true"', html)
    assert html.count("autofocus") == 1
    assert 'class="errorlist nonfield"' not in html


def test_a_fixed_date_missing_is_reported_alongside_the_missing_unit(manager_client, world):
    response = manager_client.post(
        URL, {"course": world["course"].pk, "due_kind": "fixed", "step": "preview"}
    )
    errors = response.context["form"].errors
    assert errors["unit"] == ["Velg en enhet, eller velg én person nedenfor."]
    assert errors["due_date"] == ["Velg en dato for fristen."]
    assert re.search(r'<select name="unit"[^>]*autofocus', response.content.decode())
