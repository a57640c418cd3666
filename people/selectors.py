"""Who may see whom: managers' and reporters' scopes over the organisation tree.

Every page, drill-down, export and form in reports/ gets its units and people
from here, so the scope rule lives in one place: a manager (leder) or
reporter (rapportør) of a unit sees that unit and every unit below it;
administrators (superusers) see everything; anyone else sees nothing.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

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
