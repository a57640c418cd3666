"""Read the statements kept so far again as h5p.xapi.statement_parse reads new ones.

0007's backfill found sub-content only in the object id's query (?subContentId=) and never filled
the title; the live parser also reads H5P's h5p-subContentId extension of the object definition
and keeps the question's title for parts. The logic below is copied from h5p.xapi as it is now (a
migration must not import code that may change later); keep the two consistent. Results whose
statements turn out to be parts have their attempts counted again, as 0007 counted them.
"""

from urllib.parse import parse_qs, urlsplit

from django.db import migrations, models
from django.db.models.functions import Coalesce

SUB_CONTENT_EXTENSION = "http://h5p.org/x-api/h5p-subContentId"
MAX_SUB_CONTENT_ID = 64
MAX_TITLE = 255
FIELDS = ["top_level", "sub_content_id", "parent_sub_content_id", "success", "title"]


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _sub_content_id(iri) -> str:
    try:
        values = parse_qs(urlsplit(str(iri)).query).get("subContentId") or [""]
    except ValueError:
        return ""
    return values[0][:MAX_SUB_CONTENT_ID]


def _title(obj: dict) -> str:
    definition = obj.get("definition")
    if not isinstance(definition, dict):
        return ""
    for key in ("name", "description"):
        texts = definition.get(key)
        if isinstance(texts, dict):
            for text in texts.values():
                if isinstance(text, str) and text.strip():
                    return " ".join(text.split())[:MAX_TITLE]
    return ""


def _parent_sub_content_id(activities: dict):
    parents = activities.get("parent")
    if not parents:
        return None
    first = parents[0] if isinstance(parents, list) else parents
    parent_id = first.get("id") if isinstance(first, dict) else None
    return _sub_content_id(parent_id) if isinstance(parent_id, str) else ""


def parts_of(statement) -> dict:
    """The fields statement_parse derives from where the statement sits in compound content."""
    statement = _dict(statement)
    obj = _dict(statement.get("object"))
    object_id = str(obj.get("id", ""))
    activities = _dict(_dict(statement.get("context")).get("contextActivities"))
    extensions = _dict(_dict(obj.get("definition")).get("extensions"))
    named = extensions.get(SUB_CONTENT_EXTENSION)
    sub_content_id = _sub_content_id(object_id) or (str(named)[:MAX_SUB_CONTENT_ID] if named else "")
    parent = _parent_sub_content_id(activities)
    top_level = not sub_content_id and "subContentId=" not in object_id and parent is None
    success = _dict(statement.get("result")).get("success")
    return {
        "top_level": top_level,
        "sub_content_id": sub_content_id,
        "parent_sub_content_id": None if top_level else (parent or ""),
        "success": success if isinstance(success, bool) else None,
        "title": "" if top_level else _title(obj),
    }


def read_statements_again(apps, schema_editor):
    H5PStatement = apps.get_model("h5p", "H5PStatement")
    H5PResult = apps.get_model("h5p", "H5PResult")
    changed, recount = [], set()
    for row in H5PStatement.objects.only("pk", "result_id", "statement", *FIELDS).iterator(chunk_size=1000):
        fields = parts_of(row.statement)
        if all(getattr(row, name) == value for name, value in fields.items()):
            continue
        if row.top_level != fields["top_level"]:
            recount.add(row.result_id)
        for name, value in fields.items():
            setattr(row, name, value)
        changed.append(row)
        if len(changed) >= 1000:
            H5PStatement.objects.bulk_update(changed, FIELDS)
            changed = []
    if changed:
        H5PStatement.objects.bulk_update(changed, FIELDS)
    if recount:
        answers = (
            H5PStatement.objects.filter(result=models.OuterRef("pk"), top_level=True, score_raw__isnull=False)
            .filter(models.Q(verb__endswith="/answered") | models.Q(verb__endswith="/completed"))
            .order_by()
            .values("result")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        H5PResult.objects.filter(pk__in=recount, answered_at__isnull=False).update(
            attempts=Coalesce(models.Subquery(answers), 0)
        )


class Migration(migrations.Migration):
    dependencies = [("h5p", "0009_results_of_the_current_content")]

    operations = [migrations.RunPython(read_statements_again, migrations.RunPython.noop)]
