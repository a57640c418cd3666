"""«Revisjonslogg» in the Wagtail admin: administrators only, with filters and export."""

import io
from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditEntry
from audit.services import record_read
from tests.factories import UserFactory, add_member

pytestmark = pytest.mark.django_db

INDEX = "revisjonslogg:index"


def read(actor, subject, *, event="person_record", days_ago=0):
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.5")
    request.user = actor
    entry = record_read(request, action=event, obj=subject)
    if days_ago:
        AuditEntry.objects.filter(pk=entry.pk).update(timestamp=timezone.now() - timedelta(days=days_ago))
    return entry


@pytest.fixture
def entries(manager, staff, admin_user):
    other_manager = UserFactory(first_name="Otto", last_name="Overlege")
    stranger = UserFactory(first_name="Stine", last_name="Fremmed")
    AuditEntry.objects.all().delete()  # the factories' own creations
    made = {
        "recent": read(manager, staff),
        "old": read(other_manager, stranger, days_ago=40),
        "certificate": read(admin_user, staff, event="certificate_admin"),
    }
    add_member(stranger, manager.memberships.get().unit)
    made["membership"] = AuditEntry.objects.get(action=AuditEntry.Action.CREATE)
    return made


def listed(response):
    return response.context["object_list"]


def test_administrators_see_the_log_with_names_as_they_are_now(admin_client, entries, staff, manager):
    response = admin_client.get(reverse(INDEX))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Revisjonslogg" in html
    assert staff.get_full_name() in html and manager.get_full_name() in html
    assert "Åpnet en persons opplæringsoversikt" in html and "192.0.2.5" in html
    inspect = admin_client.get(reverse("revisjonslogg:inspect", args=[entries["recent"].pk]))
    assert inspect.status_code == 200


def test_the_menu_item_is_under_settings_for_administrators_only(admin_client, client, course, entries):
    from tests.factories import holder_of

    url = reverse(INDEX)
    assert url in admin_client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(holder_of(course))
    home = client.get(reverse("wagtailadmin_home"))
    assert home.status_code == 200 and url not in home.content.decode()


def test_course_holders_and_managers_are_refused(client, course, manager, entries):
    from tests.factories import holder_of

    urls = [
        reverse(INDEX),
        reverse(INDEX) + "?export=csv",
        reverse("revisjonslogg:inspect", args=[entries["recent"].pk]),
    ]
    for person in (holder_of(course), manager, UserFactory(is_staff=True)):
        client.force_login(person)
        for url in urls:
            response = client.get(url)
            assert response.status_code in (302, 403), (person, url)
            assert b"192.0.2.5" not in response.content
    assert not AuditEntry.objects.filter(event="audit_export").exists()


def test_nobody_adds_edits_or_deletes_an_entry(admin_client, entries):
    from django.urls import NoReverseMatch

    for name, args in (("add", []), ("edit", [entries["recent"].pk]), ("delete", [entries["recent"].pk])):
        try:
            url = reverse(f"revisjonslogg:{name}", args=args)
        except NoReverseMatch:
            continue
        assert admin_client.get(url).status_code in (302, 403)
        assert admin_client.post(url).status_code in (302, 403)
    assert AuditEntry.objects.filter(pk=entries["recent"].pk).exists()


def test_filters_by_actor_subject_action_type_and_dates(admin_client, entries, manager, staff):
    url = reverse(INDEX)
    assert set(listed(admin_client.get(url, {"actor_text": "Mona Leder"}))) == {entries["recent"]}
    about_stine = {entries["old"], entries["membership"]}
    assert set(listed(admin_client.get(url, {"subject_text": "Stine Fremmed"}))) == about_stine
    assert set(listed(admin_client.get(url, {"event": "certificate_admin"}))) == {entries["certificate"]}
    assert len(listed(admin_client.get(url, {"action": AuditEntry.Action.ACCESS}))) == 3
    assert set(listed(admin_client.get(url, {"action": AuditEntry.Action.CREATE}))) == {entries["membership"]}
    assert not listed(admin_client.get(url, {"action": AuditEntry.Action.DELETE}))
    week_ago = (timezone.localdate() - timedelta(days=7)).isoformat()
    recent = set(listed(admin_client.get(url, {"timestamp_from": week_ago})))
    assert recent == {entries["recent"], entries["certificate"], entries["membership"]}
    older = set(listed(admin_client.get(url, {"timestamp_to": week_ago})))
    assert older == {entries["old"]}
    by_type = listed(admin_client.get(url, {"content_type": entries["membership"].content_type_id}))
    assert set(by_type) == {entries["membership"]}
    both = listed(admin_client.get(url, {"subject_text": "Fremmed", "action": AuditEntry.Action.ACCESS}))
    assert set(both) == {entries["old"]}


def test_export_csv_and_xlsx_with_the_filters_and_the_export_is_logged(admin_client, admin_user, entries):
    url = reverse(INDEX)
    response = admin_client.get(url, {"event": "person_record", "export": "csv", "subject_text": "Nordmann"})
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = [line for line in body.splitlines() if line]
    assert len(lines) == 2 and "Kari Nordmann" in lines[1] and "192.0.2.5" in lines[1]
    logged = AuditEntry.objects.get(event="audit_export")
    assert logged.actor == admin_user
    assert logged.additional_data["rows"] == 1 and logged.additional_data["format"] == "csv"
    assert "Nordmann" not in str(logged.additional_data)  # the typed search is not kept

    response = admin_client.get(url, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.cell(row=1, column=1).value == "Tidspunkt"
    assert sheet.max_row - 1 == AuditEntry.objects.exclude(event="audit_export").count() + 1


def test_a_deleted_persons_entries_stay_without_a_name(admin_client, entries, staff):
    name = staff.get_full_name()
    for membership in staff.memberships.all():
        membership.delete()
    staff.delete()
    html = admin_client.get(reverse(INDEX)).content.decode()
    assert name not in html
    assert "Åpnet en persons opplæringsoversikt" in html
    inspect = admin_client.get(reverse("revisjonslogg:inspect", args=[entries["recent"].pk]))
    assert inspect.status_code == 200 and name not in inspect.content.decode()


def test_membership_changes_show_in_the_log(admin_client, ward):
    person = UserFactory(first_name="Liv", last_name="Lien")
    add_member(person, ward)
    html = admin_client.get(reverse(INDEX), {"subject_text": "Lien"}).content.decode()
    assert "Opprettet" in html and "Liv Lien" in html
