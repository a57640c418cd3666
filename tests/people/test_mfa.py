"""Two-factor authentication for privileged users (people/mfa.py, PrivilegedMFAMiddleware).

Administrators, course holders, admin users (reviewers), managers and reporters reach /admin/ and
/leder/ only with a second factor set up and used in the session; learners may turn it on.
Codes are computed with allauth's own TOTP helpers, as an authenticator app would.
"""

import time
from types import SimpleNamespace

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.checks import Error
from django.urls import reverse

from people import checks
from people.mfa import is_privileged
from people.models import ParticipantType
from tests.factories import TEST_PASSWORD, UserFactory, add_member, make_unit

pytestmark = pytest.mark.django_db

SETUP_URL = "/konto/tofaktor/"


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def with_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def make_admin():
    return UserFactory(is_superuser=True, is_staff=True)


def make_course_holder():
    user = UserFactory()
    user.groups.add(Group.objects.get(name="Kursholdere"))  # made by courses 0012
    return user


def make_reviewer():
    """A user representative who reviews courses in the Wagtail admin."""
    user = UserFactory(participant_type=ParticipantType.USER_REPRESENTATIVE)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def make_manager():
    user = UserFactory()
    add_member(user, make_unit("Medisinsk klinikk"), role="manager")
    return user


def make_reporter():
    user = UserFactory()
    add_member(user, make_unit("Kirurgisk klinikk"), role="reporter")
    return user


PRIVILEGED = {
    "administrator": make_admin,
    "kursholder": make_course_holder,
    "fagfelle med admintilgang": make_reviewer,
    "leder": make_manager,
    "rapportør": make_reporter,
}

# The admin and the managers' pages, down to sub-pages, exports and a form's POST.
PROTECTED = [
    ("get", "/admin/"),
    ("get", "/admin/pages/"),
    ("get", "/admin/users/"),
    ("get", "/admin/images/"),
    ("get", "/admin/reports/site-history/"),
    ("get", "/admin/finnes-ikke/"),
    ("post", "/admin/pages/1/delete/"),
    ("get", "/leder/"),
    ("get", "/leder/eksport.csv"),
    ("get", "/leder/eksport.xlsx"),
    ("get", "/leder/person/1/"),
    ("get", "/leder/tildel/"),
    ("post", "/leder/tildel/"),
]


def login_with_password(client, user):
    response = client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return response


@pytest.mark.parametrize("role", PRIVILEGED)
def test_every_privileged_role_counts_as_privileged(role):
    assert is_privileged(PRIVILEGED[role]())


def test_a_learner_is_not_privileged(user):
    assert not is_privileged(user)


@pytest.mark.parametrize("role", PRIVILEGED)
@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_privileged_user_without_second_factor_is_sent_to_set_it_up(mfa_required, client, role, method, path):
    client.force_login(PRIVILEGED[role]())
    response = getattr(client, method)(path)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{SETUP_URL}?next=")
    assert Authenticator.objects.count() == 0


@pytest.mark.parametrize("role", PRIVILEGED)
def test_password_login_alone_does_not_open_the_admin_or_the_managers_pages(mfa_required, client, role):
    """Signed in by password, without a second factor: past the login, but not into /admin/ or /leder/."""
    user = PRIVILEGED[role]()
    login_with_password(client, user)
    assert "_auth_user_id" in client.session
    for path in ("/admin/", "/leder/", "/leder/eksport.csv"):
        assert client.get(path)["Location"].startswith(SETUP_URL), path
    # Pages that are not privileged stay open.
    assert client.get(reverse("courses:my_courses")).status_code == 200


def test_setup_page_explains_why_in_norwegian_and_offers_app_and_passkey(mfa_required, client):
    client.force_login(make_manager())
    response = client.get(f"{SETUP_URL}?next=/leder/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "må kontoen din være beskyttet med tofaktorautentisering" in html
    assert reverse("mfa_activate_totp") in html
    assert reverse("mfa_add_webauthn") in html
    assert "<script" not in html


def test_setup_page_does_not_link_to_another_site(mfa_required, client):
    user = make_admin()
    with_totp(user)
    client.force_login(user)
    html = client.get(f"{SETUP_URL}?next=https://angriper.example/").content.decode()
    assert 'href="https://angriper.example' not in html
    assert "Tofaktorautentisering er slått på" in html
    html = client.get(f"{SETUP_URL}?next=/admin/pages/").content.decode()
    assert 'href="/admin/pages/"' in html


@pytest.mark.parametrize("role", PRIVILEGED)
def test_privileged_user_with_totp_who_skipped_it_is_asked_for_the_code(mfa_required, client, role):
    """A session without the second factor (here force_login, like one from before the requirement)."""
    user = PRIVILEGED[role]()
    with_totp(user)
    client.force_login(user)
    response = client.get("/leder/eksport.csv")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('mfa_reauthenticate')}?next=%2Fleder%2Feksport.csv"


def test_privileged_user_with_only_a_passkey_is_asked_for_it(mfa_required, client):
    user = make_admin()
    Authenticator.objects.create(user=user, type=Authenticator.Type.WEBAUTHN, data={"name": "Nøkkel"})
    client.force_login(user)
    response = client.get("/admin/pages/")
    assert response["Location"] == f"{reverse('mfa_reauthenticate_webauthn')}?next=%2Fadmin%2Fpages%2F"


def test_recovery_codes_alone_are_not_a_second_factor(mfa_required, client):
    user = make_admin()
    Authenticator.objects.create(user=user, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "00"})
    client.force_login(user)
    assert client.get("/admin/")["Location"].startswith(SETUP_URL)


@pytest.mark.parametrize("role", PRIVILEGED)
def test_totp_login_opens_the_privileged_pages(mfa_required, client, role):
    user = PRIVILEGED[role]()
    secret = with_totp(user)
    response = login_with_password(client, user)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # not signed in before the second factor

    wrong = client.post(
        reverse("mfa_authenticate"), {"code": "000000" if totp_code(secret) != "000000" else "1"}
    )
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    path = "/admin/" if user.has_perm("wagtailadmin.access_admin") else "/leder/"
    assert client.get(path).status_code == 200


def test_totp_set_up_then_confirmed_opens_the_admin(mfa_required, client):
    """The whole way: password login, sent to set up, activate the app, confirm the code, in."""
    admin = make_admin()
    login_with_password(client, admin)
    assert client.get("/admin/pages/")["Location"] == f"{SETUP_URL}?next=%2Fadmin%2Fpages%2F"

    # allauth asks for the password again before a factor is added.
    activate = reverse("mfa_activate_totp")
    assert client.get(activate)["Location"].startswith(reverse("account_reauthenticate"))
    client.post(f"{reverse('account_reauthenticate')}?next={activate}", {"password": TEST_PASSWORD})
    page = client.get(activate)
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    refused = client.post(reverse("mfa_activate_totp"), {"code": "12345"})
    assert refused.status_code == 200 and not Authenticator.objects.filter(user=admin).exists()
    activated = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert activated.status_code == 302
    assert Authenticator.objects.filter(user=admin, type=Authenticator.Type.TOTP).exists()

    # Set up in a password-only session: the code is asked for once before the admin opens.
    response = client.get("/admin/pages/")
    assert response["Location"] == f"{reverse('mfa_reauthenticate')}?next=%2Fadmin%2Fpages%2F"
    cache.clear()  # the activation code may be the current one; allauth refuses a code used twice
    confirmed = client.post(
        f"{reverse('mfa_reauthenticate')}?next=/admin/pages/", {"code": totp_code(secret)}
    )
    assert confirmed.status_code == 302 and confirmed["Location"] == "/admin/pages/"
    assert client.get("/admin/pages/").status_code == 200


def test_a_used_code_cannot_be_used_again(mfa_required, client):
    user = make_manager()
    secret = with_totp(user)
    client.force_login(user)
    code = totp_code(secret)
    assert client.post(reverse("mfa_reauthenticate"), {"code": code}).status_code == 302
    client.logout()
    login_with_password(client, user)
    again = client.post(reverse("mfa_authenticate"), {"code": code})
    assert again.status_code == 200 and "_auth_user_id" not in client.session


def test_learner_is_never_sent_to_set_up_but_may_turn_it_on(mfa_required, client, user):
    client.force_login(user)
    assert client.get("/leder/").status_code == 403  # the view's own answer, not a detour
    admin = client.get("/admin/")
    assert not admin["Location"].startswith(SETUP_URL)
    profile = client.get(reverse("people:profile")).content.decode()
    assert reverse("mfa_index") in profile
    assert client.get(reverse("mfa_index")).status_code == 200


def test_anonymous_visitors_go_to_the_login_page(mfa_required, client):
    response = client.get("/admin/pages/")
    assert response.status_code == 302 and not response["Location"].startswith(SETUP_URL)
    assert client.get("/leder/")["Location"].startswith(reverse("account_login"))


def test_requirement_switched_off_lets_privileged_users_in_without(settings, client):
    settings.PRIVILEGED_MFA_REQUIRED = False
    client.force_login(make_admin())
    assert client.get("/admin/").status_code == 200
    assert client.get("/leder/").status_code == 200


def test_privileged_paths_setting_is_respected(mfa_required, settings, client):
    settings.PRIVILEGED_MFA_PATHS = ["/mine-kurs/"]
    client.force_login(make_admin())
    assert client.get(reverse("courses:my_courses"))["Location"].startswith(SETUP_URL)


def test_checks_refuse_a_requirement_that_would_not_hold(mfa_required, settings, monkeypatch):
    assert checks.privileged_mfa_check() == []
    without = SimpleNamespace(
        MIDDLEWARE=[m for m in settings.MIDDLEWARE if m != checks.MFA_MIDDLEWARE],
        INSTALLED_APPS=[a for a in settings.INSTALLED_APPS if a != "allauth.mfa"],
    )
    monkeypatch.setattr(checks, "settings", without)
    settings.PRIVILEGED_MFA_PATHS = ["admin"]
    found = checks.privileged_mfa_check()
    assert {e.id for e in found} == {"people.E011", "people.E012", "people.E013"}
    assert all(isinstance(e, Error) for e in found)
    settings.PRIVILEGED_MFA_REQUIRED = False
    assert checks.privileged_mfa_check() == []


def test_a_host_without_the_settings_requires_it_on_the_admin_and_managers_pages(settings):
    from people import app_settings

    del settings.PRIVILEGED_MFA_REQUIRED
    assert app_settings.PRIVILEGED_MFA_REQUIRED is True
    assert app_settings.PRIVILEGED_MFA_PATHS == ("/admin/", "/leder/")


def test_editor_reads_a_draft_courses_modules_only_with_the_second_factor(mfa_required, client, course):
    """The one privilege used outside /admin/: a course holder opening a draft course's module."""
    from courses.selectors import course_modules
    from tests.factories import holder_of

    module = course_modules(course)[0]
    course.unpublish()
    holder = holder_of(course)
    secret = with_totp(holder)
    client.force_login(holder)  # password-only session
    assert client.get(module.url).status_code == 404
    assert not enrolled(holder)
    assert client.post(reverse("mfa_reauthenticate"), {"code": totp_code(secret)}).status_code == 302
    assert client.get(module.url).status_code == 200
    assert not enrolled(holder)


def enrolled(user) -> bool:
    from courses.models import Enrolment

    return Enrolment.objects.filter(user=user).exists()
