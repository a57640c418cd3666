"""Which mappings a set of claims matches: lists, nested claims, booleans, and nothing else."""

import pytest
from django.contrib.auth.models import Group

from sso.models import ClaimMapping
from sso.selectors import claims_from_extra_data, mappings_matching

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    return Group.objects.create(name="Kursholdere-test")


def _map(group, claim, value, provider_id="helseid"):
    return ClaimMapping.objects.create(provider_id=provider_id, claim=claim, value=value, group=group)


def test_a_value_in_a_list_claim_matches(group):
    mapping = _map(group, "groups", "kursholder")
    assert mappings_matching(provider_id="helseid", claims={"groups": ["a", "kursholder"]}) == [mapping]
    assert mappings_matching(provider_id="helseid", claims={"groups": ["kursholdere"]}) == []


def test_a_nested_claim_is_reached_with_dots(group):
    mapping = _map(group, "realm_access.roles", "leder")
    assert mappings_matching(provider_id="helseid", claims={"realm_access": {"roles": ["leder"]}}) == [
        mapping
    ]
    assert mappings_matching(provider_id="helseid", claims={"realm_access": "leder"}) == []


def test_booleans_and_numbers_compare_as_text(group):
    staff = _map(group, "is_staff", "true")
    level = _map(group, "level", "4")
    assert set(mappings_matching(provider_id="helseid", claims={"is_staff": True, "level": 4})) == {
        staff,
        level,
    }
    assert mappings_matching(provider_id="helseid", claims={"is_staff": False, "level": "3"}) == []


def test_only_the_providers_own_mappings_count(group):
    _map(group, "groups", "kursholder", provider_id="feide")
    assert mappings_matching(provider_id="helseid", claims={"groups": ["kursholder"]}) == []


def test_userinfo_wins_over_the_id_token():
    extra = {"id_token": {"sub": "1", "groups": ["gammel"]}, "userinfo": {"sub": "1", "groups": ["ny"]}}
    assert claims_from_extra_data(extra)["groups"] == ["ny"]
    assert claims_from_extra_data({"id_token": {"groups": ["x"]}})["groups"] == ["x"]
