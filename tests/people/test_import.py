"""Import of units and staff from CSV or Excel: each bad row reported, nothing written on error, the
people written in bulk and their required learning re-checked by one job after commit."""

from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
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


# --- Excel (.xlsx) ---------------------------------------------------------------------------------


def xlsx(rows) -> bytes:
    """A workbook as Excel saves it: real numbers and dates in the cells, a header row first."""
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Ansatte"
    for row in rows:
        sheet.append(row)
    for cell in sheet["F"][1:]:
        cell.number_format = "DD.MM.YYYY"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload_file(admin_client, data: bytes, name: str, kind="staff"):
    return admin_client.post(
        reverse("people_staff_import"), {"kind": kind, "file": SimpleUploadedFile(name, data)}
    )


def test_an_excel_workbook_with_numbers_and_dates_imports(admin_client, ward):
    make_unit("Kirurgen", parent=ward.parent, code="101")  # a numeric code: Excel stores it as a number
    data = xlsx(
        [
            ["Navn", "E-post", "Enhet", "Deltakertype", "Rolle", "Startdato"],
            ["Kari Nordmann", "Kari@Example.no", "HJ1", "helsepersonell", None, date(2026, 2, 1)],
            ["Per Kirurg", "per@example.no", 101, "Helsepersonell", "leder", datetime(2025, 8, 15)],
            [None, None, None, None, None, None],  # an empty row Excel kept
            [
                "Anne Bruker",
                "anne@example.no",
                "Hjerteavdelingen",
                "brukerrepresentant",
                "medlem",
                "01.03.2026",
            ],
        ]
    )
    response = upload_file(admin_client, data, "ansatte.xlsx")
    preview = response.context["preview"]
    assert preview.is_valid, [row.errors for row in preview.rows]
    assert [row.line for row in preview.rows] == [2, 3, 5]
    assert preview.rows[1].cells[2] == "101" and preview.rows[1].cells[5] == "15.08.2025"
    assert not User.objects.filter(email="kari@example.no").exists()

    response = admin_client.post(
        reverse("people_staff_import"),
        {"step": "import", "kind": "staff", "csv_text": response.context["csv_text"]},
    )
    assert response.status_code == 302
    per = Membership.objects.get(user__email="per@example.no")
    assert (per.unit.code, per.role, str(per.joined_at)) == ("101", "manager", "2025-08-15")
    assert str(Membership.objects.get(user__email="kari@example.no").joined_at) == "2026-02-01"
    assert str(Membership.objects.get(user__email="anne@example.no").joined_at) == "2026-03-01"


def test_an_excel_workbook_with_bad_rows_gets_messages_per_row(admin_client, ward):
    data = xlsx(
        [
            ["navn", "e-post", "enhet", "startdato"],
            ["Kari Nordmann", "kari@example.no", "HJ1", 45000.5],  # a number where a date belongs
            ["Per Feil", "ikke-en-adresse", "HJ1", None],
            ["Lise Ukjent", "lise@example.no", 999, None],
        ]
    )
    preview = upload_file(admin_client, data, "ansatte.xlsx").context["preview"]
    errors = {row.line: " ".join(row.errors) for row in preview.rows}
    assert "Ugyldig startdato «45000.5»" in errors[2]
    assert "Ugyldig e-postadresse «ikke-en-adresse»" in errors[3]
    assert "Ukjent enhet «999»" in errors[4]
    assert not preview.is_valid and not User.objects.filter(is_superuser=False).exists()


def test_a_unit_workbook_imports(admin_client):
    data = xlsx(
        [
            ["navn", "type", "overordnet", "kode"],
            ["Helse Nord", "hf", None, 10],
            ["Klinikk 1", "klinikk", 10, "K1"],
        ]
    )
    response = upload_file(admin_client, data, "enheter.xlsx", kind="units")
    assert response.context["preview"].is_valid
    admin_client.post(
        reverse("people_staff_import"),
        {"step": "import", "kind": "units", "csv_text": response.context["csv_text"]},
    )
    assert OrganisationUnit.objects.get(name="Klinikk 1").parent.code == "10"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "verken en CSV-fil eller et Excel-regneark"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "verken en CSV-fil eller et Excel-regneark"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "eldre Excel-fil (.xls)"),
        ("navn;e-post;enhet\r\nKari;kari@example.no;HJ1\r\n".encode("utf-16"), "Unicode-tekst"),
        (b"PK\x03\x04 not really a zip archive at all", "kan ikke leses som et Excel-regneark"),
        ("truncated", "kan ikke leses som et Excel-regneark"),
        ("word", "verken en CSV-fil eller et Excel-regneark"),
        (
            b"navn;e-post;enhet\nKari;kari@example.no;HJ1;ekstra;felt\n",
            "Linje 2 har flere felt enn overskriften",
        ),
    ],
)
def test_malformed_and_non_spreadsheet_uploads_get_a_clear_message(admin_client, ward, data, message):
    import io
    import zipfile

    if data == "truncated":
        whole = xlsx([["navn", "e-post", "enhet"], ["Kari", "kari@example.no", "HJ1"]])
        data = whole[: len(whole) // 2]
    elif data == "word":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("word/document.xml", "<w:document/>")
        data = buffer.getvalue()
    response = upload_file(admin_client, data, "ansatte.xlsx")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context.get("preview") is None
    assert not User.objects.filter(is_superuser=False).exists()


# --- Bulk writes and required learning ----------------------------------------------------------------


def staff_csv(count: int, unit_code="HJ1") -> str:
    lines = ["navn;e-post;enhet;startdato"]
    lines += [f"Ansatt {n};ansatt{n}@example.no;{unit_code};01.0{1 + n % 9}.2026" for n in range(count)]
    return "\r\n".join(lines) + "\r\n"


def test_import_writes_in_bulk_and_queues_one_required_learning_job(
    admin_client,
    admin_user,
    ward,
    catalogue,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    from requirements.models import RequiredLearning, SyncJob
    from requirements.services import assignment_create
    from tests.factories import make_course

    first, second = make_course(catalogue, title="Hygiene"), make_course(catalogue, title="Kommunikasjon")
    assignment_create(by=None, course=first, unit=ward.parent, due_date=date(2026, 12, 31))
    assignment_create(by=None, course=second, unit=ward, due_days=30)

    def import_rows(count: int):
        with django_capture_on_commit_callbacks(execute=True), CaptureQueriesContext(connection) as captured:
            response = admin_client.post(
                reverse("people_staff_import"),
                {"step": "import", "kind": "staff", "csv_text": staff_csv(count)},
            )
        return response, len(captured)

    response, few = import_rows(3)
    job = SyncJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("requirements_sync_job", args=[job.pk])
    assert (job.kind, job.started_by, job.total, job.status) == ("import", admin_user, 3, "done")
    assert RequiredLearning.objects.count() == 6
    kari = RequiredLearning.objects.get(user__email="ansatt1@example.no", course=second)
    assert str(kari.due_date) == "2026-03-03"  # 30 days after the start date in the file

    Membership.objects.all().delete()
    RequiredLearning.objects.all().delete()
    User.objects.filter(is_superuser=False).delete()
    _response, many = import_rows(40)
    assert RequiredLearning.objects.count() == 80
    assert many == few  # the same statements however many rows (no per-row receivers)

    page = admin_client.get(response.url).content.decode()
    assert "Importert: 3 nye personer og 3 nye medlemskap." in page
    assert "Import av ansatte" in page and "Ferdig" in page


def test_imported_memberships_are_in_wagtails_reference_index(
    admin_client, ward, django_capture_on_commit_callbacks
):
    from django.db import transaction
    from wagtail.models import ReferenceIndex

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("people_staff_import"), {"step": "import", "kind": "staff", "csv_text": staff_csv(2)}
        )
    columns = ("content_type", "base_content_type", "object_id", "to_content_type", "to_object_id")
    columns += ("model_path", "content_path", "content_path_hash")
    of_memberships = ReferenceIndex.objects.filter(content_type__model="membership")
    by_import = sorted(of_memberships.values_list(*columns))
    with transaction.atomic():
        for membership in Membership.objects.all():  # what Wagtail's own handler records
            ReferenceIndex.create_or_update_for_object(membership)
    assert sorted(of_memberships.values_list(*columns)) == by_import
    assert len(by_import) == 4  # each membership: its person and its unit
    assert ReferenceIndex.get_references_to(ward).count() == 2


def test_someone_importing_the_same_people_at_the_same_time(admin_client, ward, monkeypatch):
    bulk_create = Membership.objects.bulk_create

    def meanwhile(memberships, **kwargs):
        # Another import committed the same membership after this one had checked.
        Membership.objects.create(
            user=memberships[0].user, unit=ward, role="member", joined_at=date(2026, 1, 1)
        )
        return bulk_create(memberships, **kwargs)

    monkeypatch.setattr(Membership.objects, "bulk_create", meanwhile)
    response = admin_client.post(
        reverse("people_staff_import"), {"step": "import", "kind": "staff", "csv_text": staff_csv(2)}
    )
    assert "prøv igjen" in response.content.decode()
    assert not Membership.objects.exists() and not User.objects.filter(email="ansatt1@example.no").exists()


def test_each_row_is_checked_by_a_form():
    from people.forms import StaffRowForm

    class Units:
        by_code = {}

        def find(self, reference):
            return (None, f"Ukjent enhet «{reference}».") if reference != "HJ1" else (object(), None)

    form = StaffRowForm(
        {
            "name": "x" * 151 + " Nordmann",
            "email": "",
            "unit": "HJ2",
            "role": "sjef",
            "joined_at": "31.02.2026",
        },
        units=Units(),
    )
    assert not form.is_valid()
    assert form.messages() == [
        "Navnet er for langt (høyst 150 tegn for fornavn og for etternavn).",
        "E-postadresse mangler.",
        "Ukjent enhet «HJ2».",
        "Ukjent rolle «sjef» (bruk medlem, leder eller rapportør).",
        "Ugyldig startdato «31.02.2026» (bruk dd.mm.åååå).",
    ]


def test_values_longer_than_their_database_columns_are_errors_at_their_rows(admin_client, ward):
    """Every cell that lands in a limited column is measured in the preview: the import must never
    get as far as the database (where PostgreSQL would refuse it with a server error)."""
    email_limit = User._meta.get_field("email").max_length
    long_email = "a" * 64 + "@" + ("b" * 60 + ".") * 3 + "c" * (email_limit - 64 - 1 - 183 + 1) + ".no"
    assert len(long_email) > email_limit
    text = (
        "navn;e-post;enhet\n"
        "Kari Nordmann;kari@example.no;HJ1\n"  # fine
        f"{'F' * 151} Nordmann;fornavn@example.no;HJ1\n"  # first name over 150
        f"Kari {'E' * 151};etternavn@example.no;HJ1\n"  # last name over 150
        f"Per Lang;{long_email};HJ1\n"  # e-mail over 254
    )
    response = upload(admin_client, text)
    assert response.status_code == 200
    preview = response.context["preview"]
    errors = {row.line: " ".join(row.errors) for row in preview.rows if row.errors}
    assert errors == {
        3: "Navnet er for langt (høyst 150 tegn for fornavn og for etternavn).",
        4: "Navnet er for langt (høyst 150 tegn for fornavn og for etternavn).",
        5: f"E-postadressen er for lang (høyst {email_limit} tegn).",
    }
    html = response.content.decode()
    assert "3 rader har feil. Ingenting blir importert" in html
    assert f"<strong>Feil:</strong> E-postadressen er for lang (høyst {email_limit} tegn)." in html

    response = admin_client.post(
        reverse("people_staff_import"), {"step": "import", "kind": "staff", "csv_text": text}, follow=True
    )
    assert response.status_code == 200
    assert "Ingenting er importert" in response.content.decode()
    assert not User.objects.filter(email__in=["kari@example.no", "fornavn@example.no"]).exists()
    assert not Membership.objects.exists()


def test_unit_names_and_codes_longer_than_their_columns_are_errors_at_their_rows(admin_client):
    name_limit = OrganisationUnit._meta.get_field("name").max_length
    code_limit = OrganisationUnit._meta.get_field("code").max_length
    text = (
        "navn;type;overordnet;kode\n"
        "Helse Nord;;;HN\n"
        f"{'N' * (name_limit + 1)};;;\n"
        f"Kort navn;;;{'K' * (code_limit + 1)}\n"
    )
    response = upload(admin_client, text, kind="units")
    errors = {row.line: " ".join(row.errors) for row in response.context["preview"].rows if row.errors}
    assert errors == {
        3: f"Navnet er for langt (høyst {name_limit} tegn).",
        4: f"Koden er for lang (høyst {code_limit} tegn).",
    }
    response = admin_client.post(
        reverse("people_staff_import"), {"step": "import", "kind": "units", "csv_text": text}, follow=True
    )
    assert "Ingenting er importert" in response.content.decode()
    assert not OrganisationUnit.objects.exists()


def test_the_same_import_sent_twice_imports_once(admin_client, ward, django_capture_on_commit_callbacks):
    """A double click on «Importer», or the browser resending the form: the second finds everyone
    in place, writes nothing and starts no second re-check."""
    from requirements.models import SyncJob

    data = {"step": "import", "kind": "staff", "csv_text": staff_csv(5)}
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("people_staff_import"), data)
    people, memberships = User.objects.count(), Membership.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("people_staff_import"), data, follow=True)
    assert (User.objects.count(), Membership.objects.count()) == (people, memberships)
    assert SyncJob.objects.count() == 1
    assert "Importert: 0 nye personer og 0 nye medlemskap." in response.content.decode()
