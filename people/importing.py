"""CSV import of units and staff, as Norwegian users export it from Excel.

Accepted: UTF-8 with or without a byte-order mark, semicolon or comma
separators, Windows or Unix line endings, Norwegian or English column names
in any order. Every row is checked before anything is written; one bad row
means nothing is imported, and each bad row gets its own message.

    Staff:  navn; e-post; enhet; deltakertype; rolle; startdato (the last three optional)
    Units:  navn; type; overordnet; kode (the last three optional)

`enhet`/`overordnet` name a unit by its code or by its (unique) name.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Membership, OrganisationUnit, ParticipantType, Role, UnitType, User

MAX_ROWS = 20_000

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

ROLE_WORDS = {
    "": Role.MEMBER,
    "medlem": Role.MEMBER,
    "member": Role.MEMBER,
    "ansatt": Role.MEMBER,
    "leder": Role.MANAGER,
    "manager": Role.MANAGER,
    "rapportør": Role.REPORTER,
    "rapportor": Role.REPORTER,
    "reporter": Role.REPORTER,
}


class ImportFileError(ValueError):
    """The file as a whole cannot be read (encoding, missing columns, empty)."""


@dataclass
class ImportRow:
    line: int
    values: dict[str, str]
    cells: list[str] = field(default_factory=list)  # the line as read, for the preview
    errors: list[str] = field(default_factory=list)
    action: str = ""  # what importing it will do, for the preview


@dataclass
class ImportPreview:
    kind: str
    rows: list[ImportRow]

    @property
    def errors(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.errors


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("Filen er ikke UTF-8. I Excel: Lagre som → «CSV UTF-8 (kommadelt)», og last opp på nytt.")
        ) from None


def _read(text: str, columns: dict[str, tuple[str, ...]], required: tuple[str, ...]) -> list[ImportRow]:
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ImportFileError(_("Filen er tom."))
    # Excel writes semicolons where the decimal mark is a comma (as in Norway), commas elsewhere.
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    try:
        return _read_rows(text, delimiter, columns, required)
    except csv.Error as error:
        raise ImportFileError(_("Filen kan ikke leses som CSV (%(error)s).") % {"error": error}) from None


def _read_rows(text, delimiter, columns, required) -> list[ImportRow]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [cell.strip().lower() for cell in next(reader)]
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
    for line_number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(_("Filen har mer enn %(max)s rader. Del den opp.") % {"max": MAX_ROWS})
        values = {key: (cells[pos].strip() if pos < len(cells) else "") for key, pos in index.items()}
        row = ImportRow(line=line_number, values=values, cells=[cell.strip() for cell in cells])
        if len(cells) > len(header):
            row.errors.append(_("Raden har flere felt enn overskriften. Sjekk skilletegnet."))
        rows.append(row)
    if not rows:
        raise ImportFileError(_("Filen har ingen rader under overskriften."))
    return rows


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


def _parse_date(value: str) -> date | None:
    for pattern in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


def _participant_type(value: str) -> str | None:
    if not value:
        return ParticipantType.OTHER
    lowered = value.lower()
    for code, label in ParticipantType.choices:
        if lowered in (code, str(label).lower()):
            return code
    return None


def staff_preview(text: str) -> ImportPreview:
    rows = _read(text, STAFF_COLUMNS, STAFF_REQUIRED)
    units = _UnitLookup()
    existing_users = {
        u.email: u for u in User.objects.filter(email__in=[r.values["email"].lower() for r in rows])
    }
    existing_memberships = set(
        Membership.objects.filter(user__in=existing_users.values()).values_list(
            "user__email", "unit_id", "role"
        )
    )
    seen: dict[tuple, int] = {}
    names: dict[str, tuple[str, int]] = {}
    for row in rows:
        v = row.values
        email = v["email"].lower()
        if not v["name"]:
            row.errors.append(_("Navn mangler."))
        try:
            validate_email(email)
        except ValidationError:
            row.errors.append(_("Ugyldig e-postadresse «%(email)s».") % {"email": v["email"]})
        unit, unit_error = units.find(v["unit"]) if v["unit"] else (None, _("Enhet mangler."))
        if unit_error:
            row.errors.append(unit_error)
        participant_type = _participant_type(v.get("participant_type", ""))
        if participant_type is None:
            row.errors.append(
                _("Ukjent deltakertype «%(value)s» (bruk helsepersonell, brukerrepresentant eller annet).")
                % {"value": v["participant_type"]}
            )
        role = ROLE_WORDS.get(v.get("role", "").lower())
        if role is None:
            row.errors.append(
                _("Ukjent rolle «%(value)s» (bruk medlem, leder eller rapportør).") % {"value": v["role"]}
            )
        joined = _parse_date(v["joined_at"]) if v.get("joined_at") else timezone.localdate()
        if joined is None:
            row.errors.append(
                _("Ugyldig startdato «%(value)s» (bruk dd.mm.åååå).") % {"value": v["joined_at"]}
            )
        if unit is not None and role is not None:
            key = (email, unit.pk, role)
            if key in seen:
                row.errors.append(
                    _("E-postadressen står allerede med samme enhet og rolle på linje %(line)s.")
                    % {"line": seen[key]}
                )
            seen.setdefault(key, row.line)
        if email in names and names[email][0] != v["name"]:
            row.errors.append(
                _("E-postadressen står med et annet navn på linje %(line)s.") % {"line": names[email][1]}
            )
        names.setdefault(email, (v["name"], row.line))
        if not row.errors:
            v.update(
                email=email,
                unit_id=unit.pk,
                role=role,
                participant_type=participant_type,
                joined=joined.isoformat(),
            )
            person = _("ny person") if email not in existing_users else _("finnes")
            membership = (
                _("er allerede i enheten")
                if (email, unit.pk, role) in existing_memberships
                else _("legges til")
            )
            row.action = f"{person}, {membership}"
    return ImportPreview(kind="staff", rows=rows)


@transaction.atomic
def staff_import(text: str) -> tuple[int, int]:
    """Import staff; returns (people created, memberships created). Nothing is written if a row is bad."""
    preview = staff_preview(text)
    if not preview.is_valid:
        raise ImportFileError(_("Filen har feil. Ingenting er importert."))
    people_created = memberships_created = 0
    users = {u.email: u for u in User.objects.filter(email__in=[r.values["email"] for r in preview.rows])}
    from allauth.account.models import EmailAddress

    for row in preview.rows:
        v = row.values
        user = users.get(v["email"])
        if user is None:
            first, _sep, last = v["name"].rpartition(" ")
            user = User(email=v["email"], first_name=first or last, last_name=last if first else "")
            user.participant_type = v["participant_type"]
            user.set_unusable_password()  # they choose one with "Glemt passord"
            user.save()
            EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
            users[user.email] = user
            people_created += 1
        _membership, created = Membership.objects.get_or_create(
            user=user,
            unit_id=v["unit_id"],
            role=v["role"],
            defaults={"joined_at": date.fromisoformat(v["joined"])},
        )
        memberships_created += int(created)
    return people_created, memberships_created


def _unit_type(value: str) -> str | None:
    if not value:
        return UnitType.OTHER
    lowered = value.lower()
    for code, label in UnitType.choices:
        if lowered in (code, str(label).lower()):
            return code
    return None


def units_preview(text: str) -> ImportPreview:
    rows = _read(text, UNIT_COLUMNS, UNIT_REQUIRED)
    units = _UnitLookup()
    for row in rows:
        v = row.values
        if not v["name"]:
            row.errors.append(_("Navn mangler."))
        if _unit_type(v.get("unit_type", "")) is None:
            row.errors.append(_("Ukjent enhetstype «%(value)s».") % {"value": v["unit_type"]})
        code = v.get("code", "")
        if code and code.lower() in units.by_code:
            row.errors.append(_("Koden «%(code)s» er allerede i bruk.") % {"code": code})
        parent_ref = v.get("parent", "")
        if parent_ref:
            _parent, error = units.find(parent_ref)
            if error:
                row.errors.append(error)
        if not row.errors:
            units.add(v["name"], code or None, object())  # later rows may name it as their parent
            row.action = _("ny enhet")
    return ImportPreview(kind="units", rows=rows)


@transaction.atomic
def units_import(text: str) -> int:
    preview = units_preview(text)
    if not preview.is_valid:
        raise ImportFileError(_("Filen har feil. Ingenting er importert."))
    units = _UnitLookup()
    for row in preview.rows:
        v = row.values
        parent = units.find(v["parent"])[0] if v.get("parent") else None
        unit = OrganisationUnit.objects.create(
            name=v["name"],
            unit_type=_unit_type(v.get("unit_type", "")),
            code=v.get("code") or None,
            parent=parent,
        )
        units.add(unit.name, unit.code, unit)
    return len(preview.rows)
