"""The H5P player on an origin of its own (H5P_PLAYER_ORIGIN, h5p/player_origin.py).

The platform answers as http://testserver; the player host is http://h5p.testserver. The player
page there is opened by the ticket in the frame's address, never by a session; only the player and
its files answer there, and the platform's host no longer serves them.
"""

import json
import re
from html import unescape
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.core.checks import Error
from django.test import Client, RequestFactory
from django.urls import reverse

from config.settings.base import with_player_host
from courses import services
from courses.models import Enrolment
from h5p import player_origin
from h5p.blocks import H5PBlock
from h5p.checks import player_origin_check
from h5p.models import H5PResult, H5PStatus
from h5p.views import FILE_CSP, content_token
from tests.h5p.players import VIDEO_PLAYER_DIRECTIVES, csp_directives, module_with_h5p, post, statement

pytestmark = pytest.mark.django_db

ORIGIN = "http://h5p.testserver"
PLAYER_HOST = "h5p.testserver"


@pytest.fixture
def own_origin(settings):
    settings.H5P_PLAYER_ORIGIN = ORIGIN
    return ORIGIN


def _frame_src(client, module) -> str:
    page = client.get(module.url)
    assert page.status_code == 200
    match = re.search(r'<iframe class="h5p-activity__frame" src="([^"]+)"', page.content.decode())
    return unescape(match.group(1))


def _ticket(client, module) -> str:
    return parse_qs(urlsplit(_frame_src(client, module)).query)["billett"][0]


def _player(module, block_id, ticket=None, *, client=None):
    query = {} if ticket is None else {"billett": ticket}
    return (client or Client()).get(
        reverse("h5p:player", args=[module.pk, block_id]), query, HTTP_HOST=PLAYER_HOST
    )


def _signed(claims: dict) -> str:
    return signing.dumps(claims, salt=player_origin.TICKET_SALT)


def _claims(ticket: str) -> dict:
    return signing.loads(ticket, salt=player_origin.TICKET_SALT)


def test_the_module_page_frames_the_player_host_with_a_ticket(client, user, setup, own_origin):
    _course, module, block_id = setup
    client.force_login(user)
    page = client.get(module.url)
    html = page.content.decode()
    src = _frame_src(client, module)
    assert src.startswith(f"{ORIGIN}{reverse('h5p:player', args=[module.pk, block_id])}?billett=")
    assert 'sandbox="allow-scripts allow-downloads allow-same-origin"' in html
    assert f'data-player-origin="{ORIGIN}"' in html
    frame_src = re.search(r"frame-src ([^;]+)", page["Content-Security-Policy"]).group(1).split()
    assert ORIGIN in frame_src
    claims = _claims(_ticket(client, module))
    assert (claims["u"], claims["m"], claims["b"], claims["o"]) == (
        user.pk,
        module.pk,
        block_id,
        "http://testserver",
    )
    assert user.email not in json.dumps(claims)


def test_the_player_host_plays_for_the_tickets_learner_without_a_session(client, user, setup, own_origin):
    _course, module, block_id = setup
    client.force_login(user)
    ticket = _ticket(client, module)
    response = _player(module, block_id, ticket)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "sandbox allow-scripts allow-same-origin" in csp
    assert "frame-ancestors http://testserver;" in csp
    assert "X-Frame-Options" not in response  # frame-ancestors decides, and names the platform
    assert not response.cookies  # nothing is set on the player host: no session, no CSRF cookie
    assert response["Cache-Control"] == "private, no-store"
    options = response.context["options"]
    assert options["parentOrigin"] == "http://testserver"
    player_address = f"http://testserver{reverse('h5p:player', args=[module.pk, block_id])}"
    assert options["player"]["xAPIObjectIRI"] == player_address
    assert user.email not in response.content.decode()
    assert H5PResult.objects.filter(user=user, module=module).exists()
    # The frame's statements still reach the server through the module page (session + CSRF).
    answered = post(client, module, block_id, statement(module, block_id), token=options["xapiToken"])
    assert answered.status_code == 200, answered.content
    # The frame's files are on the player host too.
    files = options["player"]["h5pJsonPath"] + "/h5p.json"
    assert Client().get(files, HTTP_HOST=PLAYER_HOST).status_code == 200


def test_an_expired_ticket_is_refused(client, user, setup, own_origin, monkeypatch):
    _course, module, block_id = setup
    client.force_login(user)
    clock = SimpleNamespace(now=1_800_000_000.0)
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: clock.now))  # the signer's clock
    ticket = _ticket(client, module)
    clock.now += 301  # just over the five minutes
    refused = _player(module, block_id, ticket)
    assert refused.status_code == 403
    assert "Aktiviteten er utløpt eller ikke åpnet riktig" in refused.content.decode()
    assert not H5PResult.objects.filter(user=user, module=module).exists()
    clock.now -= 2  # just under
    assert _player(module, block_id, ticket).status_code == 200


def test_a_tampered_or_missing_ticket_is_refused_and_changes_nothing(client, user, setup, own_origin):
    _course, module, block_id = setup
    client.force_login(user)
    ticket = _ticket(client, module)
    payload, _, rest = ticket.partition(":")
    tampered = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + ":" + rest
    other_salt = signing.dumps(_claims(ticket), salt="h5p-player-xapi")
    for bad in (tampered, other_salt, "", "nonsense"):
        assert _player(module, block_id, bad).status_code == 403
    assert _player(module, block_id).status_code == 403
    # The learner's own session cookie does not stand in for a ticket on the player host.
    assert _player(module, block_id, client=client).status_code == 403
    assert not H5PResult.objects.filter(user=user, module=module).exists()


def test_a_ticket_opens_only_its_own_learners_player(client, user, other_user, setup, own_origin):
    course, module, block_id = setup
    services.enrolment_create(user=other_user, course=course)
    client.force_login(user)
    claims = _claims(_ticket(client, module))
    # Another learner's id with this learner's binding (signed with the right key) is refused.
    assert _player(module, block_id, _signed({**claims, "u": other_user.pk})).status_code == 403
    # A password change (a new session auth hash) voids the tickets issued before it.
    ticket = _ticket(client, module)
    user.set_password("et-helt-nytt-passord-123")
    user.save()
    assert _player(module, block_id, ticket).status_code == 403
    assert not H5PResult.objects.filter(module=module).exists()


def test_a_ticket_opens_only_its_own_block(client, user, setup, h5p_content, own_origin):
    course, module, block_id = setup
    other_module, other_block = module_with_h5p(course, h5p_content)
    client.force_login(user)
    ticket = _ticket(client, module)
    assert _player(other_module, other_block, ticket).status_code == 403
    assert _player(module, "annen-blokk", ticket).status_code == 403
    # Bound to the content too: a ticket for other content than the block now holds is refused.
    assert _player(module, block_id, _signed({**_claims(ticket), "c": "0" * 32})).status_code == 404
    assert not H5PResult.objects.filter(user=user).exists()


def test_a_ticket_of_someone_no_longer_enrolled_opens_nothing(client, user, setup, own_origin):
    _course, module, block_id = setup
    client.force_login(user)
    ticket = _ticket(client, module)
    Enrolment.objects.filter(user=user).delete()
    assert _player(module, block_id, ticket).status_code == 404


def test_only_the_player_and_its_files_answer_on_the_player_host(
    client, user, setup, h5p_content, own_origin
):
    _course, module, block_id = setup
    client.force_login(user)
    anyone = Client()
    for path in (
        "/",
        "/konto/login/",
        module.url,
        "/admin/",
        reverse("h5p:xapi", args=[module.pk, block_id]),
    ):
        assert anyone.get(path, HTTP_HOST=PLAYER_HOST).status_code == 404, path
        # Not even with the learner's session cookie, were it ever sent there.
        assert client.get(path, HTTP_HOST=PLAYER_HOST).status_code == 404, path
    content_file = reverse("h5p:content_files", args=[content_token(h5p_content), "h5p.json"])
    assert anyone.get(content_file, HTTP_HOST=PLAYER_HOST).status_code == 200
    # On the platform's host the player and its files are gone; its pages are as before.
    assert client.get(reverse("h5p:player", args=[module.pk, block_id])).status_code == 404
    assert client.get(content_file).status_code == 404
    assert client.get(module.url).status_code == 200


def test_without_the_setting_the_player_stays_sandboxed_on_the_platform(client, user, setup, settings):
    settings.H5P_PLAYER_ORIGIN = ""
    _course, module, block_id = setup
    client.force_login(user)
    html = client.get(module.url).content.decode()
    assert 'sandbox="allow-scripts allow-downloads"' in html and 'data-player-origin=""' in html
    response = client.get(reverse("h5p:player", args=[module.pk, block_id]))
    assert response.status_code == 200
    assert "allow-same-origin" not in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    "overrides, ids",
    [
        ({}, []),
        ({"H5P_PLAYER_ORIGIN": ""}, []),
        ({"SESSION_COOKIE_DOMAIN": ".example.no"}, ["h5p.E004"]),
        (
            {"SESSION_COOKIE_DOMAIN": "example.no", "CSRF_COOKIE_DOMAIN": ".example.no"},
            ["h5p.E004", "h5p.E004"],
        ),
        ({"SESSION_COOKIE_DOMAIN": "h5p.example.no"}, ["h5p.E004"]),
        ({"SESSION_COOKIE_DOMAIN": "kurs.example.no"}, []),  # the platform's own host: not the player's
        ({"SESSION_COOKIE_DOMAIN": "ample.no"}, []),  # a suffix of the name, not a parent domain
        ({"H5P_PLAYER_ORIGIN": "https://h5p.example.no/spill"}, ["h5p.E003"]),
        ({"H5P_PLAYER_ORIGIN": "h5p.example.no"}, ["h5p.E003"]),
        ({"H5P_PLAYER_ORIGIN": "https://kurs.example.no"}, ["h5p.E005"]),
        ({"CSRF_TRUSTED_ORIGINS": ["https://kurs.example.no"]}, []),
        ({"CSRF_TRUSTED_ORIGINS": ["https://h5p.example.no"]}, ["h5p.E006"]),
        ({"CSRF_TRUSTED_ORIGINS": ["https://*.example.no"]}, ["h5p.E006"]),
    ],
)
def test_the_system_check_refuses_cookies_that_reach_the_player_host(settings, overrides, ids):
    settings.H5P_PLAYER_ORIGIN = "https://h5p.example.no"
    settings.PLATFORM_BASE_URL = "https://kurs.example.no"
    settings.SESSION_COOKIE_DOMAIN = None
    settings.CSRF_COOKIE_DOMAIN = None
    settings.CSRF_TRUSTED_ORIGINS = []
    for name, value in overrides.items():
        setattr(settings, name, value)
    errors = player_origin_check()
    assert [error.id for error in errors] == ids
    assert all(isinstance(error, Error) for error in errors)


def test_the_player_host_joins_the_allowed_hosts():
    assert with_player_host(["kurs.example.no"], "https://h5p.example.no") == [
        "kurs.example.no",
        "h5p.example.no",
    ]
    assert with_player_host(["kurs.example.no"], "") == ["kurs.example.no"]
    assert with_player_host(["*"], "https://h5p.example.no") == ["*"]


def test_every_visit_has_the_same_file_addresses(client, user, setup, own_origin):
    _course, module, block_id = setup
    client.force_login(user)
    first = _player(module, block_id, _ticket(client, module)).context["options"]["player"]
    again = _player(module, block_id, _ticket(client, module)).context["options"]["player"]
    # Cacheable by the browser across visits: the same content and library addresses.
    assert (first["h5pJsonPath"], first["librariesPath"]) == (again["h5pJsonPath"], again["librariesPath"])


def test_on_its_own_origin_the_player_csp_lets_the_same_video_services_in(client, user, setup, own_origin):
    _course, module, block_id = setup
    client.force_login(user)
    response = _player(module, block_id, _ticket(client, module))
    assert response.status_code == 200
    assert csp_directives(response["Content-Security-Policy"]) == {
        **VIDEO_PLAYER_DIRECTIVES,
        "frame-ancestors": ["http://testserver"],
        "sandbox": ["allow-scripts", "allow-same-origin", "allow-downloads"],
    }


def _frame_ancestors(response) -> list[str]:
    return csp_directives(response["Content-Security-Policy"])["frame-ancestors"]


def test_every_answer_of_the_player_host_may_be_framed_by_the_platform_only(
    client, user, setup, h5p_content, own_origin, settings
):
    """Issue 18: the player host's error pages showed the browser's refusal in the module page's
    frame (X-Frame-Options SAMEORIGIN, frame-ancestors 'self'): now the Norwegian message."""
    settings.PLATFORM_BASE_URL = "http://testserver/"
    _course, module, block_id = setup
    client.force_login(user)
    ticket = _ticket(client, module)
    refused = _player(module, block_id, "nonsense")
    other_content = _player(module, block_id, _signed({**_claims(ticket), "c": "0" * 32}))
    not_a_player_route = Client().get("/", HTTP_HOST=PLAYER_HOST)
    h5p_content.status = H5PStatus.PROCESSING
    h5p_content.save(update_fields=["status"])
    not_ready = _player(module, block_id, ticket)
    answers = [(refused, 403), (other_content, 404), (not_a_player_route, 404), (not_ready, 503)]
    for response, status in answers:
        assert response.status_code == status
        assert "X-Frame-Options" not in response, status
        assert _frame_ancestors(response) == ["http://testserver"], status
    assert "Aktiviteten er utløpt eller ikke åpnet riktig" in refused.content.decode()
    # The files too (their own strict policy kept), and the player page as before (its ticket's origin).
    h5p_content.status = H5PStatus.READY
    h5p_content.save(update_fields=["status"])
    played = _player(module, block_id, ticket)
    assert (played.status_code, _frame_ancestors(played)) == (200, ["http://testserver"])
    assert "X-Frame-Options" not in played
    content_file = Client().get(
        played.context["options"]["player"]["h5pJsonPath"] + "/h5p.json", HTTP_HOST=PLAYER_HOST
    )
    assert content_file.status_code == 200 and "X-Frame-Options" not in content_file
    assert content_file["Content-Security-Policy"].startswith(FILE_CSP)
    assert _frame_ancestors(content_file) == ["http://testserver"]
    # On the platform's own host nothing changes: its pages may be framed by itself only.
    page = client.get(module.url)
    assert page["X-Frame-Options"] == "SAMEORIGIN" and _frame_ancestors(page) == ["'self'"]


def _rendered_block(module, block_id, content, user) -> str:
    request = RequestFactory().get(module.url)
    request.user = user
    block = H5PBlock()
    value = block.to_python({"content": content.pk, "completion_rule": "opened", "pass_percent": 80})
    return block.render(value, context={"request": request, "page": module, "block_id": block_id})


def _frame_attributes(html: str) -> tuple[str, str, str]:
    """(src, sandbox, data-player-origin) of a rendered H5P block."""
    src = unescape(re.search(r'<iframe class="h5p-activity__frame" src="([^"]*)"', html).group(1))
    sandbox = re.search(r'sandbox="([^"]*)"', html).group(1)
    origin = re.search(r'data-player-origin="([^"]*)"', html).group(1)
    return src, sandbox, origin


def test_the_frame_keeps_an_origin_only_on_the_player_host(user, setup, h5p_content, settings):
    """Issue 18: allow-same-origin went with the setting, also on the fallback address on the
    platform's host (scripts and same-origin there would undo the sandbox); now only with the player
    host's address, whose messages the module page then takes from that origin."""
    _course, module, block_id = setup
    player_path = reverse("h5p:player", args=[module.pk, block_id])
    settings.H5P_PLAYER_ORIGIN = ORIGIN
    src, sandbox, origin = _frame_attributes(_rendered_block(module, block_id, h5p_content, user))
    assert src.startswith(f"{ORIGIN}{player_path}?billett=")
    assert (sandbox, origin) == ("allow-scripts allow-downloads allow-same-origin", ORIGIN)
    # No ticket can be made without a signed-in learner: the platform's address, sandboxed.
    fallback = _frame_attributes(_rendered_block(module, block_id, h5p_content, AnonymousUser()))
    assert fallback == (player_path, "allow-scripts allow-downloads", "")
    settings.H5P_PLAYER_ORIGIN = ""
    sandboxed = _frame_attributes(_rendered_block(module, block_id, h5p_content, user))
    assert sandboxed == (player_path, "allow-scripts allow-downloads", "")
