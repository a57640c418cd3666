from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode

from . import mfa


class LanguageMiddleware:
    """Choose the interface language: the profile's, else the cookie's, else bokmål.

    Replaces Django's LocaleMiddleware on purpose: the platform speaks
    Norwegian bokmål unless someone asks for English with the language switch
    or on their profile, whatever language their browser is set to.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        language = self.language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response

    def language_for(self, request) -> str:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.preferred_language in self.supported:
            return user.preferred_language
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if cookie in self.supported:
            return cookie
        return settings.LANGUAGE_CODE


class PrivilegedMFAMiddleware:
    """The one door to the privileged paths (PRIVILEGED_MFA_PATHS: the admin, the managers' pages).

    A privileged user (people.mfa.is_privileged) gets there only with a second factor set up
    (authenticator app or passkey/security key) and used in this session; without one they are
    sent to set it up, with one but signed in by password alone they are asked for it again.
    Everyone else passes: the views decide what they may see. After AuthenticationMiddleware and
    allauth's AccountMiddleware (check people.E012).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.redirect_for(request) or self.get_response(request)

    @staticmethod
    def redirect_for(request):
        if not mfa.protects(request.path_info):
            return None
        missing = mfa.missing_step(request)
        if missing is None:
            return None
        step, types = missing
        next_query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{mfa.step_url(step, types)}?{next_query}")
