import pytest
from django.utils.datastructures import MultiValueDict

from courses import services as course_services
from courses.selectors import course_modules
from tests.factories import add_quiz_block, make_quiz


def as_post(data: dict) -> MultiValueDict:
    """A dict as a form post (lists become repeated fields)."""
    return MultiValueDict({k: list(v) if isinstance(v, list | tuple) else [v] for k, v in data.items()})


@pytest.fixture
def enrolment(user, course):
    enrolment, _ = course_services.enrolment_create(user=user, course=course)
    return enrolment


@pytest.fixture
def quiz_setup(course, enrolment):
    """A quiz placed in the course's last module; returns (quiz, module, block_id)."""
    quiz = make_quiz(course)
    module = course_modules(course)[-1]
    block_id = add_quiz_block(module, quiz)
    return quiz, module, block_id
