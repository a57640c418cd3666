"""h5p 0010 reads kept statements as the live parser (h5p.xapi.statement_parse) reads new ones."""

import copy
import importlib

import pytest

from h5p.models import H5PResult, H5PStatement
from h5p.xapi import statement_parse
from tests.h5p import compound

migration = importlib.import_module("h5p.migrations.0010_statement_parts_as_the_live_parser")

URL = "http://testserver/h5p/1/blokk/"


def extension_only(data: dict) -> dict:
    """The sub-content named only by H5P's h5p-subContentId extension (the object id bare)."""
    data = copy.deepcopy(data)
    data["object"]["id"] = URL
    return data


STATEMENTS = [
    *compound.question_set(URL, [("Hva er mestring?", 1, 1), ("Hva er helsekompetanse?", 0, 1)]),
    *compound.course_presentation(URL, [[("Lysbilde 1", 1, 1)], [("Lysbilde 2", 0, 2)]], summary=False),
    *compound.interactive_video(URL, [("Stopp 1", 1, 1)]),
    *compound.column(URL, [("Luke 1", 2, 3)]),
    *compound.interactive_book(URL, [[("Kapittel 1 oppgave", 1, 1)], [("Kapittel 2 oppgave", 0, 1)]]),
    extension_only(compound._answer(URL, "Bare utvidelsen", 1, 1)),
]


@pytest.mark.parametrize("data", STATEMENTS, ids=lambda d: d["verb"]["display"]["en-US"])
def test_the_backfill_reads_each_statement_as_the_live_parser(data):
    parsed = statement_parse(compound.envelope(data), expected_object_iri=URL, learner_email="")
    assert migration.parts_of(data) == {
        "top_level": parsed.top_level,
        "sub_content_id": parsed.sub_content_id,
        "parent_sub_content_id": parsed.parent_sub_content_id,
        "success": parsed.success,
        "title": parsed.title,
    }


def test_an_extension_only_part_and_its_title_are_found():
    data = extension_only(compound._answer(URL, "Bare utvidelsen", 1, 1))
    assert migration.parts_of(data)["sub_content_id"] == compound.sub_id("Bare utvidelsen")
    assert migration.parts_of(data)["title"] == "Bare utvidelsen"
    assert migration.parts_of(data)["top_level"] is False


@pytest.mark.django_db
def test_the_backfill_marks_kept_rows_and_counts_attempts_again(user, setup, h5p_content):
    from django.apps import apps

    _course, module, block_id = setup
    result = H5PResult.objects.create(
        user=user,
        module=module,
        block_id=block_id,
        content=h5p_content,
        attempts=2,
        answered_at="2026-01-01T00:00Z",
    )
    part = extension_only(compound._answer(URL, "Bare utvidelsen", 1, 1))
    whole = compound.question_set(URL, [("Bare utvidelsen", 1, 1)])[-1]
    # As 0007 left them: the extension-only part taken for the whole, no title.
    for data in (part, whole):
        H5PStatement.objects.create(
            result=result, verb=data["verb"]["id"], score_raw=1, score_max=1, statement=data
        )
    migration.read_statements_again(apps, None)
    kept = H5PStatement.objects.get(statement__object__definition__name__isnull=False)
    assert (kept.top_level, kept.sub_content_id, kept.parent_sub_content_id, kept.title) == (
        False,
        compound.sub_id("Bare utvidelsen"),
        "",
        "Bare utvidelsen",
    )
    assert H5PResult.objects.get(pk=result.pk).attempts == 1
