"""CSV import of units and staff: Excel formats accepted, each bad row reported, nothing written on error."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from people import importing
from people.models import Membership, OrganisationUnit, User
from tests.factories import make_unit

pytestmark = pytest.mark.django_db

GOOD = (
    "navn;e-post;enhet;deltakertype;rolle;startdato\r\n"
    "Kari Nordmann;Kari@Example.no;HJ1;helsepersonell;;01.02.2026\r\n"
    "Ola Leder;ola@example.no;Hjerteavdelingen;Helsepersonell;leder;\r\n"
    "Anne Bruker;anne@example.no;HJ1;brukerrepresentant;medlem;2026-03-01\r\n"
)


@pytest.fixture
def ward():
    trust = make_unit("Helse Vest", code="HV")
    return make_unit("Hjerteavdelingen", parent=trust, code="HJ1")


def upload(admin_client, text: str | bytes, kind="staff"):
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    return admin_client.post(
        reverse("people_staff_import"), {"kind": kind, "file": SimpleUploadedFile("ansatte.csv", data)}
    )


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("utf-8"),
        lambda t: t.encode("utf-8-sig"),  # Excel's "CSV UTF-8" adds a byte-order mark
        lambda t: t.replace(";", ",").encode("utf-8-sig"),  # comma-separated
        lambda t: t.replace("\r\n", "\n").encode("utf-8"),  # Unix line endings
    ],
)
def test_excel_variants_preview_then_import(admin_client, ward, encode):
    response = upload(admin_client, encode(GOOD))
    preview = response.context["preview"]
    assert preview.is_valid, [row.errors for row in preview.rows]
    assert [row.action for row in preview.rows] == ["ny person, legges til"] * 3
    assert not User.objects.filter(email="kari@example.no").exists()  # a preview writes nothing

    response = admin_client.post(
        reverse("people_staff_import"),
        {"step": "import", "kind": "staff", "csv_text": response.context["csv_text"]},
    )
    assert response.status_code == 302
    kari = User.objects.get(email="kari@example.no")
    assert (kari.first_name, kari.last_name, kari.participant_type) == ("Kari", "Nordmann", "helsepersonell")
    assert Membership.objects.get(user__email="ola@example.no").role == "manager"
    assert str(Membership.objects.get(user=kari).joined_at) == "2026-02-01"
    assert User.objects.get(email="anne@example.no").participant_type == "brukerrepresentant"


def test_bad_rows_are_listed_and_nothing_is_written(admin_client, ward):
    make_unit("Avdeling X")
    make_unit("Avdeling X")
    text = (
        "navn;e-post;enhet;deltakertype;rolle\n"
        "Kari Nordmann;kari@example.no;HJ1;helsepersonell;\n"  # fine
        "Per Feil;ikke-en-adresse;HJ1;helsepersonell;\n"  # malformed e-mail
        "Lise Ukjent;lise@example.no;Finnes ikke;;\n"  # unknown unit
        "Kari Nordmann;kari@example.no;HJ1;helsepersonell;\n"  # duplicate
        "Tone Type;tone@example.no;HJ1;pasient;\n"  # unknown participant type
        "Rolf Rolle;rolf@example.no;HJ1;;sjef\n"  # unknown role
        "Dag Tvetydig;dag@example.no;Avdeling X;;\n"  # ambiguous unit name
        ";navnløs@example.no;HJ1;;\n"  # missing name
    )
    response = upload(admin_client, text)
    preview = response.context["preview"]
    errors = {row.line: " ".join(row.errors) for row in preview.rows if row.errors}
    assert set(errors) == {3, 4, 5, 6, 7, 8, 9}
    assert "Ugyldig e-postadresse" in errors[3]
    assert "Ukjent enhet «Finnes ikke»" in errors[4]
    assert "linje 2" in errors[5]
    assert "Ukjent deltakertype" in errors[6]
    assert "Ukjent rolle" in errors[7]
    assert "Flere enheter heter" in errors[8]
    assert "Navn mangler" in errors[9]
    assert (
        "Importer"
        not in response.content.decode().split("Forhåndsvisning")[1].split("Last opp en annen fil")[0]
    )

    # A forged confirm with the bad file imports nothing either.
    response = admin_client.post(
        reverse("people_staff_import"), {"step": "import", "kind": "staff", "csv_text": text}, follow=True
    )
    assert "Ingenting er importert" in response.content.decode()
    assert not User.objects.filter(email="kari@example.no").exists()
    assert not Membership.objects.exists()


def test_wrong_encoding_gets_a_clear_message(admin_client, ward):
    response = upload(admin_client, GOOD.replace("Kari", "Kåre").encode("cp1252"))
    assert "ikke UTF-8" in response.content.decode()
    assert not User.objects.filter(email="kari@example.no").exists()


def test_missing_columns_and_empty_file(admin_client, ward):
    assert "mangler kolonnene" in upload(admin_client, "navn;enhet\nKari;HJ1\n").content.decode()
    assert "tom" in upload(admin_client, "").content.decode()


def test_unit_import_builds_a_tree(admin_client):
    text = (
        "navn;type;overordnet;kode\n"
        "Helse Nord;Helseforetak;;HN\nKlinikk 1;klinikk;HN;K1\nAvdeling 1;avdeling;K1;\n"
    )
    response = upload(admin_client, text, kind="units")
    assert response.context["preview"].is_valid
    admin_client.post(
        reverse("people_staff_import"),
        {"step": "import", "kind": "units", "csv_text": response.context["csv_text"]},
    )
    ward = OrganisationUnit.objects.get(name="Avdeling 1")
    assert ward.parent.code == "K1" and ward.parent.parent.code == "HN"
    assert ward.depth == 3


def test_only_administrators_import(client, ward):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(reverse("people_staff_import")).status_code in (302, 403)
    assert importing.staff_preview(GOOD).is_valid  # the parser itself is fine
