"""The organisation tree keeps its paths when units move."""

import pytest

from people.models import OrganisationUnit
from tests.factories import make_unit

pytestmark = pytest.mark.django_db


def test_moving_a_unit_moves_everything_below_it():
    north, south = make_unit("Nord"), make_unit("Sør")
    clinic = make_unit("Klinikk", parent=north)
    ward = make_unit("Avdeling", parent=clinic)
    assert ward.path == f"/{north.pk}/{clinic.pk}/{ward.pk}/" and ward.depth == 3

    clinic.parent = south
    clinic.save()
    ward.refresh_from_db()
    assert ward.path == f"/{south.pk}/{clinic.pk}/{ward.pk}/"
    assert set(OrganisationUnit.objects.filter(path__startswith=south.path)) == {south, clinic, ward}


def test_a_unit_cannot_be_put_under_itself():
    from django.core.exceptions import ValidationError

    top = make_unit("Topp")
    below = make_unit("Under", parent=top)
    top.parent = below
    with pytest.raises(ValidationError):
        top.full_clean()
