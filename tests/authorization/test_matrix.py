"""The authorization matrix (matrix.py): every URL × every role gives the expected answer.

`test_every_route_has_an_entry` walks the URL configuration: a route of the platform's own apps
without a row, a snippet screen of a model without an entry in SNIPPETS, or a third-party route
outside the declared groups fails the build. `test_every_role_gets_the_expected_answer` then asks
each route as each role, in one world, each request inside a savepoint that is rolled back so a
permitted action (anonymising, withdrawing) does not change what the next request sees.
"""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .matrix import LOGIN, NO, OK, ROWS, SNIPPETS, THIRD_PARTY, Row
from .world import ANONYMOUS, ROLES, build_world

pytestmark = pytest.mark.django_db

OUR_APPS = (
    "core", "people", "content", "audit", "sso", "courses", "assessments", "h5p", "certificates",
    "requirements", "reports", "demo",
)  # fmt: skip
SNIPPET_NAME = re.compile(r"^wagtailsnippets_(?P<app>[a-z0-9]+)_(?P<model>[a-z0-9]+):(?P<action>[a-z_]+)$")


def routes():
    """(route, name, view module) for every URL pattern, as the URL configuration writes them."""

    def walk(patterns, prefix="", namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                view = pattern.callback
                module = getattr(getattr(view, "view_class", view), "__module__", "")
                name = f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or "")
                yield prefix + str(pattern.pattern), name, module

    return list(walk(get_resolver().url_patterns))


def snippet_rows() -> list[Row]:
    rows = []
    for route, name, _module in routes():
        match = SNIPPET_NAME.match(name)
        if not match or (match["app"], match["model"]) not in SNIPPETS:
            continue
        expect, object_key, by_action = SNIPPETS[(match["app"], match["model"])]
        takes_pk = "<int:pk>" in route or "<str:pk>" in route or "<path:pk>" in route
        rows.append(
            Row(
                route,
                by_action.get(match["action"], expect),
                path=(lambda w, name=name, key=object_key, pk=takes_pk: reverse(
                    name, kwargs={"pk": getattr(w, key).pk} if pk else {}
                )),
                why=f"snippet screen «{match['action']}»",
            )
        )
    return rows


def all_rows() -> list[Row]:
    return ROWS + snippet_rows() + [row for _, samples in THIRD_PARTY.values() for row in samples]


def test_every_route_has_an_entry():
    explicit = {row.route for row in ROWS}
    missing = []
    for route, name, module in routes():
        package = module.split(".")[0]
        snippet = SNIPPET_NAME.match(name)
        if route in explicit:
            continue
        if snippet and snippet["app"] in OUR_APPS:
            if (snippet["app"], snippet["model"]) not in SNIPPETS:
                missing.append(f"{route} (snippet {snippet['app']}.{snippet['model']}: mangler i SNIPPETS)")
            continue
        if package in OUR_APPS:
            missing.append(f"{route} ({name or 'uten navn'}, {module})")
        elif package not in THIRD_PARTY:
            missing.append(f"{route} ({module}: ingen gruppe i THIRD_PARTY)")
    heading = "Ruter uten rad i autorisasjonsmatrisen (tests/authorization/matrix.py):"
    assert not missing, heading + "\n" + "\n".join(missing)


def test_no_row_names_a_route_that_does_not_exist():
    known = {route for route, _name, _module in routes()}
    stale = sorted({row.route for row in all_rows()} - known)
    assert not stale, stale


def outcome(response, role: str, url: str) -> str:
    status = response.status_code
    if status in (301, 302, 303):
        target = response["Location"]
        if target.startswith(reverse("account_login")) or "/admin/login/" in target:
            return LOGIN if role == ANONYMOUS else NO
        if target == reverse("wagtailadmin_home") and url != target:
            return NO  # Wagtail's «Beklager, du har ikke tilgang»: back to the dashboard with a message
        return OK
    if status in (403, 404):
        return NO
    if status == 405:
        return "405"
    if status >= 500:
        return f"{status}"
    return OK  # 200 and the like, and 400 for a permitted but incomplete form post


def test_every_role_gets_the_expected_answer(settings):
    settings.PRIVILEGED_MFA_REQUIRED = True  # privileged roles sign in with a second factor, as in production
    world = build_world()
    clients = {role: world.client_for(role) for role in ROLES}
    rows = all_rows()
    wrong = []
    for row in rows:
        url = row.path(world) if row.path else reverse(_name_of(row.route), kwargs=row.kwargs(world))
        for role in ROLES:
            cache.clear()  # rate limits (verification, sign-in) are not what is being tested
            with transaction.atomic():
                client = clients[role]
                response = client.post(url, row.data(world)) if row.method == "post" else client.get(url)
                transaction.set_rollback(True)
            got, expected = outcome(response, role, url), row.expect[role]
            if got != expected:
                where = f" → {response['Location']}" if response.has_header("Location") else ""
                wrong.append(
                    f"{row.method.upper()} {url} som {role}: "
                    f"fikk {got} ({response.status_code}{where}), ventet {expected}"
                )
    assert not wrong, f"{len(wrong)} av {len(rows) * len(ROLES)} svar avviker:\n" + "\n".join(wrong)


_NAMES: dict[str, str] = {}


def _name_of(route: str) -> str:
    if not _NAMES:
        _NAMES.update({r: name for r, name, _module in routes() if name})
    return _NAMES[route]
