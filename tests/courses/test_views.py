import pytest
from django.test import Client
from django.urls import reverse

from courses import services
from courses.models import CourseFormat, CourseLanguage, Enrolment, ModuleProgress
from courses.selectors import course_modules
from tests.factories import make_course

pytestmark = pytest.mark.django_db


def enrol(user, course):
    return services.enrolment_create(user=user, course=course)[0]


# --- Catalogue ----------------------------------------------------------------


def titles(response):
    return [course.title for course, _progress in response.context["courses"]]


def test_catalogue_lists_published_courses(client, catalogue):
    make_course(catalogue, title="Publisert kurs")
    draft = make_course(catalogue, title="Upublisert kurs")
    draft.unpublish()
    response = client.get(catalogue.url)
    assert response.status_code == 200
    assert titles(response) == ["Publisert kurs"]


def test_catalogue_filters_by_competence_area(client, catalogue):
    make_course(catalogue, title="Om samtaler", areas=("kommunikasjon",))
    make_course(catalogue, title="Om grupper", areas=("gruppeledelse",))
    response = client.get(catalogue.url, {"area": "gruppeledelse"})
    assert titles(response) == ["Om grupper"]


def test_audience_filter_includes_courses_for_both_groups(client, catalogue):
    make_course(catalogue, title="A for helsepersonell", audience="helsepersonell")
    make_course(catalogue, title="B for begge", audience="begge")
    make_course(catalogue, title="C for brukerrepresentanter", audience="brukerrepresentanter")
    response = client.get(catalogue.url, {"audience": "brukerrepresentanter"})
    assert titles(response) == ["B for begge", "C for brukerrepresentanter"]


def test_catalogue_filters_by_language_and_format(client, catalogue):
    make_course(catalogue, title="Samisk e-læring", course_language=CourseLanguage.NORTHERN_SAMI)
    make_course(catalogue, title="Bokmål kombinert", format=CourseFormat.BLENDED)
    assert titles(client.get(catalogue.url, {"language": "se"})) == ["Samisk e-læring"]
    assert titles(client.get(catalogue.url, {"format": "blended"})) == ["Bokmål kombinert"]


def test_catalogue_text_search(client, catalogue):
    make_course(catalogue, title="Mestringstro i hverdagen", summary="Om håp og mestring.")
    make_course(catalogue, title="Gruppeledelse", summary="Om å lede grupper.")
    response = client.get(catalogue.url, {"q": "mestringstro"})
    assert titles(response) == ["Mestringstro i hverdagen"]


def test_tampered_filter_value_is_reported_and_ignored(client, catalogue):
    make_course(catalogue, title="Et kurs")
    response = client.get(catalogue.url, {"language": "klingon", "area": "finnes-ikke"})
    assert response.status_code == 200
    assert titles(response) == ["Et kurs"]
    assert "ugyldig verdi" in response.content.decode()


def test_catalogue_shows_the_learners_progress(client, user, catalogue):
    course = make_course(catalogue, modules=4)
    make_course(catalogue)
    enrol(user, course)
    services.module_complete(user=user, module=course_modules(course)[0])
    client.force_login(user)
    response = client.get(catalogue.url)
    progress = dict(response.context["courses"])
    assert progress[course].percent == 25
    assert sum(1 for p in progress.values() if p is not None) == 1
    assert "1 av 4 moduler (25 %)" in response.content.decode()


# --- Course and module pages --------------------------------------------------


def test_unknown_course_and_module_are_404(client, user, catalogue):
    client.force_login(user)
    assert client.get("/kurs/finnes-ikke/").status_code == 404
    assert client.get("/kurs/finnes-ikke/modul/").status_code == 404
    assert client.post(reverse("courses:enrol", args=[999999])).status_code == 404
    assert client.post(reverse("courses:complete_module", args=[999999])).status_code == 404


def test_course_page_offers_enrolment_and_then_progress(client, user, course):
    client.force_login(user)
    page = client.get(course.url).content.decode()
    assert "Meld deg på kurset" in page
    enrol(user, course)
    page = client.get(course.url).content.decode()
    assert "Meld deg på kurset" not in page
    assert "0 av 3 moduler (0 %)" in page
    assert "Start kurset" in page


def test_enrolment_is_created_by_post_and_only_once(client, user, course):
    client.force_login(user)
    url = reverse("courses:enrol", args=[course.pk])
    assert client.post(url).status_code == 302
    response = client.post(url, follow=True)
    assert "allerede påmeldt" in response.content.decode()
    assert Enrolment.objects.filter(user=user, course=course).count() == 1


def test_enrolment_refuses_get(client, user, course):
    client.force_login(user)
    assert client.get(reverse("courses:enrol", args=[course.pk])).status_code == 405
    assert not Enrolment.objects.exists()


def test_anonymous_enrolment_goes_to_login_and_back_to_the_course(client, course):
    response = client.post(reverse("courses:enrol", args=[course.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert f"next={course.url}" in response["Location"].replace("%2F", "/")
    assert not Enrolment.objects.exists()


def test_posts_without_csrf_token_are_rejected(user, course):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(reverse("courses:enrol", args=[course.pk])).status_code == 403
    enrol(user, course)
    module = course_modules(course)[0]
    assert client.post(reverse("courses:complete_module", args=[module.pk])).status_code == 403
    assert not ModuleProgress.objects.filter(completed_at__isnull=False).exists()


def test_module_page_requires_enrolment(client, user, course):
    module = course_modules(course)[0]
    response = client.get(module.url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))

    client.force_login(user)
    response = client.get(module.url)
    assert response.status_code == 302 and response["Location"] == course.url
    assert not ModuleProgress.objects.exists()


def test_opening_a_module_marks_it_started(client, user, course):
    enrol(user, course)
    client.force_login(user)
    module = course_modules(course)[1]
    response = client.get(module.url)
    assert response.status_code == 200
    assert "Modul 2 av 3" in response.content.decode()
    progress = ModuleProgress.objects.get(enrolment__user=user, module=module)
    assert progress.completed_at is None


def test_course_holder_can_read_modules_without_enrolling(client, course, django_user_model):
    editor = django_user_model.objects.create_superuser(email="redaktor@test.example", password="x")
    client.force_login(editor)
    assert client.get(course_modules(course)[0].url).status_code == 200
    assert not Enrolment.objects.exists()


def test_completing_a_module_of_a_course_you_are_not_in_is_refused(client, user, other_user, course):
    enrol(other_user, course)
    client.force_login(user)
    module = course_modules(course)[0]
    response = client.post(reverse("courses:complete_module", args=[module.pk]))
    assert response.status_code == 403
    assert "påmeldt" in response.content.decode()
    assert not ModuleProgress.objects.exists()


def test_marking_modules_done_walks_through_the_course(client, user, course):
    enrol(user, course)
    client.force_login(user)
    first, second, third = course_modules(course)

    response = client.post(reverse("courses:complete_module", args=[first.pk]))
    assert response["Location"] == second.url
    response = client.post(reverse("courses:complete_module", args=[third.pk]))
    assert response["Location"] == second.url
    response = client.post(reverse("courses:complete_module", args=[second.pk]), follow=True)
    assert response.redirect_chain[-1][0] == course.url
    assert "Gratulerer" in response.content.decode()
    assert Enrolment.objects.get(user=user, course=course).completed_at is not None


def test_resume_goes_to_the_first_unfinished_module(client, user, course):
    enrol(user, course)
    first, second, third = course_modules(course)
    services.module_complete(user=user, module=first)
    services.module_complete(user=user, module=third)
    client.force_login(user)
    response = client.get(reverse("courses:resume", args=[course.pk]))
    assert response["Location"] == second.url
    page = client.get(course.url).content.decode()
    assert "Fortsett der du slapp" in page
    assert f'href="{second.url}">Fortsett der du slapp' in page.replace("\n", "")


# --- Mine kurs ----------------------------------------------------------------


def test_my_courses_requires_login_and_returns_afterwards(client):
    url = reverse("courses:my_courses")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


def test_my_courses_shows_only_my_enrolments_with_progress(client, user, other_user, catalogue):
    mine = make_course(catalogue, title="Mitt kurs", modules=2)
    theirs = make_course(catalogue, title="Andres kurs")
    enrol(user, mine)
    enrol(other_user, theirs)
    services.module_complete(user=user, module=course_modules(mine)[0])
    client.force_login(user)
    response = client.get(reverse("courses:my_courses"))
    page = response.content.decode()
    assert "Mitt kurs" in page and "Andres kurs" not in page
    assert "1 av 2 moduler (50 %)" in page
    assert "Fortsett der du slapp" in page


def test_completed_course_links_the_certificate_and_can_be_taken_again(client, user, course):
    from certificates.models import Certificate

    for module in course_modules(course):
        enrol(user, course)
        services.module_complete(user=user, module=module)
    client.force_login(user)
    page = client.get(course.url).content.decode()
    certificate = Certificate.objects.get(user=user)
    assert reverse("certificates:detail", args=[certificate.public_id]) in page
    assert "Ta kurset på nytt" in page
    assert "Fortsett der du slapp" not in page

    response = client.post(reverse("courses:restart", args=[course.pk]), {"confirm": "1"}, follow=True)
    assert "Tidligere kursbevis beholdes" in response.content.decode()
    assert Enrolment.objects.get(user=user).completed_at is None
    assert Certificate.objects.filter(user=user).count() == 1


def test_restarting_a_course_you_are_not_in_is_refused(client, user, course):
    client.force_login(user)
    assert client.post(reverse("courses:restart", args=[course.pk])).status_code == 403


def test_unknown_module_in_a_real_course_is_404(client, user, course):
    enrol(user, course)
    client.force_login(user)
    assert client.get(f"{course.url}finnes-ikke/").status_code == 404


def test_unpublished_course_closes_its_modules(client, user, course):
    enrol(user, course)
    module = course_modules(course)[0]
    course.unpublish()
    client.force_login(user)
    assert client.get(module.url).status_code == 404
    assert client.post(reverse("courses:complete_module", args=[module.pk])).status_code == 404
    assert not ModuleProgress.objects.exists()
    assert course.title not in client.get(reverse("courses:my_courses")).content.decode()


def test_course_holder_group_reads_modules_without_enrolling(client, course, django_user_model):
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission, Page

    holder = django_user_model.objects.create_user(email="kursholder@test.example", password="x")
    group, _ = Group.objects.get_or_create(name="Kursholdere")  # made by courses 0012
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group,
        page=Page.objects.get(pk=course.get_parent().pk),
        permission=Permission.objects.get(codename="change_page"),
    )
    holder.groups.add(group)
    client.force_login(holder)
    assert client.get(course_modules(course)[0].url).status_code == 200
    assert not Enrolment.objects.exists()


def test_pages_with_learner_records_cannot_be_deleted(client, user, course, django_user_model):
    enrol(user, course)
    admin = django_user_model.objects.create_superuser(email="sjef@test.example", password="x")
    client.force_login(admin)
    response = client.post(f"/admin/pages/{course.pk}/delete/", follow=True)
    assert "kan ikke slettes" in response.content.decode()
    assert type(course).objects.filter(pk=course.pk).exists()


def test_completed_course_shows_completed_even_after_a_new_module(client, user, course):
    from tests.factories import make_module

    for module in course_modules(course):
        enrol(user, course)
        services.module_complete(user=user, module=module)
    make_module(course, title="Ny modul")
    client.force_login(user)
    page = client.get(course.url).content.decode()
    assert "Fullført" in page
    assert "3 av 4" not in page and "Fortsett der du slapp" not in page


def test_taking_a_course_again_asks_first_and_says_what_is_kept(client, user, course):
    """Issue 11, point 12: «Ta kurset på nytt» restarted at once, without saying what stays."""
    for module in course_modules(course):
        enrol(user, course)
        services.module_complete(user=user, module=module)
    client.force_login(user)
    url = reverse("courses:restart", args=[course.pk])
    page = client.get(course.url).content.decode()
    assert f'<a class="button button--secondary" href="{url}">Ta kurset på nytt</a>' in page

    confirmation = client.get(url)
    assert confirmation.status_code == 200
    html = confirmation.content.decode()
    assert "Kursbevisene du allerede har fått" in html
    assert "Forsøkene og svarene dine på kunnskapstestene, som historikk." in html
    assert "Den nye runden starter tom" in html
    assert 'name="confirm" value="1"' in html and "Ja, ta kurset på nytt" in html
    assert Enrolment.objects.get(user=user).completed_at is not None  # asking changes nothing

    # A post without the confirmation (an old form, a slip) only shows the question again.
    response = client.post(url)
    assert response.status_code == 200 and "Ja, ta kurset på nytt" in response.content.decode()
    assert Enrolment.objects.get(user=user).round == 1

    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(user=user)
    assert enrolment.completed_at is None and enrolment.round == 2


def test_the_restart_confirmation_is_only_for_a_completed_course(client, user, course):
    client.force_login(user)
    url = reverse("courses:restart", args=[course.pk])
    assert client.get(url).status_code == 403  # not enrolled
    enrol(user, course)
    response = client.get(url)
    assert response.status_code == 302 and response.url == course.url
