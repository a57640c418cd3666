"""Two app servers behind nginx share everything: a learner's journey alternates between them throughout.

The production topology in small (compose.yaml): two gunicorn servers with the production settings
(tests/topology/settings.py: DEBUG off, configured by the environment), one Celery worker, this test's
PostgreSQL database, Redis for the cache and the broker, the S3 server of tests/s3server.py for every
file, and nginx in front with deploy/nginx.conf, pointed at the two servers. nginx balances round-robin
and says which server answered (a header only the test's copy of the configuration adds); the test
asserts that every request went to the other server than the one before. So the learner signs in on
one server and is known on the other, enrols, completes a module, starts, saves and hands in a quiz,
completes the course, and downloads the kursbevis the worker rendered into object storage, each step
served by the other server: nothing the journey needs lives in one server's memory or on its disk.

Skips without nginx or Redis unless REQUIRE_BROWSER_TESTS is set (CI installs nginx), and on SQLite.
Redis databases: TEST_TOPOLOGY_CACHE_URL (default redis://127.0.0.1:6379/9) and
TEST_TOPOLOGY_BROKER_URL (default .../10); both are emptied.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from bs4 import BeautifulSoup
from django.db import connection

from tests.markers import requires_postgresql

ROOT = Path(__file__).resolve().parents[2]
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
CACHE_URL = os.environ.get("TEST_TOPOLOGY_CACHE_URL", "redis://127.0.0.1:6379/9")
BROKER_URL = os.environ.get("TEST_TOPOLOGY_BROKER_URL", "redis://127.0.0.1:6379/10")
START_SECONDS = 90  # two app servers and a worker importing Django and Wagtail on a busy machine
PDF_SECONDS = 60  # the worker rendering the kursbevis
SERVED_BY = "X-Served-By"

pytestmark = [requires_postgresql, pytest.mark.django_db(transaction=True)]


def _unavailable(reason: str):
    if os.environ.get("REQUIRE_BROWSER_TESTS"):
        pytest.fail(f"To-servertesten er påkrevd, men {reason}", pytrace=False)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(condition, *, seconds: float, what: str, processes=()):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        for process in processes:
            if process.poll() is not None:
                pytest.fail(f"{process.name} stopped while waiting for {what}:\n{process.log()}")
        time.sleep(0.2)
    logs = "\n".join(f"--- {process.name}\n{process.log()}" for process in processes)
    pytest.fail(f"timed out after {seconds} s waiting for {what}\n{logs}")


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=5).status_code == 200
    except requests.RequestException:  # not listening yet, or still loading the application
        return False


class Process:
    """A subprocess with its output in a file, for the failure message."""

    def __init__(self, name: str, command: list[str], *, env: dict, folder: Path):
        self.name = name
        self.log_path = folder / f"{name}.log"
        self.popen = subprocess.Popen(  # noqa: S603 - our own interpreter and nginx, our own arguments
            command, cwd=ROOT, env=env, stdout=self.log_path.open("wb"), stderr=subprocess.STDOUT
        )

    def poll(self):
        return self.popen.poll()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        if self.popen.poll() is None:
            # gunicorn: SIGINT is its quick shutdown (SIGTERM waits for requests to end, up to 30 s).
            self.popen.send_signal(signal.SIGINT if self.name.startswith("app") else signal.SIGTERM)
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=5)


def nginx_config(folder: Path, *, listen: int, app_ports: list[int]) -> Path:
    """deploy/nginx.conf with the test's addresses, inside a minimal main configuration of its own.

    The copy also names the server that answered each request (SERVED_BY), which the deployment
    does not need to tell anyone.
    """
    site = NGINX_CONF.read_text()
    replacements = [
        (r"server app1:8000", f"server 127.0.0.1:{app_ports[0]}"),
        (r"server app2:8000", f"server 127.0.0.1:{app_ports[1]}"),
        (r"listen 80;", f"listen 127.0.0.1:{listen};"),
        (
            "proxy_pass http://app_servers;",
            f"proxy_pass http://app_servers;\n        add_header {SERVED_BY} $upstream_addr always;",
        ),
    ]
    for pattern, replacement in replacements:
        site, count = re.subn(re.escape(pattern), replacement, site)
        assert count == 1, f"deploy/nginx.conf no longer has «{pattern}» exactly once"
    (folder / "site.conf").write_text(site)
    temp = folder / "temp"
    temp.mkdir()
    main = folder / "nginx.conf"
    main.write_text(
        f"""worker_processes 2;
pid {folder}/nginx.pid;
events {{ worker_connections 128; }}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {folder}/site.conf;
}}
"""
    )
    return main


@pytest.fixture
def topology(s3_storages, settings, tmp_path):
    """Two app servers, a worker and nginx; yields nginx's address and the two servers' addresses."""
    import redis

    # This process writes the test's pages and site, and must tell the servers as an editor's server
    # would: Wagtail and the platform forget cached routes, sites and menus in the shared cache.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }

    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        _unavailable("nginx er ikke installert (apt-get install nginx-light)")
    for url in (CACHE_URL, BROKER_URL):
        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        try:
            client.flushdb()  # no session, cached page or message from an earlier run
        except redis.exceptions.ConnectionError:
            _unavailable(f"Redis svarer ikke på {url}")
        finally:
            client.close()

    database = connection.settings_dict
    database_url = "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(
        **{key: database[key] or "" for key in ("USER", "PASSWORD", "HOST", "PORT", "NAME")}
    )
    listen, app_ports = _free_port(), [_free_port(), _free_port()]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.topology.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "CACHE_URL": CACHE_URL,
        "CELERY_BROKER_URL": BROKER_URL,
        "EMAIL_URL": "consolemail://",
        "DEFAULT_FROM_EMAIL": "kurs@test.example",
        "PLATFORM_BASE_URL": f"http://127.0.0.1:{listen}",
        "TRUSTED_PROXY_COUNT": "1",
        **s3_storages.environment,
        "PYTHONPATH": str(ROOT),
    }
    # The local-disk folders the settings would fall back to: they must stay empty (asserted below).
    env["MEDIA_ROOT"], env["PRIVATE_MEDIA_ROOT"] = str(tmp_path / "media"), str(tmp_path / "private-media")
    python = [sys.executable, "-m"]
    processes = [
        Process(
            f"app{number}",
            [
                *python,
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "2",
            ],
            env=env,
            folder=tmp_path,
        )  # fmt: skip
        for number, port in enumerate(app_ports, start=1)
    ]
    processes.append(
        Process(
            "worker",
            [
                *python, "celery", "-A", "config", "worker", "--pool", "solo", "--loglevel", "info",
                "--hostname", f"topology{os.getpid()}@%h", "--without-gossip", "--without-mingle",
                "--without-heartbeat",
            ],
            env=env,
            folder=tmp_path,
        )
    )  # fmt: skip
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    config = nginx_config(prefix, listen=listen, app_ports=app_ports)
    # In the foreground, as a child of this test, logging into its temporary folder.
    processes.append(
        Process(
            "nginx",
            [
                nginx,
                "-p",
                str(prefix),
                "-c",
                str(config),
                "-e",
                str(prefix / "error.log"),
                "-g",
                "daemon off;",
            ],
            env=env,
            folder=tmp_path,
        )
    )
    try:
        for port in app_ports:
            _wait_for(
                lambda port=port: _answers(f"http://127.0.0.1:{port}/helse/live/"),
                seconds=START_SECONDS,
                what=f"the app server on {port}",
                processes=processes,
            )
        _wait_for(
            lambda: "ready." in processes[2].log(),
            seconds=START_SECONDS,
            what="the worker",
            processes=processes,
        )
        _wait_for(
            lambda: _answers(f"http://127.0.0.1:{listen}/helse/live/"),
            seconds=30,
            what="nginx",
            processes=processes,
        )
        yield {
            "url": f"http://127.0.0.1:{listen}",
            "servers": {f"127.0.0.1:{port}" for port in app_ports},
            "folders": [tmp_path / "media", tmp_path / "private-media"],
            "processes": processes,
        }
    finally:
        for process in reversed(processes):
            process.stop()


class Learner:
    """A browser without JavaScript: a cookie jar, forms sent as the HTML has them, and the server that
    answered every response (redirects included) noted in order."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.session = requests.Session()
        self.served_by: list[tuple[str, str]] = []
        self.session.hooks["response"].append(self._note)

    def _note(self, response, *args, **kwargs):
        request = f"{response.request.method} {response.request.path_url} -> {response.status_code}"
        self.served_by.append((response.headers.get(SERVED_BY, "?"), request))

    def get(self, path: str) -> requests.Response:
        response = self.session.get(urljoin(self.base_url, path), timeout=30)
        assert response.status_code == 200, f"GET {path}: {response.status_code}"
        return response

    def submit(self, page: requests.Response, selector: str, data: dict | None = None, *, button=None):
        """Post the form `selector` of `page` with what the HTML fills in (hidden fields, checked choices,
        selected options), `data` on top, and the pressed `button` (name, value)."""
        form = BeautifulSoup(page.text, "html.parser").select_one(selector)
        assert form is not None, f"no form «{selector}» on {page.url}"
        fields: list[tuple[str, str]] = []
        for field in form.select("input[name], select[name], textarea[name]"):
            name, kind = field["name"], field.get("type", "text")
            if field.name == "select":
                chosen = field.select("option[selected]")[:1] or field.select("option")[:1]
                fields += [(name, option.get("value", option.text)) for option in chosen]
            elif field.name == "textarea":
                fields.append((name, field.text))
            elif kind in ("radio", "checkbox"):
                if field.has_attr("checked"):
                    fields.append((name, field.get("value", "on")))
            elif kind not in ("submit", "button", "file"):
                fields.append((name, field.get("value", "")))
        for name, value in (data or {}).items():
            fields = [(n, v) for n, v in fields if n != name]
            fields += [(name, v) for v in value] if isinstance(value, list | tuple) else [(name, value)]
        if button:
            fields.append(button)
        response = self.session.post(
            urljoin(page.url, form.get("action") or page.url), data=fields, timeout=30
        )
        assert response.status_code == 200, f"POST {selector} on {page.url}: {response.status_code}"
        return response


def test_a_learner_journey_alternates_between_two_app_servers(topology, s3_storages):
    from pypdf import PdfReader

    from assessments.models import AttemptAnswer, QuizAttempt
    from certificates.models import Certificate
    from courses.models import Enrolment
    from courses.selectors import course_modules
    from people.hashers import PlatformArgon2PasswordHasher
    from tests.factories import (
        TEST_PASSWORD,
        UserFactory,
        add_quiz_block,
        correct_post,
        make_catalogue,
        make_certificate_template,
        make_course,
        make_quiz,
        q_multiple,
        q_single,
        q_true_false,
    )

    course = make_course(make_catalogue(), title="Smittevern på to servere", modules=2)
    make_certificate_template(course)
    first, second = course_modules(course)
    quiz = make_quiz(course, questions=[q_single(), q_true_false(), q_multiple()])
    add_quiz_block(second, quiz)
    learner = UserFactory(email="to.servere@test.example", first_name="Åse", last_name="Ødegård")
    # The app servers hash with the production settings' Argon2id, not the test settings' MD5.
    hasher = PlatformArgon2PasswordHasher()
    learner.password = hasher.encode(TEST_PASSWORD, hasher.salt())
    learner.save(update_fields=["password"])

    # The metrics are for the monitoring on the inside only.
    assert requests.get(f"{topology['url']}/metrics", timeout=10).status_code == 404

    browser = Learner(topology["url"])
    # Sign in: the session written by one server is read by the other.
    page = browser.submit(
        browser.get("/konto/login/"),
        "form:has(input[name=password])",
        {"login": learner.email, "password": TEST_PASSWORD},
    )
    assert page.url.endswith("/mine-kurs/") and "Logg ut" in page.text

    # Enrol, and complete the first module
    page = browser.submit(browser.get(course.url), f"form[action='/laering/kurs/{course.pk}/meld-pa/']")
    assert Enrolment.objects.filter(user=learner, course=course).exists()
    page = browser.submit(browser.get(first.url), f"form[action='/laering/modul/{first.pk}/fullfor/']")
    assert page.url.endswith(second.url), "sent on to the next module"

    # The quiz: started on one server, answers saved on the next, read back and handed in on a third request
    page = browser.submit(page, "form[action*='/test/'][action$='/start/']")
    attempt = QuizAttempt.objects.get(public_id=re.search(r"/laering/test/([0-9a-f-]+)/", page.url).group(1))
    answers = correct_post(attempt)
    page_fields = {
        field["name"] for field in BeautifulSoup(page.text, "html.parser").select("[data-quiz-form] [name]")
    }
    assert set(answers) <= page_fields, "the page's fields carry the attempt's form tokens"
    page = browser.submit(page, "form[data-quiz-form]", answers, button=("action", "save"))
    assert "Svarene er lagret." in page.text
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == len(attempt.questions)
    page = browser.submit(
        page, "form[data-quiz-form]", button=("action", "submit")
    )  # the saved answers, as shown
    attempt.refresh_from_db()
    assert page.url.endswith("/resultat/") and attempt.passed, "handed in with the saved answers, all right"

    # The course is complete; the worker renders the kursbevis into object storage
    enrolment = Enrolment.objects.get(user=learner, course=course)
    assert enrolment.completed_at is not None
    certificate = Certificate.objects.get(user=learner, course=course)
    pdf_link = f"a[href='/mine-kursbevis/{certificate.public_id}/pdf/']"
    deadline = time.monotonic() + PDF_SECONDS
    while not BeautifulSoup((listing := browser.get("/mine-kursbevis/")).text, "html.parser").select_one(
        pdf_link
    ):
        assert time.monotonic() < deadline, (
            "the kursbevis PDF was not rendered:\n" + topology["processes"][2].log()
        )
        time.sleep(1)
    assert "render_certificate_pdf" in topology["processes"][2].log(), "rendered by the Celery worker"
    pdf = browser.get(BeautifulSoup(listing.text, "html.parser").select_one(pdf_link)["href"])
    assert pdf.headers["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Åse Ødegård" in text and certificate.serial in text

    # Anyone verifies it, through whichever server
    employer = Learner(topology["url"])
    verified = employer.get(f"/verifiser/{certificate.verification_code}/")
    assert "Gyldig" in verified.text and "Åse Ødegård" in verified.text

    # Every request went to the other server than the one before, and both servers took part
    walk = browser.served_by + employer.served_by
    servers = [server for server, _request in walk]
    assert set(servers) == topology["servers"], walk
    repeats = [walk[i] for i in range(1, len(walk)) if servers[i] == servers[i - 1]]
    assert not repeats, f"requests served twice in a row by one server: {repeats}"
    assert len(walk) >= 15
    # Every file is in object storage, none on a server's disk
    certificate.refresh_from_db()
    assert certificate.pdf.name in s3_storages.server.keys(s3_storages.private_bucket)
    assert not [
        path
        for folder in topology["folders"]
        if folder.exists()
        for path in folder.rglob("*")
        if path.is_file()
    ]
