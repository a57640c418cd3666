"""Who may see whom: managers' and reporters' scopes over the organisation tree.

Every page, drill-down, export and form in reports/ gets its units and people
from here, so the scope rule lives in one place: a manager (leder) or
reporter (rapportør) of a unit sees that unit and every unit below it;
administrators (superusers) see everything; anyone else sees nothing.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Q, QuerySet

from .models import Membership, OrganisationUnit, Role, User

SCOPE_ROLES = (Role.MANAGER, Role.REPORTER)


def _scope_paths(user) -> list[str] | None:
    """Tree paths the user's scope starts from; None means everything (administrators)."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return None
    cached = getattr(user, "_scope_paths", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, role__in=SCOPE_ROLES).values_list("unit__path", flat=True)
        )
        user._scope_paths = cached  # one lookup per request
    return cached


def in_scope(user, *, path_field: str) -> Q:
    """A filter for rows whose unit (through `path_field`, e.g. "unit__path") is in the user's scope."""
    paths = _scope_paths(user)
    if paths is None:
        return Q()
    if not paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{path_field}__startswith": path}) for path in paths))


def can_view_reports(user) -> bool:
    paths = _scope_paths(user)
    return paths is None or bool(paths)


@dataclass(frozen=True)
class NavigationRoles:
    """What the site menu offers a signed-in person beyond the learner's links."""

    can_access_admin: bool
    can_view_reports: bool


def navigation_roles(user) -> NavigationRoles:
    """Whether the person reaches the Wagtail admin and the managers' pages, in one query per request.

    The same answers as ``user.has_perm("wagtailadmin.access_admin")`` and can_view_reports(), which
    cost Django's permission backend two queries and the scope one more on every page with the menu.
    Every page with the menu asks this, so it is one hand-written statement: built with the ORM's
    Exists() subqueries it costs about five times as much, most of it in building the SQL.
    """
    if not user.is_authenticated:
        return NavigationRoles(can_access_admin=False, can_view_reports=False)
    cached = getattr(user, "_navigation_roles", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        roles = NavigationRoles(can_access_admin=user.is_active, can_view_reports=True)
    else:
        with connection.cursor() as cursor:
            cursor.execute(_navigation_roles_sql(), [user.pk, user.pk, user.pk, *SCOPE_ROLES])
            admin, reports = cursor.fetchone()
        roles = NavigationRoles(
            can_access_admin=user.is_active and bool(admin), can_view_reports=bool(reports)
        )
    user._navigation_roles = roles  # one lookup per request
    return roles


@functools.cache
def _navigation_roles_sql() -> str:
    """navigation_roles' statement, built once from the models' own tables and columns."""
    quote = connection.ops.quote_name

    def table(model) -> str:
        return quote(model._meta.db_table)

    def column(model, field: str) -> str:
        return quote(model._meta.get_field(field).column)

    user_permissions = User.user_permissions.through
    user_groups = User.groups.through
    group_permissions = Group.permissions.through
    # Table and column names come from the models' metadata; every value is a query parameter.
    admin_permission = (
        f"SELECT p.id FROM {table(Permission)} p JOIN {table(ContentType)} ct ON ct.id = p.content_type_id"  # noqa: S608
        " WHERE ct.app_label = 'wagtailadmin' AND p.codename = 'access_admin'"
    )
    return (
        "SELECT (EXISTS (SELECT 1 FROM "  # noqa: S608
        f"{table(user_permissions)} up WHERE up.{column(user_permissions, 'user')} = %s"
        f" AND up.{column(user_permissions, 'permission')} IN ({admin_permission}))"
        f" OR EXISTS (SELECT 1 FROM {table(user_groups)} ug JOIN {table(group_permissions)} gp"
        f" ON gp.{column(group_permissions, 'group')} = ug.{column(user_groups, 'group')}"
        f" WHERE ug.{column(user_groups, 'user')} = %s"
        f" AND gp.{column(group_permissions, 'permission')} IN ({admin_permission}))),"
        f" EXISTS (SELECT 1 FROM {table(Membership)} m WHERE m.{column(Membership, 'user')} = %s"
        f" AND m.{column(Membership, 'role')} IN ({', '.join(['%s'] * len(SCOPE_ROLES))}))"
    )


def can_assign(user) -> bool:
    """Managers and administrators assign courses; reporters only read."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or Membership.objects.filter(user=user, role=Role.MANAGER).exists()


def scope_units(user) -> QuerySet[OrganisationUnit]:
    return OrganisationUnit.objects.filter(in_scope(user, path_field="path")).order_by("path")


def assignable_units(user) -> QuerySet[OrganisationUnit]:
    """Units a manager may assign courses to: those under a unit they lead (reporters' units excluded)."""
    if user.is_superuser:
        return OrganisationUnit.objects.order_by("path")
    paths = list(Membership.objects.filter(user=user, role=Role.MANAGER).values_list("unit__path", flat=True))
    if not paths:
        return OrganisationUnit.objects.none()
    return OrganisationUnit.objects.filter(reduce(or_, (Q(path__startswith=p) for p in paths))).order_by(
        "path"
    )


def people_in_scope(user) -> QuerySet[User]:
    """Staff (members) of the units in the user's scope."""
    members = Membership.objects.filter(in_scope(user, path_field="unit__path"), role=Role.MEMBER)
    return User.objects.filter(pk__in=members.values("user_id"))


def person_in_scope(user, *, person_id: int) -> User | None:
    return people_in_scope(user).filter(pk=person_id).first()


def assignable_people(user) -> QuerySet[User]:
    members = Membership.objects.filter(unit__in=assignable_units(user), role=Role.MEMBER)
    return User.objects.filter(pk__in=members.values("user_id")).order_by("first_name", "last_name")
