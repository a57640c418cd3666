"""The menu's one query (people.selectors.navigation_roles) answers as Django's permissions and the
managers' scope do, for every kind of person."""

import pytest
from django.contrib.auth.models import Permission

from people.models import Role, User
from people.selectors import can_view_reports, navigation_roles
from tests.factories import UserFactory, add_member, holder_of, make_unit

pytestmark = pytest.mark.django_db


def fresh(user):
    return User.objects.get(pk=user.pk)  # no permission or scope answers cached on the instance


def test_navigation_roles_agree_with_permissions_and_scope(course, django_assert_num_queries):
    unit = make_unit("Medisinsk klinikk")
    learner, manager, reporter, member = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    add_member(manager, unit, role=Role.MANAGER)
    add_member(reporter, unit, role=Role.REPORTER)
    add_member(member, unit)
    direct = UserFactory()
    direct.user_permissions.add(Permission.objects.get(codename="access_admin"))
    admin = UserFactory(is_superuser=True)
    people = [learner, manager, reporter, member, direct, holder_of(course), admin]

    for person in people:
        reloaded = fresh(person)
        with django_assert_num_queries(0 if person.is_superuser else 1):
            roles = navigation_roles(reloaded)
        expected = (fresh(person).has_perm("wagtailadmin.access_admin"), can_view_reports(fresh(person)))
        assert (roles.can_access_admin, roles.can_view_reports) == expected, person.email
    assert navigation_roles(fresh(learner)) == navigation_roles(fresh(member))
    assert not navigation_roles(fresh(learner)).can_access_admin


def test_the_menu_shows_the_editing_link_only_to_admin_users(client, course):
    learner, holder = UserFactory(), holder_of(course)
    client.force_login(learner)
    assert "Redigering" not in client.get("/mine-kurs/").content.decode()
    client.force_login(holder)
    assert "Redigering" in client.get("/mine-kurs/").content.decode()
