"""h5p's part of «Mine data» (results and the xAPI statements as received), and its erasing.

On anonymisation the results and scores stay (linked only to the nameless account); the saved
state is emptied (it can hold typed answers), and every xAPI statement loses who sent it (actor,
authority, instructor, team) and any typed answer (result.response and extensions).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from people.privacy import register_personal_data
from people.signals import user_anonymising

from .models import H5PResult, H5PStatement

ANONYMOUS_ACTOR = {"objectType": "Agent", "account": {"homePage": "urn:anonymised", "name": "anonymised"}}


def collect_results(user) -> list[dict]:
    return [
        {
            "innhold": result.content.title,
            "modul": result.module.title,
            "apnet": result.opened_at,
            "besvart": result.answered_at,
            "fullfort": result.completed_at,
            "poeng": result.score_raw,
            "maks_poeng": result.score_max,
            "beste_prosent": result.best_percent,
            "lagret_tilstand": result.state,
            "xapi_utsagn": [
                {"verb": statement.verb, "mottatt": statement.received_at, "utsagn": statement.statement}
                for statement in result.statements.all()
            ],
        }
        for result in H5PResult.objects.filter(user=user)
        .select_related("content", "module")
        .prefetch_related("statements")
        .order_by("opened_at")
    ]


def anonymised_statement(statement) -> dict:
    if not isinstance(statement, dict):
        return {}
    cleaned = {key: value for key, value in statement.items() if key not in ("actor", "authority")}
    cleaned["actor"] = ANONYMOUS_ACTOR
    context = cleaned.get("context")
    if isinstance(context, dict):
        cleaned["context"] = {k: v for k, v in context.items() if k not in ("instructor", "team")}
    result = cleaned.get("result")
    if isinstance(result, dict):
        cleaned["result"] = {k: v for k, v in result.items() if k not in ("response", "extensions")}
    return cleaned


def on_user_anonymising(sender, user, **kwargs) -> None:
    results = H5PResult.objects.filter(user=user)
    results.update(state="")
    statements = H5PStatement.objects.filter(result__in=results).only("pk", "statement")
    for statement in statements.iterator():
        statement.statement = anonymised_statement(statement.statement)
        statement.save(update_fields=["statement"])


def register() -> None:
    register_personal_data("h5p", title=_("H5P-resultater og xAPI-utsagn"), collect=collect_results, order=40)
    user_anonymising.connect(on_user_anonymising, dispatch_uid="h5p_anonymise")
