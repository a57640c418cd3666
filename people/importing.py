"""Import of units and staff from CSV or Excel (.xlsx), as Norwegian users export them.

Files are read through tablib, so a CSV file and an Excel workbook (its active sheet) give the
same rows. CSV: UTF-8 with or without a byte-order mark, semicolon or comma separators, Windows
or Unix line endings. Excel: numbers and dates may be real cells. Column names may be Norwegian
or English, in any order. Each row is checked by a form (people.forms.StaffRowForm or
UnitRowForm), then against the other rows; one bad row means nothing is imported, and each bad
row gets its own message.

    Staff:  navn; e-post; enhet; deltakertype; rolle; startdato (the last three optional)
    Units:  navn; type; overordnet; kode (the last three optional)

`enhet`/`overordnet` name a unit by its code or by its (unique) name.

The staff import writes people and memberships in bulk (no post_save per row) and then sends
people.signals.memberships_imported, so apps above people (required learning) catch up in bulk.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

import tablib
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from tablib.exceptions import InvalidDimensions
from wagtail.models import ReferenceIndex

from .forms import StaffRowForm, UnitRowForm, split_name
from .models import Membership, OrganisationUnit, User
from .signals import memberships_imported

MAX_ROWS = 20_000
# An .xlsx file is a zip archive: refuse one that unpacks to far more than a staff list needs.
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024

STAFF_COLUMNS = {
    "name": ("navn", "name", "fullt navn"),
    "email": ("e-post", "epost", "e-postadresse", "email", "e-mail"),
    "unit": ("enhet", "enhetskode", "unit"),
    "participant_type": ("deltakertype", "participant type", "type"),
    "role": ("rolle", "role"),
    "joined_at": ("startdato", "start", "joined"),
}
STAFF_REQUIRED = ("name", "email", "unit")
UNIT_COLUMNS = {
    "name": ("navn", "name", "enhet"),
    "unit_type": ("type", "enhetstype"),
    "parent": ("overordnet", "overordnet enhet", "parent"),
    "code": ("kode", "code", "enhetskode"),
}
UNIT_REQUIRED = ("name",)

XLSX_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected .xlsx
OTHER_SIGNATURES = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")


class ImportFileError(ValueError):
    """The file as a whole cannot be read (format, encoding, missing columns, empty)."""


@dataclass
class ImportRow:
    line: int
    values: dict[str, str]
    cells: list[str] = field(default_factory=list)  # the line as read, for the preview
    errors: list[str] = field(default_factory=list)
    action: str = ""  # what importing it will do, for the preview
    cleaned: dict = field(default_factory=dict, repr=False)  # the row form's cleaned data


@dataclass
class ImportPreview:
    kind: str
    rows: list[ImportRow]
    text: str = ""  # the rows as CSV (whatever was uploaded), sent back with «Importer»

    @property
    def errors(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.errors


@dataclass
class StaffImportResult:
    people_created: int
    memberships_created: int
    # (label, url) pairs from memberships_imported's receivers: where their follow-up work shows.
    follow_ups: list[tuple[str, str]] = field(default_factory=list)


# --- Reading a file -------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("Filen er ikke UTF-8. I Excel: Lagre som → «CSV UTF-8 (kommadelt)», og last opp på nytt.")
        ) from None


def _not_a_spreadsheet() -> ImportFileError:
    return ImportFileError(
        _("Filen er verken en CSV-fil eller et Excel-regneark (.xlsx). Last opp en av delene.")
    )


def read_dataset(source: bytes | str) -> tablib.Dataset:
    """The file's rows (header first) as a tablib Dataset, whether it is CSV or Excel (.xlsx)."""
    if isinstance(source, str):
        return _read_csv(source)
    if source.startswith(XLSX_SIGNATURE):
        return _read_xlsx(source)
    if source.startswith(OLE_SIGNATURE):
        raise ImportFileError(
            _(
                "Dette er en eldre Excel-fil (.xls) eller en passordbeskyttet fil. Lagre den som "
                "«Excel-arbeidsbok (.xlsx)» eller «CSV UTF-8 (kommadelt)», og last opp på nytt."
            )
        )
    if source.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError(
            _(
                "Filen er lagret som «Unicode-tekst» (UTF-16). I Excel: Lagre som → "
                "«CSV UTF-8 (kommadelt)», og last opp på nytt."
            )
        )
    if source.startswith(OTHER_SIGNATURES) or b"\x00" in source[:8192]:
        raise _not_a_spreadsheet()
    return _read_csv(decode(source))


def _read_csv(text: str) -> tablib.Dataset:
    text = text.removeprefix("\ufeff")
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ImportFileError(_("Filen er tom."))
    # Excel writes semicolons where the decimal mark is a comma (as in Norway), commas elsewhere.
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    try:
        return tablib.Dataset().load(text, format="csv", delimiter=delimiter, headers=False)
    except csv.Error as error:
        raise ImportFileError(_("Filen kan ikke leses som CSV (%(error)s).") % {"error": error}) from None
    except InvalidDimensions:
        raise _too_wide(text, delimiter) from None


def _too_wide(text: str, delimiter: str) -> ImportFileError:
    """Which line has more cells than the header (tablib only says that one has)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    width = len(next(reader))
    line = next((n for n, cells in enumerate(reader, start=2) if len(cells) > width), None)
    return ImportFileError(
        _("Linje %(line)s har flere felt enn overskriften. Sjekk skilletegnet. Ingenting er lest inn.")
        % {"line": line}
    )


def _read_xlsx(data: bytes) -> tablib.Dataset:
    unreadable = ImportFileError(
        _(
            "Filen kan ikke leses som et Excel-regneark (.xlsx). Åpne den i Excel og lagre den på nytt "
            "som «Excel-arbeidsbok (.xlsx)» eller «CSV UTF-8 (kommadelt)»."
        )
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise _not_a_spreadsheet()  # another zip: a Word file, an OpenDocument sheet, …
            if sum(member.file_size for member in archive.infolist()) > MAX_XLSX_UNPACKED_BYTES:
                raise ImportFileError(_("Regnearket er for stort. Del det opp i flere filer."))
    except zipfile.BadZipFile:
        raise unreadable from None
    try:
        return tablib.Dataset().load(data, format="xlsx", headers=False)
    except InvalidDimensions:
        raise ImportFileError(
            _("Regnearket har rader med flere celler enn overskriften. Fjern cellene til høyre for tabellen.")
        ) from None
    except Exception:  # openpyxl raises many kinds of errors on a damaged workbook
        raise unreadable from None


def _cell_text(value) -> str:
    """A cell as the text a person would type: Excel numbers and dates become «42» and «01.02.2026»."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0):
            value = value.date()
        else:
            return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read(
    source: bytes | str, columns: dict[str, tuple[str, ...]], required: tuple[str, ...]
) -> tuple[list[ImportRow], str]:
    """Rows under the header, as ImportRows keyed by column, and the whole sheet as CSV text."""
    dataset = read_dataset(source)
    table = [[_cell_text(value) for value in row] for row in dataset]
    if not table or not any(table[0]):
        raise ImportFileError(_("Filen er tom."))
    header = [cell.lower() for cell in table[0]]
    index = {}
    for key, names in columns.items():
        for position, name in enumerate(header):
            if name in names and key not in index:
                index[key] = position
    missing = [columns[key][0] for key in required if key not in index]
    if missing:
        raise ImportFileError(
            _("Filen mangler kolonnene: %(columns)s. Første linje må være kolonnenavn.")
            % {"columns": ", ".join(missing)}
        )
    rows = []
    for line_number, cells in enumerate(table[1:], start=2):
        if not any(cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(_("Filen har mer enn %(max)s rader. Del den opp.") % {"max": MAX_ROWS})
        values = {key: cells[position] for key, position in index.items()}
        rows.append(ImportRow(line=line_number, values=values, cells=cells))
    if not rows:
        raise ImportFileError(_("Filen har ingen rader under overskriften."))
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(table)
    return rows, out.getvalue()


class _UnitLookup:
    """Units by code or by unique name, including units the same file creates."""

    def __init__(self):
        self.by_code = {}
        self.by_name: dict[str, list] = {}
        for unit in OrganisationUnit.objects.all():
            self.add(unit.name, unit.code, unit)

    def add(self, name: str, code: str | None, unit):
        if code:
            self.by_code[code.lower()] = unit
        self.by_name.setdefault(name.lower(), []).append(unit)

    def find(self, reference: str):
        """(unit, error): the unit, or a message saying why it could not be found."""
        key = reference.lower()
        if key in self.by_code:
            return self.by_code[key], None
        matches = self.by_name.get(key, [])
        if len(matches) == 1:
            return matches[0], None
        if matches:
            return None, _("Flere enheter heter «%(unit)s». Bruk enhetens kode.") % {"unit": reference}
        return None, _("Ukjent enhet «%(unit)s».") % {"unit": reference}


# --- Staff -----------------------------------------------------------------------------------------


def staff_preview(source: bytes | str) -> ImportPreview:
    """Read and check a staff file; nothing is written."""
    rows, text = _read(source, STAFF_COLUMNS, STAFF_REQUIRED)
    units = _UnitLookup()
    emails = {row.values["email"].lower() for row in rows}
    existing_users = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    existing_memberships = set(
        Membership.objects.filter(user__email__in=existing_users).values_list(
            "user__email", "unit_id", "role"
        )
    )
    seen: dict[tuple, int] = {}
    names: dict[str, tuple[str, int]] = {}
    existing_person, new_person = _("finnes"), _("ny person")
    already_member, becomes_member = _("er allerede i enheten"), _("legges til")
    for row in rows:
        form = StaffRowForm(row.values, units=units)
        valid = form.is_valid()
        row.errors.extend(form.messages())
        email = form.cleaned_data.get("email") or row.values["email"].lower()
        unit, role = form.cleaned_data.get("unit"), form.cleaned_data.get("role")
        if unit is not None and role is not None:
            key = (email, unit.pk, role)
            if key in seen:
                row.errors.append(
                    _("E-postadressen står allerede med samme enhet og rolle på linje %(line)s.")
                    % {"line": seen[key]}
                )
            seen.setdefault(key, row.line)
        name = row.values["name"]
        if email in names and names[email][0] != name:
            row.errors.append(
                _("E-postadressen står med et annet navn på linje %(line)s.") % {"line": names[email][1]}
            )
        names.setdefault(email, (name, row.line))
        if valid and not row.errors:
            row.cleaned = form.cleaned_data
            person = existing_person if email in existing_users else new_person
            membership = already_member if (email, unit.pk, role) in existing_memberships else becomes_member
            row.action = f"{person}, {membership}"
    return ImportPreview(kind="staff", rows=rows, text=text)


def staff_import(source: bytes | str, *, by=None) -> StaffImportResult:
    """Import staff: new people, and memberships for everyone in the file. All or nothing.

    People and memberships are written in bulk; memberships_imported is sent inside the
    transaction so receivers (required learning) can queue their follow-up for after it commits.
    """
    try:
        with transaction.atomic():
            preview = staff_preview(source)
            if not preview.is_valid:
                raise ImportFileError(_("Filen har feil. Ingenting er importert."))
            return _staff_write(preview, by=by)
    except IntegrityError:
        # Someone else created the same people or memberships between the preview and now.
        raise ImportFileError(
            _("Noen andre endret de samme personene samtidig. Ingenting er importert; prøv igjen.")
        ) from None


def _staff_write(preview: ImportPreview, *, by) -> StaffImportResult:
    rows = [row.cleaned for row in preview.rows]
    users = {u.email: u for u in User.objects.filter(email__in={row["email"] for row in rows})}
    new_users = []
    for row in rows:
        if row["email"] in users:
            continue  # an existing person keeps their name and type; only memberships are added
        first, last = split_name(row["name"])
        user = User(
            email=row["email"],
            first_name=first,
            last_name=last,
            participant_type=row["participant_type"],
            password=make_password(None),  # unusable: they choose one with «Glemt passord»
        )
        users[user.email] = user
        new_users.append(user)
    User.objects.bulk_create(new_users, batch_size=1000)
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, primary=True, verified=False) for user in new_users],
        batch_size=1000,
    )
    existing = set(
        Membership.objects.filter(user_id__in=[u.pk for u in users.values()]).values_list(
            "user_id", "unit_id", "role"
        )
    )
    new_memberships = []
    for row in rows:
        key = (users[row["email"]].pk, row["unit"].pk, row["role"])
        if key in existing:
            continue
        existing.add(key)
        new_memberships.append(
            Membership(
                user=users[row["email"]], unit=row["unit"], role=row["role"], joined_at=row["joined_at"]
            )
        )
    # bulk_create sends no post_save: nothing is re-checked row by row; memberships_imported below.
    Membership.objects.bulk_create(new_memberships, batch_size=1000)
    _index_references(new_memberships)
    responses = memberships_imported.send(
        sender=Membership, user_ids=sorted({m.user_id for m in new_memberships}), by=by
    )
    return StaffImportResult(
        people_created=len(new_users),
        memberships_created=len(new_memberships),
        follow_ups=[response for _receiver, response in responses if response],
    )


def _index_references(objects: list) -> None:
    """Record new objects in Wagtail's reference index in one INSERT, as its post_save handler would
    one by one (so the admin's «used by» counts for units stay right).

    The index holds one row per foreign key to another model (Wagtail's rule for plain models such
    as Membership: no StreamFields, no child relations); tests compare it with Wagtail's own rows.
    """
    if not objects:
        return
    model = type(objects[0])
    if not ReferenceIndex.is_indexed(model):
        return
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    base_content_type = ReferenceIndex._get_base_content_type(model)
    foreign_keys = [
        (field, ReferenceIndex._get_base_content_type(field.related_model).pk)
        for field in model._meta.get_fields()
        if field.many_to_one
        and field.concrete
        and not getattr(field, "wagtail_reference_index_ignore", False)
        and not getattr(field.related_model, "wagtail_reference_index_ignore", False)
    ]
    path_hashes = {
        field.name: ReferenceIndex._get_content_path_hash(field.name) for field, _ct in foreign_keys
    }
    ReferenceIndex.objects.bulk_create(
        [
            ReferenceIndex(
                content_type=content_type,
                base_content_type=base_content_type,
                object_id=str(obj.pk),
                to_content_type_id=to_content_type_id,
                to_object_id=str(getattr(obj, field.attname)),
                model_path=field.name,
                content_path=field.name,
                content_path_hash=path_hashes[field.name],
            )
            for obj in objects
            for field, to_content_type_id in foreign_keys
            if getattr(obj, field.attname) is not None
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )


# --- Units -----------------------------------------------------------------------------------------


def units_preview(source: bytes | str) -> ImportPreview:
    """Read and check a units file; nothing is written."""
    rows, text = _read(source, UNIT_COLUMNS, UNIT_REQUIRED)
    units = _UnitLookup()
    for row in rows:
        form = UnitRowForm(row.values, units=units)
        if form.is_valid():
            row.cleaned = form.cleaned_data
            # Later rows may name it as their parent.
            units.add(form.cleaned_data["name"], form.cleaned_data["code"], object())
            row.action = _("ny enhet")
        else:
            row.errors.extend(form.messages())
    return ImportPreview(kind="units", rows=rows, text=text)


@transaction.atomic
def units_import(source: bytes | str) -> int:
    """Import units (parents before their children, as in the file). All or nothing."""
    preview = units_preview(source)
    if not preview.is_valid:
        raise ImportFileError(_("Filen har feil. Ingenting er importert."))
    units = _UnitLookup()
    for row in preview.rows:
        parent = units.find(row.values["parent"])[0] if row.values.get("parent") else None
        unit = OrganisationUnit.objects.create(
            name=row.cleaned["name"],
            unit_type=row.cleaned["unit_type"],
            code=row.cleaned["code"],
            parent=parent,
        )
        units.add(unit.name, unit.code, unit)
    return len(preview.rows)
