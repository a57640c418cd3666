from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from .forms import ProfileForm
from .models import DeletionRequest, User
from .services import deletion_request_create


@require_POST
def set_language(request):
    """Django's language switch, which also remembers the choice on the profile."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        User.objects.filter(pk=request.user.pk).update(preferred_language=language)
    return response


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        translation.activate(user.preferred_language)
        response = redirect("people:profile")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.preferred_language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
        )
        messages.success(request, _("Profilen din er lagret."))
        return response
    open_deletion_request = DeletionRequest.objects.filter(
        user=request.user, status=DeletionRequest.Status.OPEN
    ).first()
    return render(
        request, "people/profile.html", {"form": form, "open_deletion_request": open_deletion_request}
    )


@login_required
@require_POST
def deletion_request(request):
    """«Be om sletting»: recorded for the administrators and mailed to the privacy contact."""
    deletion, created = deletion_request_create(user=request.user)
    if created:
        messages.success(
            request,
            _(
                "Forespørselen om sletting er sendt. Vi behandler den innen 30 dager og gir deg "
                "beskjed på e-post."
            ),
        )
    else:
        messages.info(
            request,
            _(
                "Du har allerede en forespørsel om sletting som ikke er behandlet ennå (sendt %(date)s). "
                "Vi gir deg beskjed på e-post når den er behandlet."
            )
            % {"date": date_format(timezone.localtime(deletion.requested_at), "j. F Y")},
        )
    return redirect("people:profile")
