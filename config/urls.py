from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from core.health import CeleryBroker, PrivateStorage, ReadinessView, liveness
from core.metrics import metrics

urlpatterns = [
    # The admin signs in through allauth (rate limits, no enumeration); its own
    # login page only forwards there.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
    ),
    # Health: «live» for the process manager (no services touched), «klar» for the load balancer
    # (database, cache, public and private storage; the Celery broker when CELERY_BROKER_URL is set).
    path("helse/live/", liveness, name="health_live"),
    path(
        "helse/klar/",
        ReadinessView.as_view(
            checks=["health_check.Database", "health_check.Cache", "health_check.Storage", PrivateStorage],
            broker_checks=[CeleryBroker],
        ),
        name="health_ready",
    ),
    # Prometheus: only from METRICS_ALLOWED_NETWORKS or with METRICS_TOKEN, 404 for anyone else.
    path("metrics", metrics, name="metrics"),
    path("admin/", include(wagtailadmin_urls)),
    path("dokumenter/", include(wagtaildocs_urls)),
    path("konto/", include("people.urls")),
    path("konto/", include("allauth.urls")),
    path("", include("courses.urls")),
    path("", include("certificates.urls")),
    path("", include("assessments.urls")),
    path("", include("reports.urls")),
    path("", include("requirements.urls")),
    path("", include("h5p.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns.append(path("", include(wagtail_urls)))
