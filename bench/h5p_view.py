"""Benchmark: server time and requests of an H5P module view, against a plain module page.

    .venv/bin/python bench/h5p_view.py [--rounds 15]

Uploads the real true-false package (tests/h5p/packages.py FIXTURE, ten libraries), puts it in a
module, and walks what chromium does for one view of that module, through Django's test client
(the whole middleware stack, no network):
  the module page (with the learner's session), the player frame page, then every file the
  player fetches from inside its sandboxed frame, without cookies, as h5p-standalone does:
  h5p.json, the library.json probe, content.json, each library's library.json (following the
  dependencies) and every preloaded script and style sheet (joined into one of each, h5p/bundles.py,
  when the platform does so). A file the player page hands over (options.preloaded, answered by
  js/h5p-sandbox-shims.js) costs no request.
Static files (WhiteNoise) and what the style sheets pull in (fonts, images) are left out. Each
request asks for gzip, as browsers do.

Chromium keeps nothing in its HTTP cache for a sandboxed frame's requests (opaque origin;
tests/e2e/test_h5p_caching.py), so no browser cache is assumed. A shared cache in front of Django
(the reverse proxy's) is: it keeps a response marked `public` with a `max-age` until it expires.
  first view:  the proxy's cache empty (or no proxy),
  later view:  any later view of content using the same libraries, by anyone,
  plain:       a module page of the same course with text only.
The kinds take turns, round by round, a second apart (a token signed within the same second as
an earlier one would repeat it); each figure is the median of its rounds. The last line is
`ratio: N.NN`, the first view's server time (no cache anywhere) over the plain module page's
(issue #18 measured 4.8); the later view's ratio is printed above it.
"""

import argparse
import gzip
import json
import logging
import posixpath
import re
import statistics
import time
from dataclasses import dataclass, field

from benchsetup import throwaway_database

OPTIONS = re.compile(r'<script id="h5p-options" type="application/json">(.*?)</script>', re.S)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    with throwaway_database(log_level=logging.WARNING, private_media="bench-h5p-view-"):
        run(args.rounds)


@dataclass
class Proxy:
    """A shared cache in front of Django: fresh `public` responses are answered without Django."""

    fresh: dict[str, tuple[float, bytes]] = field(default_factory=dict)


@dataclass
class View:
    seconds: float = 0.0
    requests: int = 0
    from_proxy: int = 0
    preloaded: int = 0
    bytes: int = 0


def fetch(
    client, url: str, view: View, *, proxy: Proxy | None = None, preloaded: dict | None = None
) -> bytes:
    from django.utils.cache import get_max_age

    if preloaded is not None and url in preloaded:
        view.preloaded += 1
        return json.dumps(preloaded[url]).encode()
    now = time.time()
    if proxy is not None and proxy.fresh.get(url, (0, b""))[0] > now:
        view.from_proxy += 1
        return proxy.fresh[url][1]
    started = time.perf_counter()
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    view.seconds += time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    view.requests += 1
    view.bytes += len(raw)
    body = gzip.decompress(raw) if response.get("Content-Encoding") == "gzip" else raw
    cache_control = response.get("Cache-Control", "")
    if proxy is not None and "public" in cache_control and (max_age := get_max_age(response)):
        proxy.fresh[url] = (now + max_age, body)
    return body


def folder(dependency: dict) -> str:
    return f"{dependency['machineName']}-{dependency['majorVersion']}.{dependency['minorVersion']}"


def h5p_view(learner, frame, module_url: str, player_url: str, proxy: Proxy) -> View:
    """One view of the H5P module: the requests chromium makes, in h5p-standalone's order."""
    view = View()
    fetch(learner, module_url, view)
    page = fetch(learner, player_url, view).decode()
    options = json.loads(OPTIONS.search(page).group(1))
    player, preloaded = options["player"], options.get("preloaded", {})
    base = player["h5pJsonPath"].rstrip("/")
    content = (player.get("contentJsonPath") or f"{base}/content").rstrip("/")
    libraries = player["librariesPath"].rstrip("/")

    def get(url: str) -> bytes:
        return fetch(
            frame, posixpath.normpath(url), view, proxy=proxy, preloaded=preloaded
        )  # "..", as browsers do

    h5p_json = json.loads(get(f"{base}/h5p.json"))
    get(f"{libraries}/{folder(h5p_json['preloadedDependencies'][0])}/library.json")
    get(f"{content}/content.json")
    queue = [folder(d) for d in h5p_json["preloadedDependencies"]]
    seen: dict[str, dict] = {}
    while queue:
        name = queue.pop(0)
        if name in seen:
            continue
        seen[name] = json.loads(get(f"{libraries}/{name}/library.json"))
        queue += [folder(d) for d in seen[name].get("preloadedDependencies", [])]
    for name, library in seen.items():
        for asset in library.get("preloadedJs", []) + library.get("preloadedCss", []):
            get(f"{libraries}/{name}/{asset['path']}")
    return view


def plain_view(learner, url: str) -> View:
    view = View()
    fetch(learner, url, view)
    return view


def run(rounds: int) -> None:
    from django.test import Client
    from django.urls import reverse

    from courses import services
    from h5p.services import h5p_content_create
    from people.models import User
    from tests.factories import UserFactory, make_catalogue, make_course, make_module
    from tests.h5p.packages import FIXTURE
    from tests.h5p.players import module_with_h5p

    admin = User.objects.create_superuser(email="bench@test.example", password=None)
    content = h5p_content_create(data=FIXTURE.read_bytes(), user=admin, title="Sant eller usant")
    course = make_course(make_catalogue(), modules=0, title="Kurs med H5P")
    plain = make_module(course, title="Tekst")
    module, block_id = module_with_h5p(course, content)
    user = UserFactory(email="deltaker@test.example")
    services.enrolment_create(user=user, course=course)
    learner = Client()
    learner.force_login(user)
    frame = Client()  # the sandboxed frame has an opaque origin: no cookies
    player_url = reverse("h5p:player", args=[module.pk, block_id])
    h5p_view(learner, frame, module.url, player_url, Proxy())  # warm-up: templates, first queries
    plain_view(learner, plain.url)

    first, later, bare = [], [], []
    for _round in range(rounds):
        proxy = Proxy()
        first.append(h5p_view(learner, frame, module.url, player_url, proxy))
        time.sleep(1.1)
        later.append(h5p_view(learner, frame, module.url, player_url, proxy))
        bare.append(plain_view(learner, plain.url))

    def median_ms(views: list[View]) -> float:
        return statistics.median(v.seconds for v in views) * 1000

    for label, views in (("first view", first), ("later view", later), ("plain module page", bare)):
        v = views[-1]
        print(
            f"{label:18} {median_ms(views):7.1f} ms server time; {v.requests} requests to Django, "
            f"{v.from_proxy} answered by the proxy's cache, {v.preloaded} preloaded; "
            f"{v.bytes / 1024:.0f} KiB sent by Django"
        )
    print(f"later-view ratio (proxy cache warm): {median_ms(later) / median_ms(bare):.2f}")
    print(f"ratio: {median_ms(first) / median_ms(bare):.2f}")


if __name__ == "__main__":
    main()
