"""Start tests/sso/op.mjs (panva's oidc-provider) on a free port and stop it again.

Used by the SSO tests (tests/sso/conftest.py) and the browser journey (tests/e2e).
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OP_SCRIPT = Path(__file__).with_name("op.mjs")
START_TIMEOUT = 20  # seconds for the provider to listen


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Provider:
    """The running provider: its issuer URL and the test accounts it knows."""

    def __init__(self, issuer: str, accounts_file: Path):
        self.issuer = issuer
        self.accounts_file = accounts_file

    def set_accounts(self, accounts: dict) -> None:
        """{login: {"password": …, "claims": {…}}}; the provider reads the file at each lookup."""
        tmp = self.accounts_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(accounts))
        tmp.replace(self.accounts_file)

    def owns(self, url: str) -> bool:
        return url.startswith(self.issuer + "/")


def _wait_until_ready(process, port: int, log_path: Path) -> str:
    """The issuer once the provider prints «ready» and accepts connections; a bounded wait."""
    deadline = time.monotonic() + START_TIMEOUT
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        if selector.select(timeout=0.2):
            line = process.stdout.readline()
            if line.startswith("ready "):
                with socket.create_connection(("127.0.0.1", port), timeout=2):
                    return line.split()[1]
    process.kill()
    process.wait(timeout=5)
    pytest.fail(f"OpenID Connect-testtjenesten startet ikke:\n{log_path.read_text()}", pytrace=False)


@contextlib.contextmanager
def running_provider(folder: Path, clients: list[dict]):
    """The provider, listening on 127.0.0.1 with these clients, for the duration of the block."""
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "oidc-provider").is_dir():
        pytest.fail("SSO-testene trenger Node og npm-pakken oidc-provider (make install).", pytrace=False)
    port = _free_port()
    accounts_file = folder / "accounts.json"
    accounts_file.write_text("{}")
    log_path = folder / "op.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [node, str(OP_SCRIPT)],
            cwd=ROOT,
            env={
                **os.environ,
                "OP_PORT": str(port),
                "OP_CLIENTS": json.dumps(clients),
                "OP_ACCOUNTS": str(accounts_file),
            },
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        try:
            issuer = _wait_until_ready(process, port, log_path)
            yield Provider(issuer, accounts_file)
        finally:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
