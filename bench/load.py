"""Load test: simulated learners against the production topology in small, with locust (headless).

    make bench-load                                   # installs the bench extra, then runs this
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/load.py \\
        [--users 200] [--seconds 180] [--spawn-rate 10] [--workers 4]
    ... bench/load.py --peak [--peak-users 2000] [--seconds 180]

Sets up a throw-away PostgreSQL database (benchsetup.throwaway_database) with the demo catalogue
(`manage.py load_demo`) and the learner accounts, then starts gunicorn (--workers, production
settings as tests/topology/settings.py has them for plain HTTP: DEBUG off, Argon2id, Redis) and one
Celery worker, with Redis for the cache (BENCH_CACHE_URL, default redis://127.0.0.1:6379/9) and the
broker (BENCH_BROKER_URL, default .../10); both Redis databases are emptied.

Default mode: --users learners arrive at --spawn-rate per second (the login wave) and each, with 10–30 s
of thinking between pages, logs in, browses the catalogue, opens a course, enrols, opens a module and,
where it has a quiz, starts it, saves answers (the page's autosave) and hands them in. Forms are read
from the HTML as a browser reads them: the quiz's field names and values are the attempt's form tokens.
Each learner sends its own X-Forwarded-For (TRUSTED_PROXY_COUNT=1), as learners behind a proxy
would, so the per-address sign-in limits apply per learner.

--peak: --peak-users learners in one unit get the same required course at once, through the service
the managers' «Tildel et kurs» page calls (requirements.services.assignment_create); the reminders
task runs (in this process, e-mail to memory); then they all arrive within seconds (the spawn wave):
log in, open «Mine kurs», the course, enrol and open its first module.

Prints p50/p95/p99 per endpoint and the errors, the login wave and the steady state apart (default
mode), the assignment and reminder times (peak mode), and last `ratio: N.NN`: the overall p95 (the
first visits' p95 with --peak) over 300 ms. Run it with nothing else busy on the machine; print
`uptime` beside the figures.
"""

# locust patches the standard library for gevent when imported: before anything opens a socket.
import locust  # noqa: I001, F401
from locust import HttpUser, between, events, task
from locust.exception import StopUser
from locust.env import Environment

import argparse
import collections
import itertools
import logging
import os
import random
import re
import secrets
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import gevent
import requests
from bs4 import BeautifulSoup

from benchsetup import throwaway_database

ROOT = Path(__file__).resolve().parent.parent
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/9")
BROKER_URL = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/10")
PASSWORD = "Bench-passord-for-last-2026"  # noqa: S105 - throw-away accounts in a throw-away database
TARGET_P95_MS = 300
START_SECONDS = 120


@dataclass
class Site:
    """What the simulated learners are told before they start (as a bookmark would)."""

    catalogue_url: str = ""
    course_urls: list[str] = field(default_factory=list)
    accounts: itertools.count | None = None
    peak_course_url: str = ""


SITE = Site()
SAMPLES: list[tuple[float, str, float, bool]] = []  # (when, endpoint, milliseconds, failed)
FAILURES: collections.Counter = collections.Counter()  # (endpoint, what went wrong) -> times


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **kwargs):
    SAMPLES.append((time.monotonic(), name, response_time, exception is not None))
    if exception is not None:
        FAILURES[(name, str(exception)[:120])] += 1


# The simulated learner -------------------------------------------------------------------------


FORM = re.compile(r"<form\b.*?</form>", re.DOTALL | re.IGNORECASE)


def find_form(html: str, selector: str):
    """The first form matching a CSS selector. Only the forms are parsed, not the whole page: the load
    generator shares the CPU with the servers, and parsing every page whole would slow every simulated
    learner (one process, cooperative greenlets) and so inflate the very times it measures."""
    for snippet in FORM.findall(html):
        form = BeautifulSoup(snippet, "html.parser").select_one(selector)
        if form is not None:
            return form
    return None


def links_below(html: str, prefix: str) -> list[str]:
    """Addresses of the pages under `prefix` that the page links to (a course's modules)."""
    found = re.findall(r'href="(' + re.escape(prefix) + r'[^"#?]+)"', html)
    return list(dict.fromkeys(found))


def form_fields(form) -> list[tuple[str, str]]:
    """What a browser sends for a form as the page has it (hidden fields, checked choices, selections)."""
    fields = []
    for element in form.select("input[name], select[name], textarea[name]"):
        name, kind = element["name"], element.get("type", "text")
        if element.name == "select":
            chosen = element.select("option[selected]")[:1]
            fields += [(name, option.get("value", option.text)) for option in chosen]
        elif element.name == "textarea":
            fields.append((name, element.text))
        elif kind in ("radio", "checkbox"):
            if element.has_attr("checked"):
                fields.append((name, element.get("value", "on")))
        elif kind not in ("submit", "button", "file"):
            fields.append((name, element.get("value", "")))
    return fields


def quiz_answers(form) -> list[tuple[str, str]]:
    """Answers as a learner clicks them: one choice per radio group, some boxes, each list set, and the
    places of an ordering question all different (the same place twice is refused as a slip)."""
    answers = [(n, v) for n, v in form_fields(form) if not n.startswith("q:") or n.endswith(":shown")]
    radios: dict[str, list[str]] = {}
    for element in form.select("input[type=radio][name^='q:']"):
        radios.setdefault(element["name"], []).append(element["value"])
    answers += [(name, random.choice(values)) for name, values in radios.items()]
    boxes: dict[str, list[str]] = {}
    for element in form.select("input[type=checkbox][name^='q:']"):
        boxes.setdefault(element["name"], []).append(element["value"])
    for name, values in boxes.items():
        answers += [(name, value) for value in random.sample(values, random.randint(1, len(values)))]
    selects: dict[str, list] = {}
    for element in form.select("select[name^='q:']"):
        selects.setdefault(element["name"].rsplit(":", 1)[0], []).append(element)
    for group in selects.values():
        choices = [[o["value"] for o in s.select("option[value]") if o["value"]] for s in group]
        if all(value.isdigit() for value in choices[0]):  # an ordering question: places 1..n
            places = random.sample(choices[0], len(group))
            answers += [(s["name"], place) for s, place in zip(group, places, strict=True)]
        else:
            answers += [(s["name"], random.choice(c)) for s, c in zip(group, choices, strict=True)]
    return answers


class SimulatedLearner(HttpUser):
    wait_time = between(10, 30)

    def on_start(self):
        number = next(SITE.accounts)
        self.email = f"laerer{number:05d}@last.example"
        self.client.headers["X-Forwarded-For"] = f"10.{number // 65536}.{number // 256 % 256}.{number % 256}"
        page = self.get("/konto/login/", "login page", signed_in=False)
        if page is not None:
            self.post(
                page, "form:has(input[name=password])", {"login": self.email, "password": PASSWORD}, "login"
            )

    # Requests: a GET or a form post, each named by its endpoint; a page that sends the learner to the
    # login page counts as a failure (the session was lost).

    def get(self, url: str, name: str, *, signed_in: bool = True):
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return None
            if signed_in and "/konto/login/" in response.url:
                response.failure("sent to the login page")
                return None
            return response

    def post(self, page, selector: str, data: dict | None, name: str, *, answers=None, follow: str = ""):
        form = find_form(page.text, selector)
        if form is None:
            return None
        fields = answers if answers is not None else form_fields(form)
        for key, value in (data or {}).items():
            fields = [(k, v) for k, v in fields if k != key] + [(key, value)]
        action = requests.compat.urljoin(page.url, form.get("action") or page.url)
        with self.client.post(
            action, data=fields, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code not in (200, 302, 303):
                response.failure(f"HTTP {response.status_code}")
                return None
            location = response.headers.get("Location", "")
        if location and "/konto/login/" in location and name != "login":
            return None
        return (
            self.get(location, follow or f"{name} → page", signed_in=name != "login")
            if location
            else response
        )

    @task
    def study(self):
        self.get(SITE.catalogue_url, "catalogue")
        self.wait()
        course_url = random.choice(SITE.course_urls)
        course = self.get(course_url, "course")
        if course is None:
            return
        enrolled = self.post(course, "form[action$='/meld-pa/']", None, "enrol", follow="course")
        course = enrolled or course
        modules = links_below(course.text, course_url)
        if not modules:
            return
        self.wait()
        module = self.get(random.choice(modules), "module")
        if module is None:
            return
        resume = re.search(r'href="(/laering/test/[0-9a-f-]+/)"', module.text)
        if resume is not None:
            attempt = self.get(resume.group(1), "quiz attempt")
        else:
            attempt = self.post(module, "form[action$='/start/']", None, "quiz start", follow="quiz attempt")
        if attempt is None or "/laering/test/" not in attempt.url or "/resultat/" in attempt.url:
            return
        form = find_form(attempt.text, "form[data-quiz-form]")
        if form is None:
            return
        self.wait()
        answers = quiz_answers(form)
        # The page's autosave: the same fields, asking for JSON.
        with self.client.post(
            attempt.url,
            data=[*answers, ("action", "save")],
            headers={"Accept": "application/json"},
            name="quiz save",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or not response.json().get("ok"):
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")
                return
        self.wait()
        self.post(
            attempt,
            "form[data-quiz-form]",
            {"action": "submit"},
            "quiz submit",
            answers=answers,
            follow="quiz result",
        )


class FirstVisitor(HttpUser):
    """--peak: a learner who has just been told about a required course: one visit, then gone."""

    wait_time = between(1, 3)

    def on_start(self):
        SimulatedLearner.on_start(self)

    get = SimulatedLearner.get
    post = SimulatedLearner.post

    @task
    def first_visit(self):
        self.get("/mine-kurs/", "my courses")
        self.wait()
        course = self.get(SITE.peak_course_url, "course")
        if course is None:
            return
        course = self.post(course, "form[action$='/meld-pa/']", None, "enrol", follow="course") or course
        modules = links_below(course.text, SITE.peak_course_url)
        if modules:
            self.wait()
            self.get(modules[0], "module")
        raise StopUser  # one visit: the wave is the figure


# Set-up ----------------------------------------------------------------------------------------


def make_accounts(count: int, *, unit=None) -> None:
    """Learners laerer00000@last.example …, with the production hasher, in bulk."""
    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from people.hashers import PlatformArgon2PasswordHasher
    from people.models import Membership, ParticipantType, User

    hasher = PlatformArgon2PasswordHasher()
    encoded = hasher.encode(PASSWORD, hasher.salt())  # one hash for all: the cost is in verifying it
    users = User.objects.bulk_create(
        User(
            email=f"laerer{number:05d}@last.example",
            first_name="Lærer",
            last_name=f"{number:05d}",
            participant_type=ParticipantType.HEALTH_PERSONNEL,
            profession="Sykepleier",
            password=encoded,
        )
        for number in range(count)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
    )
    if unit is not None:
        today = timezone.localdate()
        Membership.objects.bulk_create(
            Membership(user=user, unit=unit, role="member", joined_at=today) for user in users
        )


def analyse() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


class Server:
    def __init__(self, name: str, command: list[str], env: dict, folder: Path):
        self.name, self.log_path = name, folder / f"{name}.log"
        self.popen = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command, cwd=ROOT, env=env, stdout=self.log_path.open("wb"), stderr=subprocess.STDOUT
        )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()


@contextmanager
def platform(*, workers: int, folder: Path, media: Path, private_media: Path):
    """gunicorn and a Celery worker on this database; yields the base URL."""
    import redis
    from django.db import connection

    for url in (CACHE_URL, BROKER_URL):
        redis.Redis.from_url(url).flushdb()
    database = connection.settings_dict
    port = 8000 + random.randint(100, 899)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.topology.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(
            **{key: database[key] or "" for key in ("USER", "PASSWORD", "HOST", "PORT", "NAME")}
        ),
        "CACHE_URL": CACHE_URL,
        "CELERY_BROKER_URL": BROKER_URL,
        "EMAIL_URL": "dummymail://",
        "DEFAULT_FROM_EMAIL": "kurs@last.example",
        "PLATFORM_BASE_URL": f"http://127.0.0.1:{port}",
        "TRUSTED_PROXY_COUNT": "1",
        "MEDIA_ROOT": str(media),
        "PRIVATE_MEDIA_ROOT": str(private_media),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    python = [sys.executable, "-m"]
    gunicorn = ["gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    worker = ["celery", "-A", "config", "worker", "--concurrency", "1", "--loglevel", "warning"]
    servers = [
        Server("gunicorn", [*python, *gunicorn], env, folder),
        Server("worker", [*python, *worker], env, folder),
    ]
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                if requests.get(f"{base_url}/helse/live/", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline or servers[0].popen.poll() is not None:
                raise SystemExit(f"gunicorn did not start:\n{servers[0].log()}")
            time.sleep(0.5)
        yield base_url, {"app server": servers[0].popen.pid, "Celery worker": servers[1].popen.pid}
    finally:
        for server in servers:
            server.stop()


def warm_up(base_url: str, *, workers: int) -> None:
    """Each gunicorn worker compiles templates and fills its caches on its first requests; a server in
    service has done that long ago, so the first learners should not pay for it."""
    from gevent.pool import Pool

    urls = ["/konto/login/", SITE.catalogue_url, *SITE.course_urls] * workers
    pool = Pool(workers * 2)
    for _round in range(3):
        pool.map(lambda url: requests.get(base_url + url, timeout=120), urls)


# Running and reporting -------------------------------------------------------------------------


def run_locust(user_class, *, base_url: str, users: int, spawn_rate: float, seconds: int) -> float:
    """Run headless for `seconds`; returns the monotonic time the run started."""
    environment = Environment(user_classes=[user_class], events=events, host=base_url)
    runner = environment.create_local_runner()
    started = time.monotonic()
    runner.start(users, spawn_rate=spawn_rate)
    gevent.spawn_later(seconds, runner.quit)
    runner.greenlet.join()
    return started


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))] if ordered else 0.0


def report(samples, title: str) -> float:
    """Print p50/p95/p99 per endpoint and overall; returns the overall p95 (ms)."""
    print(f"\n{title}")
    print(f"  {'endpoint':<22}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    names = sorted({name for _when, name, _ms, _failed in samples})
    for name in [*names, "all"]:
        chosen = [s for s in samples if name in ("all", s[1])]
        times = [s[2] for s in chosen]
        errors = sum(1 for s in chosen if s[3])
        print(
            f"  {name:<22}{len(chosen):>9}{errors:>8}{percentile(times, 0.5):>9.0f}"
            f"{percentile(times, 0.95):>9.0f}{percentile(times, 0.99):>9.0f}"
        )
    return percentile([s[2] for s in samples], 0.95)


def cpu_seconds(pid: int, *, with_children: bool = True) -> float:
    """CPU time (user + system) a process and its children have used so far."""
    import psutil

    try:
        process = psutil.Process(pid)
        processes = [process, *(process.children(recursive=True) if with_children else [])]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for each in processes:
        try:
            times = each.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def cpu_report(pids: dict[str, int], before: dict[str, float], seconds: float) -> None:
    used = {
        name: cpu_seconds(pid, with_children=pid != os.getpid()) - before[name] for name, pid in pids.items()
    }
    shares = ", ".join(f"{name} {value:.0f} s" for name, value in used.items())
    available = os.cpu_count() * seconds
    print(f"\nCPU during the run: {shares}, of {os.cpu_count()} cores × {seconds:.0f} s = {available:.0f} s")
    # What a request costs the app server, whatever else the machine was doing: the figure that
    # says how many learners two cores of its own would carry.
    if SAMPLES:
        per_request = used["app server"] / len(SAMPLES) * 1000
        print(f"app server CPU per request: {per_request:.1f} ms ({len(SAMPLES)} requests)")


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def print_errors() -> None:
    print(f"\nerrors: {sum(FAILURES.values())}")
    for (name, message), times in FAILURES.most_common(15):
        print(f"  {times:>6} × {name}: {message}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=float, default=10.0, help="learners arriving per second")
    parser.add_argument("--seconds", type=int, default=180, help="how long the load runs")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--peak", action="store_true", help="the required-course peak instead")
    parser.add_argument("--peak-users", type=int, default=2000)
    parser.add_argument("--peak-spawn-rate", type=float, default=100.0)
    args = parser.parse_args()
    logging.getLogger("locust").setLevel(logging.WARNING)

    folder = Path(tempfile.mkdtemp(prefix="bench-load-"))
    media, private_media = folder / "media", folder / "private-media"
    os.environ["MEDIA_ROOT"] = str(media)  # read when Django sets up, just below
    with throwaway_database(log_level=logging.WARNING):
        from django.conf import settings
        from django.db import connection

        if connection.vendor != "postgresql":
            raise SystemExit("bench/load.py needs PostgreSQL: DATABASE_URL=postgres://…")
        from django.core.management import call_command

        from courses.models import CourseCatalogPage, CoursePage

        settings.PRIVATE_MEDIA_ROOT = private_media
        started = time.perf_counter()
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115 - quiet for the figures
        print(f"demo catalogue loaded in {time.perf_counter() - started:.1f} s")
        catalogue = CourseCatalogPage.objects.live().first()
        courses = list(CoursePage.objects.live().descendant_of(catalogue))
        SITE.catalogue_url = catalogue.url
        SITE.course_urls = [course.url for course in courses]
        SITE.accounts = itertools.count()
        if args.peak:
            peak_setup(args, courses)
        else:
            make_accounts(args.users)
        analyse()
        print(f"load average before the run: {load_average()}")
        with platform(workers=args.workers, folder=folder, media=media, private_media=private_media) as (
            base_url,
            pids,
        ):
            warm_up(base_url, workers=args.workers)
            pids["load generator"] = os.getpid()
            cpu_before = {
                name: cpu_seconds(pid, with_children=pid != os.getpid()) for name, pid in pids.items()
            }
            run_started = time.monotonic()
            if args.peak:
                started = run_locust(
                    FirstVisitor,
                    base_url=base_url,
                    users=args.peak_users,
                    spawn_rate=args.peak_spawn_rate,
                    seconds=args.seconds,
                )
                p95 = report(
                    SAMPLES, f"first visits of {args.peak_users} learners (spawn {args.peak_spawn_rate:g}/s)"
                )
            else:
                started = run_locust(
                    SimulatedLearner,
                    base_url=base_url,
                    users=args.users,
                    spawn_rate=args.spawn_rate,
                    seconds=args.seconds,
                )
                wave_end = started + args.users / args.spawn_rate + 30
                report([s for s in SAMPLES if s[0] <= wave_end], "login wave (spawning, and 30 s after)")
                report([s for s in SAMPLES if s[0] > wave_end], "steady state")
                p95 = report(
                    SAMPLES, f"whole run: {args.users} learners, {args.seconds} s, {args.workers} workers"
                )
            cpu_report(pids, cpu_before, time.monotonic() - run_started)
        print_errors()
        print(f"load average after the run: {load_average()}")
    print(f"ratio: {p95 / TARGET_P95_MS:.2f}")


def peak_setup(args, courses) -> None:
    """Learners in one unit, the same required course for all of them, the reminders sent; timed."""
    from datetime import timedelta

    from django.core import mail
    from django.utils import timezone

    from people.models import OrganisationUnit
    from requirements.services import assignment_create
    from requirements.tasks import send_required_learning_reminders

    unit = OrganisationUnit.objects.create(name="Helseforetaket (last)", unit_type="annet")
    make_accounts(args.peak_users, unit=unit)
    analyse()
    course = courses[0]
    SITE.peak_course_url = course.url
    started = time.perf_counter()
    assignment = assignment_create(
        by=None, course=course, unit=unit, due_date=timezone.localdate() + timedelta(days=3)
    )
    assigned = time.perf_counter() - started
    print(f"assignment: {assignment.requirements.count()} learners in {assigned * 1000:.0f} ms")
    mail.outbox = []
    started = time.perf_counter()
    sent = send_required_learning_reminders()
    reminded = time.perf_counter() - started
    print(f"reminders task: {sent} reminders ({len(mail.outbox)} e-mails) in {reminded * 1000:.0f} ms")


if __name__ == "__main__":
    main()
