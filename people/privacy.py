"""The personal-data registry: how the apps above people add their part of a person's «Mine data».

people sits low in the layers and cannot read courses', assessments' or certificates' tables, so
each app tells it, from its AppConfig.ready(), how to collect what it holds about a person:

    from people.privacy import register_personal_data
    register_personal_data("enrolments", title=_("Påmeldinger"), collect=collect_enrolments, order=20)

`collect(user)` returns a list of records (dicts of plain values: text, numbers, booleans, dates,
lists, dicts), written as they are to the export's JSON and shown as tables in its HTML.

For erasing, the apps listen to people.signals.user_anonymising (sent inside the anonymising
transaction, while the user row still has its name and e-mail) and erase or blank their own
tables. people then blanks the user row itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Records = list[dict]


@dataclass(frozen=True)
class PersonalDataSection:
    key: str
    title: str
    collect: Callable[[object], Records]
    order: int = 100
    description: str = ""


_sections: dict[str, PersonalDataSection] = {}


def register_personal_data(
    key: str, *, title, collect: Callable[[object], Records], order: int = 100, description=""
) -> PersonalDataSection:
    """Add a section of the export (from an AppConfig.ready()); registering a key twice is an error."""
    existing = _sections.get(key)
    if existing is not None and existing.collect is not collect:
        raise ValueError(f"A personal-data section named {key!r} is already registered.")
    section = PersonalDataSection(key=key, title=title, collect=collect, order=order, description=description)
    _sections[key] = section
    return section


def personal_data_sections() -> list[PersonalDataSection]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.key))


def anonymous_email(user_id: int) -> str:
    """The address an anonymised account keeps: unique, and of a domain that can never receive mail."""
    return f"slettet-{user_id}@anonymisert.invalid"
