"""The demo keeps two-factor authentication required and gives its privileged users a known secret."""

import re
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.urls import reverse

from demo.second_factor import DEMO_TOTP_SECRET, current_code

pytestmark = pytest.mark.django_db

PRIVILEGED = {"kursholder@demo.example", "fagfelle@demo.example", "leder@demo.example", "admin@demo.example"}


def test_privileged_demo_users_sign_in_with_the_published_code(mfa_required, client):
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())  # repeatable: still one authenticator each
    with_app = set(
        Authenticator.objects.filter(type=Authenticator.Type.TOTP).values_list("user__email", flat=True)
    )
    assert with_app == PRIVILEGED
    assert Authenticator.objects.filter(type=Authenticator.Type.TOTP).count() == len(PRIVILEGED)

    response = client.post(
        reverse("account_login"), {"login": "admin@demo.example", "password": "demo-passord-2026"}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    out = StringIO()
    call_command("demo_code", stdout=out)
    code = re.search(r"Engangskode: (\d{6})", out.getvalue()).group(1)
    assert DEMO_TOTP_SECRET in out.getvalue()
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    assert client.get("/admin/").status_code == 200


def test_demo_code_is_the_authenticator_apps_code():
    # RFC 6238's counter for a known time, computed independently of allauth.
    import base64
    import hashlib
    import hmac
    import struct

    now = 1_800_000_015
    digest = hmac.new(base64.b32decode(DEMO_TOTP_SECRET), struct.pack(">Q", now // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    expected = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    assert current_code(now) == (f"{expected:06d}", 15)
