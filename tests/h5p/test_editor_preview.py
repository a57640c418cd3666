"""Those who may edit a course preview its H5P activities, but only with the second factor a
privileged user needs: the player and its files are outside the paths the MFA middleware guards."""

import pytest
from django.urls import reverse

from tests.factories import holder_of

pytestmark = pytest.mark.django_db


def test_a_course_holder_previews_the_player(client, setup):
    course, module, block_id = setup
    client.force_login(holder_of(course))
    assert client.get(reverse("h5p:player", args=[module.pk, block_id])).status_code == 200


def test_without_a_second_factor_the_course_holder_gets_no_preview(mfa_required, client, setup):
    course, module, block_id = setup
    client.force_login(holder_of(course))  # a password-only session
    assert client.get(reverse("h5p:player", args=[module.pk, block_id])).status_code == 404
