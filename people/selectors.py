"""Who may see whom: managers' and reporters' scopes over the organisation tree.

Every page, drill-down, export and form in reports/ gets its units and people
from here, so the scope rule lives in one place: a manager (leder) or
reporter (rapportør) of a unit sees that unit and every unit below it;
administrators (superusers) see everything; anyone else sees nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q, QuerySet

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
    """
    if not user.is_authenticated:
        return NavigationRoles(can_access_admin=False, can_view_reports=False)
    cached = getattr(user, "_navigation_roles", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        roles = NavigationRoles(can_access_admin=user.is_active, can_view_reports=True)
    else:
        admin_permission = Permission.objects.filter(
            Q(user=OuterRef("pk")) | Q(group__user=OuterRef("pk")),
            content_type__app_label="wagtailadmin",
            codename="access_admin",
        )
        scope = Membership.objects.filter(user=OuterRef("pk"), role__in=SCOPE_ROLES)
        row = (
            User.objects.filter(pk=user.pk)
            .annotate(admin=Exists(admin_permission), reports=Exists(scope))
            .values("admin", "reports")
            .first()
        ) or {"admin": False, "reports": False}
        roles = NavigationRoles(
            can_access_admin=user.is_active and row["admin"], can_view_reports=row["reports"]
        )
    user._navigation_roles = roles  # one lookup per request
    return roles


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
