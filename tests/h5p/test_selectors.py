"""The one definition of an answer (h5p.xapi.ANSWER_VERBS), as the results and reports filter it."""

import pytest

from h5p import xapi
from h5p.models import H5PResult, H5PStatement
from h5p.selectors import answer_statements

pytestmark = pytest.mark.django_db


def test_statements_are_answers_exactly_when_the_parser_says_so(user, setup, h5p_content):
    _course, module, block_id = setup
    result = H5PResult.objects.create(user=user, module=module, block_id=block_id, content=h5p_content)
    verbs = ["answered", "completed", "progressed", "interacted", "attempted"]
    for verb in verbs:
        H5PStatement.objects.create(
            result=result, verb=f"http://adlnet.gov/expapi/verbs/{verb}", statement={}
        )
    found = {
        verb.rsplit("/", 1)[-1]
        for verb in H5PStatement.objects.filter(answer_statements()).values_list("verb", flat=True)
    }
    assert found == xapi.ANSWER_VERBS == {"answered", "completed"}
