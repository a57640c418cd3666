"""A real course holder: a user in the «Kursholdere» group as the product makes it.

The group, its quiz and H5P permissions, the «Kursmateriell» collection and the review workflow come
from the migrations (courses 0012, assessments 0005, h5p 0003); `setup` (the same function the
demo loader runs after making its catalogue) gives the group the catalogue the test makes.
"""

import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group

from tests.factories import UserFactory

course_holders = importlib.import_module("courses.migrations.0012_course_holders")


def make_course_holder(**fields):
    user = UserFactory(**fields)
    user.groups.add(Group.objects.get(name=course_holders.GROUP))
    return user


@pytest.fixture
def holders_group(catalogue):
    course_holders.setup(django_apps)
    return Group.objects.get(name=course_holders.GROUP)


@pytest.fixture
def course_holder(holders_group):
    return make_course_holder()


@pytest.fixture
def holder_client(client, course_holder):
    client.force_login(course_holder)
    return client
