"""Each app reads its settings with defaults (app_settings.py) and `manage.py check` refuses bad values."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

import core.checks
from assessments import app_settings as assessment_settings
from assessments import checks as assessment_checks
from certificates import app_settings as certificate_settings
from certificates import checks as certificate_checks
from core import app_settings as core_settings
from h5p import app_settings as h5p_settings
from h5p import checks as h5p_checks
from people import app_settings as people_settings
from people import checks as people_checks
from requirements import app_settings as requirement_settings
from requirements import checks as requirement_checks


def ids(errors) -> list[str]:
    return [error.id for error in errors]


def test_the_reference_site_passes_every_check():
    call_command("check")


@pytest.mark.parametrize(
    ("module", "name", "default"),
    [
        (assessment_settings, "QUIZ_DEADLINE_GRACE_SECONDS", 30),
        (assessment_settings, "EVALUATION_MIN_RESPONSES", 5),
        (h5p_settings, "H5P_MAX_UPLOAD_BYTES", 100 * 1024 * 1024),
        (h5p_settings, "H5P_MAX_ENTRIES", 5000),
        (h5p_settings, "H5P_MAX_COMPRESSION_RATIO", 100.0),
        (h5p_settings, "H5P_MAX_INFLATED_BYTES", 500 * 1024 * 1024),
        (h5p_settings, "H5P_EXTRACT_INLINE_BYTES", 20 * 1024 * 1024),
        (h5p_settings, "H5P_MAX_JSON_BYTES", 16 * 1024 * 1024),
        (certificate_settings, "CERTIFICATE_VERIFY_PER_MINUTE", 30),
        (requirement_settings, "REQUIRED_LEARNING_REMINDER_DAYS", 7),
        (core_settings, "TRUSTED_PROXY_COUNT", 0),
        (core_settings, "PRIVATE_MEDIA_ROOT", None),
        (people_settings, "PRIVACY_CONTACT_EMAIL", ""),
    ],
)
def test_a_host_without_the_setting_gets_the_default(settings, module, name, default):
    delattr(settings, name)
    assert getattr(module, name) == default


def test_settings_are_read_when_used_so_a_change_shows_at_once(settings):
    settings.QUIZ_DEADLINE_GRACE_SECONDS = 5
    assert assessment_settings.QUIZ_DEADLINE_GRACE_SECONDS == 5
    settings.QUIZ_DEADLINE_GRACE_SECONDS = 60
    assert assessment_settings.QUIZ_DEADLINE_GRACE_SECONDS == 60


def test_platform_base_url_falls_back_to_wagtails_base_url(settings):
    del settings.PLATFORM_BASE_URL
    settings.WAGTAILADMIN_BASE_URL = "https://vert.example.no"
    assert core_settings.PLATFORM_BASE_URL == "https://vert.example.no"
    del settings.WAGTAILADMIN_BASE_URL
    assert core_settings.PLATFORM_BASE_URL == ""
    assert ids(core.checks.platform_base_url()) == ["core.E001"]


@pytest.mark.parametrize(
    "value", ["kurs.example.no", "ftp://kurs.example.no", "https://", "https://x.no/?a=1", 42]
)
def test_platform_base_url_must_be_an_absolute_http_address(settings, value):
    settings.PLATFORM_BASE_URL = value
    assert ids(core.checks.platform_base_url()) == ["core.E002"]


@pytest.mark.parametrize("value", ["https://kurs.example.no", "http://127.0.0.1:8000/", "https://x.no/kurs"])
def test_platform_base_url_accepts_absolute_addresses(settings, value):
    settings.PLATFORM_BASE_URL = value
    assert core.checks.platform_base_url() == []


def test_private_media_root_is_required_and_kept_out_of_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = None
    assert ids(core.checks.private_media_root()) == ["core.E003"]
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "media" / "private"
    assert ids(core.checks.private_media_root()) == ["core.E004"]
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "media"
    assert ids(core.checks.private_media_root()) == ["core.E004"]
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    assert core.checks.private_media_root() == []


@pytest.mark.parametrize("value", [-1, "1", 1.5, True, None])
def test_trusted_proxy_count_must_be_a_whole_number_from_zero(settings, value):
    settings.TRUSTED_PROXY_COUNT = value
    assert ids(core.checks.trusted_proxy_count()) == ["core.E005"]


@pytest.mark.parametrize(
    ("name", "value", "check", "check_id"),
    [
        ("QUIZ_DEADLINE_GRACE_SECONDS", -1, assessment_checks.settings_check, "assessments.E001"),
        ("QUIZ_DEADLINE_GRACE_SECONDS", "30", assessment_checks.settings_check, "assessments.E001"),
        ("EVALUATION_MIN_RESPONSES", 0, assessment_checks.settings_check, "assessments.E002"),
        ("H5P_MAX_UPLOAD_BYTES", 0, h5p_checks.settings_check, "h5p.E001"),
        ("H5P_MAX_ENTRIES", -5, h5p_checks.settings_check, "h5p.E001"),
        ("H5P_MAX_COMPRESSION_RATIO", 0.5, h5p_checks.settings_check, "h5p.E001"),
        ("H5P_EXTRACT_INLINE_BYTES", -1, h5p_checks.settings_check, "h5p.E001"),
        ("H5P_MAX_JSON_BYTES", 0, h5p_checks.settings_check, "h5p.E001"),
        ("CERTIFICATE_VERIFY_PER_MINUTE", 0, certificate_checks.settings_check, "certificates.E001"),
        ("REQUIRED_LEARNING_REMINDER_DAYS", -7, requirement_checks.settings_check, "requirements.E001"),
    ],
)
def test_invalid_values_are_errors(settings, name, value, check, check_id):
    assert check() == []
    setattr(settings, name, value)
    assert ids(check()) == [check_id]


def test_edge_values_that_make_sense_pass(settings):
    settings.QUIZ_DEADLINE_GRACE_SECONDS = 0
    settings.REQUIRED_LEARNING_REMINDER_DAYS = 0  # remind on the due day
    settings.H5P_EXTRACT_INLINE_BYTES = 0  # always in the worker
    settings.H5P_MAX_COMPRESSION_RATIO = 250  # a whole number is a number too
    assert assessment_checks.settings_check() == []
    assert requirement_checks.settings_check() == []
    assert h5p_checks.settings_check() == []


def test_an_inflated_limit_below_the_upload_limit_contradicts_it(settings):
    settings.H5P_MAX_UPLOAD_BYTES = 200
    settings.H5P_MAX_INFLATED_BYTES = 100
    assert ids(h5p_checks.settings_check()) == ["h5p.E002"]


def test_the_h5p_player_must_be_among_the_static_files(settings, tmp_path):
    settings.STATICFILES_DIRS = [tmp_path]
    assert ids(h5p_checks.player_check()) == ["h5p.W001"]
    player = tmp_path / h5p_checks.PLAYER_SCRIPT
    player.parent.mkdir()
    player.write_text("// the player")
    assert h5p_checks.player_check() == []


def test_people_needs_its_own_user_model(settings):
    assert people_checks.user_model_check() == []
    settings.AUTH_USER_MODEL = "auth.User"
    assert ids(people_checks.user_model_check()) == ["people.E001"]


def test_the_language_middleware_comes_after_authentication(settings):
    assert people_checks.middleware_check() == []
    settings.MIDDLEWARE = [people_checks.LANGUAGE_MIDDLEWARE, people_checks.AUTHENTICATION_MIDDLEWARE]
    assert ids(people_checks.middleware_check()) == ["people.E002"]
    settings.MIDDLEWARE = [people_checks.LANGUAGE_MIDDLEWARE]
    assert ids(people_checks.middleware_check()) == ["people.E002"]
    settings.MIDDLEWARE = [people_checks.AUTHENTICATION_MIDDLEWARE]  # not used: nothing to check
    assert people_checks.middleware_check() == []


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("REQUIRED_LEARNING_REMINDER_DAYS", -1, "requirements.E001"),
        ("PLATFORM_BASE_URL", "kurs.example.no", "core.E002"),
        ("QUIZ_DEADLINE_GRACE_SECONDS", -30, "assessments.E001"),
        ("H5P_MAX_INFLATED_BYTES", 1, "h5p.E002"),
        ("CERTIFICATE_VERIFY_PER_MINUTE", 0, "certificates.E001"),
    ],
)
def test_manage_py_check_fails_on_a_bad_value(settings, name, value, message):
    """The checks are registered by the apps' ready(), so `manage.py check` runs them."""
    setattr(settings, name, value)
    with pytest.raises(SystemCheckError, match=message):
        call_command("check")


def test_the_scripts_of_the_activity_kinds_must_be_static_files(settings, tmp_path):
    from courses import checks as course_checks

    assert course_checks.activity_scripts_check() == []
    settings.STATICFILES_DIRS = [tmp_path]  # a host without the reference site's site/static
    [warning] = course_checks.activity_scripts_check()
    assert warning.id == "courses.W001" and "js/reflection-editor.js" in warning.msg


def test_someone_hears_of_deletion_requests(settings):
    assert people_checks.privacy_contact_check() == []
    settings.PRIVACY_CONTACT_EMAIL = "personvern"
    assert ids(people_checks.privacy_contact_check()) == ["people.E003"]
    settings.PRIVACY_CONTACT_EMAIL = ""
    settings.ADMINS = [("Drift", "drift@example.no")]
    assert people_checks.privacy_contact_check() == []
    settings.ADMINS = []
    assert ids(people_checks.privacy_contact_check()) == ["people.W001"]
