"""compose.yaml starts the documented production topology, with the environment the settings read.

Docker is not needed: the file is parsed and compared with config/settings/production.py (every
variable it requires without a default is given; every variable given is read by some setting) and
with deploy/nginx.conf (its upstream is exactly the app servers, on the port gunicorn binds).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "config" / "settings"
APP_SERVERS = ("app1", "app2")
APP_PROCESSES = (*APP_SERVERS, "worker", "beat", "migrate")
# Read by Django itself or by a library from the environment, not by our settings.
READ_OUTSIDE_SETTINGS = {"DJANGO_SETTINGS_MODULE", "PROMETHEUS_MULTIPROC_DIR"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def environment_reads(path: Path) -> dict[str, bool]:
    """{variable: has a default} for each env(...), env.<cast>(...) and os.environ read in a settings file."""
    reads: dict[str, bool] = {}
    for node in ast.walk(ast.parse(path.read_text())):
        name = None
        if isinstance(node, ast.Call):
            function = node.func
            is_env = (isinstance(function, ast.Name) and function.id == "env") or (
                isinstance(function, ast.Attribute)
                and isinstance(function.value, ast.Name)
                and function.value.id == "env"
            )
            is_os = isinstance(function, ast.Attribute) and ast.unparse(function) in (
                "os.environ.get",
                "os.getenv",
            )
            if (is_env or is_os) and node.args and isinstance(node.args[0], ast.Constant):
                name = node.args[0].value
                has_default = is_os or any(keyword.arg == "default" for keyword in node.keywords)
        elif (
            isinstance(node, ast.Subscript)
            and ast.unparse(node.value) == "os.environ"
            and isinstance(node.slice, ast.Constant)
        ):
            name, has_default = node.slice.value, False
        if isinstance(name, str):
            reads[name] = reads.get(name, False) or has_default
    return reads


def test_the_topology_has_every_process(services):
    assert {
        "nginx", "app1", "app2", "worker", "beat", "migrate", "create-buckets", "postgres", "redis", "s3"
    } <= set(services)  # fmt: skip
    for name in APP_PROCESSES:
        assert services[name]["build"] == ".", f"{name} runs the image built from the Dockerfile"
        assert services[name]["image"] == "helsepedagogikk:local"
    assert services["app1"]["command"][:2] == ["gunicorn", "config.wsgi"]
    assert services["app1"]["command"] == services["app2"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]
    beats = [name for name, service in services.items() if "beat" in service.get("command", [])]
    assert beats == ["beat"], "one beat only, or every periodic job runs twice"


def test_app_processes_share_one_production_environment(services):
    environments = [services[name]["environment"] for name in APP_PROCESSES]
    assert all(environment == environments[0] for environment in environments)
    assert environments[0]["DJANGO_SETTINGS_MODULE"] == "config.settings.production"


def test_every_required_production_setting_is_given(services):
    required = {
        name for name, has_default in environment_reads(SETTINGS / "production.py").items() if not has_default
    }
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL"} <= required  # the parser finds them
    missing = required - set(services["app1"]["environment"])
    assert not missing, f"compose.yaml lacks variables production.py requires: {sorted(missing)}"


def test_every_variable_given_is_read_by_the_settings(services):
    read = set()
    for path in SETTINGS.glob("*.py"):
        read |= set(environment_reads(path))
    unknown = set(services["app1"]["environment"]) - read - READ_OUTSIDE_SETTINGS
    assert not unknown, f"compose.yaml sets variables no setting reads (misspelt?): {sorted(unknown)}"


def test_the_secrets_come_from_outside_the_file(services):
    environment = services["app1"]["environment"]
    assert environment["DJANGO_SECRET_KEY"].startswith("${DJANGO_SECRET_KEY:?")
    assert "${POSTGRES_PASSWORD:?" in environment["DATABASE_URL"]
    assert services["postgres"]["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")


def test_app_servers_start_after_migrations_buckets_and_static_files(services):
    migrate = " ".join(services["migrate"]["command"])
    assert "manage.py migrate" in migrate and "manage.py collectstatic" in migrate
    for name in (*APP_SERVERS, "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        assert depends["create-buckets"]["condition"] == "service_completed_successfully"
    assert services["create-buckets"]["command"] == ["python", "deploy/create_buckets.py"]


def test_nginx_balances_exactly_the_app_servers(services):
    nginx = services["nginx"]
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in nginx["volumes"]
    assert set(nginx["depends_on"]) == set(APP_SERVERS)
    config = (ROOT / "deploy" / "nginx.conf").read_text()
    upstream = re.search(r"upstream app_servers \{(.*?)\}", config, re.DOTALL).group(1)
    servers = re.findall(r"^\s*server ([\w.-]+):(\d+)", upstream, re.MULTILINE)
    for name in APP_SERVERS:
        bind = services[name]["command"][services[name]["command"].index("--bind") + 1]
        assert (name, bind.rpartition(":")[2]) in servers
    assert len(servers) == len(APP_SERVERS)
    assert "proxy_pass http://app_servers;" in config


def test_the_h5p_player_has_a_host_of_its_own_that_nginx_passes_on(services):
    """The player host (H5P_PLAYER_ORIGIN) is another site than the platform to a browser, and the
    proxy answers it too and passes its Host on, so the app tells the two apart."""
    environment = services["app1"]["environment"]
    player = urlsplit(environment["H5P_PLAYER_ORIGIN"])
    platform = urlsplit(environment["PLATFORM_BASE_URL"])
    assert player.scheme == platform.scheme and player.path == ""
    assert player.hostname != platform.hostname
    # Nor may it post to the platform as the learner (h5p.E006).
    assert environment["H5P_PLAYER_ORIGIN"] not in environment["DJANGO_CSRF_TRUSTED_ORIGINS"].split(",")
    config = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "server_name _;" in config and "proxy_set_header Host $http_host;" in config
