"""Fixtures for the H5P tests: a ready content item, and a course with it in a module."""

import pytest

from courses import services
from h5p.services import h5p_content_create
from tests.factories import make_catalogue, make_course
from tests.h5p.packages import build, valid_files
from tests.h5p.players import module_with_h5p


@pytest.fixture
def h5p_content(django_user_model, django_capture_on_commit_callbacks):
    admin = django_user_model.objects.create_superuser(email="admin@test.example", password="x")
    with django_capture_on_commit_callbacks(execute=True):
        content = h5p_content_create(data=build(valid_files()), user=admin, title="Sant eller usant")
    content.refresh_from_db()
    return content


@pytest.fixture
def setup(user, h5p_content):
    course = make_course(make_catalogue(), modules=0)
    module, block_id = module_with_h5p(course, h5p_content)
    services.enrolment_create(user=user, course=course)
    return course, module, block_id
