"""Who may replace an H5P item's package (h5p.usage): the item reaches every course that uses it."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from h5p.models import H5PContent, H5PResult
from h5p.replacement import h5p_content_replace
from h5p.services import H5PPackageRejected, h5p_content_create
from h5p.usage import courses_using, may_replace_package
from tests.factories import holder_of, make_catalogue, make_course
from tests.h5p.players import module_with_h5p
from tests.h5p.test_replace import edit, learner_result, other_type_package, same_type_package  # noqa: F401

pytestmark = pytest.mark.django_db

EDIT = "wagtailsnippets_h5p_h5pcontent:edit"


def h5p_holder(course):
    """A holder of `course` with the course holders' H5P permissions (h5p 0003)."""
    holder = holder_of(course)
    holder.groups.add(Group.objects.get(name="Kursholdere"))
    return holder


def upload_input(page: str) -> str:
    return page.split('name="upload"')[1].split(">")[0]


def test_another_courses_holder_sees_why_and_cannot_replace(client, setup, h5p_content, learner_result):  # noqa: F811
    course, _module, _block_id = setup
    other = h5p_holder(make_course(make_catalogue(), modules=0, title="Annet kurs"))
    client.force_login(other)
    page = client.get(reverse(EDIT, args=[h5p_content.pk])).content.decode()
    assert "disabled" in upload_input(page)
    assert "Bare en administrator, den som lastet opp pakken, eller en kursholder som kan redigere" in page
    assert f"«{course.title}»" in page

    # A tampered POST with a file is refused at the field and changes nothing (the title neither).
    response = edit(client, h5p_content, other_type_package(), title="Kapret", confirm_type_change="on")
    errors = response.context["form"].errors["upload"]
    assert errors[0].startswith("Bare en administrator, den som lastet opp pakken")
    content = H5PContent.objects.get(pk=h5p_content.pk)
    assert (content.title, content.revision, content.main_library.machine_name) == (
        "Sant eller usant",
        1,
        "H5P.Test",
    )
    assert H5PResult.objects.get(pk=learner_result.pk).state == '{"answer": true}'

    # The service refuses as well, whoever calls it.
    with pytest.raises(H5PPackageRejected) as refused:
        h5p_content_replace(content=h5p_content, user=other, data=same_type_package())
    assert "kan redigere alle kursene" in refused.value.errors[0]
    assert H5PContent.objects.get(pk=h5p_content.pk).revision == 1


def test_a_holder_of_only_one_of_the_courses_using_it_may_not_replace(setup, h5p_content):
    course, _module, _block_id = setup
    second = make_course(make_catalogue(), modules=0, title="Andre kurs")
    module_with_h5p(second, h5p_content)
    assert [c.pk for c in courses_using(h5p_content)] == sorted([course.pk, second.pk], key=lambda pk: pk)
    holder = h5p_holder(course)
    assert not may_replace_package(user=holder, content=h5p_content)
    holder.groups.add(*holder_of(second).groups.all())
    holder = type(holder).objects.get(pk=holder.pk)  # Wagtail caches page permissions on the user
    assert may_replace_package(user=holder, content=h5p_content)


def test_the_holder_of_every_course_using_it_replaces_and_is_told_which_courses(
    client, setup, h5p_content, learner_result  # noqa: F811
):
    course, _module, _block_id = setup
    # H5P.Annen installed by an administrator first: course holders cannot add libraries.
    h5p_content_create(data=other_type_package(), user=h5p_content.uploaded_by, title="Annen type")
    holder = h5p_holder(course)
    client.force_login(holder)
    page = client.get(reverse(EDIT, args=[h5p_content.pk])).content.decode()
    assert "disabled" not in upload_input(page)
    assert f"Innholdet brukes i kurset «{course.title}», og endringen gjelder deltakerne der." in page

    response = edit(client, h5p_content, other_type_package())
    assert response.context["form"].errors["confirm_type_change"][0].endswith(
        f"Innholdet brukes i kurset «{course.title}», og endringen gjelder deltakerne der. "
        "Kryss av for å bekrefte, og velg filen på nytt."
    )
    edit(client, h5p_content, other_type_package(), confirm_type_change="on")
    content = H5PContent.objects.get(pk=h5p_content.pk)
    assert (content.revision, content.main_library.machine_name) == (2, "H5P.Annen")


def test_the_uploader_may_replace_without_holding_the_courses(setup, h5p_content, django_user_model):
    course, _module, _block_id = setup
    uploader = h5p_holder(make_course(make_catalogue(), modules=0, title="Eget kurs"))
    H5PContent.objects.filter(pk=h5p_content.pk).update(uploaded_by=uploader)
    h5p_content.refresh_from_db()
    assert may_replace_package(user=uploader, content=h5p_content)
    h5p_content_replace(content=h5p_content, user=uploader, data=same_type_package())
    assert H5PContent.objects.get(pk=h5p_content.pk).revision == 2
