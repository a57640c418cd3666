"""The scope matrix: each viewer against the dashboard, drill-down, exports, assignment form, statistics."""

import csv
import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from requirements.models import Assignment
from requirements.services import assignment_create
from tests.factories import UserFactory, add_member, make_course, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(catalogue):
    trust = make_unit("Helse A", unit_type="hf")
    clinic = make_unit("Klinikk A1", parent=trust, unit_type="klinikk")
    municipality = make_unit("Kommune B", unit_type="kommune")
    unit_b = make_unit("Enhet B1", parent=municipality, unit_type="enhet")
    staff = {
        "a0": UserFactory(email="a0@test.example"),
        "a1": UserFactory(email="a1@test.example"),
        "plain": UserFactory(email="plain@test.example"),
        "b1": UserFactory(email="b1@test.example"),
    }
    add_member(staff["a0"], trust)
    add_member(staff["a1"], clinic)
    add_member(staff["plain"], clinic)
    add_member(staff["b1"], unit_b)
    viewers = {
        "manager_A": UserFactory(),
        "manager_A1": UserFactory(),
        "manager_B": UserFactory(),
        "reporter_A1": UserFactory(),
        "plain": staff["plain"],
    }
    add_member(viewers["manager_A"], trust, role="manager")
    add_member(viewers["manager_A1"], clinic, role="manager")
    add_member(viewers["manager_B"], municipality, role="manager")
    add_member(viewers["reporter_A1"], clinic, role="reporter")
    course = make_course(catalogue, title="Påkrevd kurs")
    assignment_create(by=None, course=course, unit=trust, due_date=date(2026, 12, 31))
    assignment_create(by=None, course=course, unit=municipality, due_date=date(2026, 12, 31))
    return {
        "units": (trust, clinic, municipality, unit_b),
        "staff": staff,
        "viewers": viewers,
        "course": course,
    }


VISIBLE = {
    "manager_A": {"a0", "a1", "plain"},
    "manager_A1": {"a1", "plain"},
    "manager_B": {"b1"},
    "reporter_A1": {"a1", "plain"},
}


@pytest.mark.parametrize("viewer", list(VISIBLE))
def test_dashboard_drill_down_and_exports_show_only_the_scope(world, viewer):
    client = Client()
    client.force_login(world["viewers"][viewer])
    visible = VISIBLE[viewer]
    html = client.get(reverse("reports:dashboard")).content.decode()
    for key, person in world["staff"].items():
        assert (person.email in html or person.full_name in html) == (key in visible), key
        status = client.get(reverse("reports:person", args=[person.pk])).status_code
        assert status == (200 if key in visible else 404), (key, status)

    response = client.get(reverse("reports:export", args=["csv"]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    emails = {row[2] for row in list(csv.reader(io.StringIO(text), delimiter=";"))[1:]}
    assert emails == {world["staff"][key].email for key in visible}

    from openpyxl import load_workbook

    response = client.get(reverse("reports:export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    assert {row[2] for row in sheet.iter_rows(min_row=2, values_only=True)} == emails

    # Filtering on a unit outside the scope shows nothing from it: the unit is not a valid choice.
    trust, clinic, municipality, unit_b = world["units"]
    outside = unit_b if viewer != "manager_B" else clinic
    response = client.get(reverse("reports:export", args=["csv"]), {"unit": outside.pk})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    emails = {row[2] for row in list(csv.reader(io.StringIO(text), delimiter=";"))[1:]}
    assert emails == {world["staff"][key].email for key in visible}  # the bad filter is ignored, scope stays

    assert client.get(reverse("reports_statistics")).status_code in (302, 403)


def test_plain_member_and_anonymous_see_nothing(world):
    client = Client()
    person = world["staff"]["a1"]
    for url in (
        reverse("reports:dashboard"),
        reverse("reports:person", args=[person.pk]),
        reverse("reports:export", args=["csv"]),
        reverse("requirements:assign"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/konto/login/" in response.url
    client.force_login(world["viewers"]["plain"])
    for url in (
        reverse("reports:dashboard"),
        reverse("reports:person", args=[person.pk]),
        reverse("reports:export", args=["xlsx"]),
        reverse("requirements:assign"),
    ):
        assert client.get(url).status_code == 403
    assert client.get(reverse("reports_statistics")).status_code in (302, 403)


def test_assignment_form_offers_and_accepts_only_units_and_people_in_scope(world):
    trust, clinic, municipality, unit_b = world["units"]
    course = world["course"]
    client = Client()
    client.force_login(world["viewers"]["manager_A1"])
    page = client.get(reverse("requirements:assign")).content.decode()
    assert "Klinikk A1" in page and "Kommune B" not in page and "Helse A<" not in page
    before = Assignment.objects.count()
    for data in (
        {"unit": unit_b.pk},
        {"unit": trust.pk},
        {"person": world["staff"]["b1"].pk},
        {"person": world["staff"]["a0"].pk},
    ):
        response = client.post(
            reverse("requirements:assign"),
            {"course": course.pk, "due_kind": "fixed", "due_date": "2027-01-31", **data},
        )
        assert response.status_code == 200  # the form again, with an error
        assert "Velg et gyldig valg" in response.content.decode()
    assert Assignment.objects.count() == before

    response = client.post(
        reverse("requirements:assign"),
        {
            "course": course.pk,
            "unit": clinic.pk,
            "include_subunits": "on",
            "due_kind": "relative",
            "due_days": "30",
        },
    )
    assert response.status_code == 200 and Assignment.objects.count() == before  # a preview first
    response = client.post(
        reverse("requirements:assign"),
        {
            "course": course.pk,
            "unit": clinic.pk,
            "include_subunits": "on",
            "due_kind": "relative",
            "due_days": "30",
            "token": response.context["token"],
            "step": "confirm",
        },
    )
    assert response.status_code == 302
    assert Assignment.objects.count() == before + 1

    client.force_login(world["viewers"]["reporter_A1"])
    assert client.get(reverse("requirements:assign")).status_code == 403
    response = client.post(reverse("requirements:assign"), {"course": course.pk, "unit": clinic.pk})
    assert response.status_code == 403


def test_administrator_sees_statistics(world, admin_client):
    response = admin_client.get(
        reverse("reports_statistics"), {"start": "2026-01-01", "end": "2026-12-31", "group_by": "unit"}
    )
    assert response.status_code == 200
