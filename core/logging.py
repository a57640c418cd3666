"""Log records that say which request (or task) they belong to, and the formats they are written in.

Every record gets `request_id`: the id of the web request being handled (the proxy's X-Request-ID
when it sent a well-formed one, else one made here; see core.middleware.RequestIdMiddleware), or
of the request that queued the Celery task being run (core.task_signals carries it in the task's
headers). A contextvar holds it, so threads and asyncio tasks each see their own.

`LOG_FORMAT=json` (production) writes one JSON object per line through python-json-logger with
the keys `time`, `level`, `logger`, `message`, `request_id`, and `task_name`/`task_id` inside a
task; `text` (the default, for a newcomer's terminal) writes the same as one readable line. Both
blank out anything shaped like an e-mail address: an address that reaches a log through an
exception message (a refused SMTP recipient, say) is personal data the log must not keep.
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
# What a proxy's id may look like (nginx's $request_id is 32 hex digits; a UUID has dashes).
# Anything else, or nothing, is replaced by a new id: it is written into every log line, so it
# must not carry line breaks, quotes or text a client made up at length.
WELL_FORMED_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
NO_REQUEST = "-"

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
EMAIL_REPLACEMENT = "[e-mail address removed]"


def new_request_id() -> str:
    return uuid.uuid4().hex


def request_id_from(header_value: str | None) -> str:
    """The proxy's id when it is well formed, otherwise a new one."""
    if header_value and WELL_FORMED_REQUEST_ID.match(header_value):
        return header_value
    return new_request_id()


def current_request_id() -> str | None:
    return request_id.get()


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (and, inside a Celery task, `task_name` and `task_id`) to every record.

    Installed on the handlers (settings.LOGGING), so records that propagate from any logger,
    Django's, Celery's and third-party ones included, get the fields."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get() or NO_REQUEST
        task = _current_task()
        if task is not None:
            record.task_name = task.name
            record.task_id = task.request.id
        return True


def _current_task():
    try:
        from celery import current_task
    except ImportError:  # a host site without Celery
        return None
    task = current_task
    # An unbound proxy is falsy; an eagerly run task has a request id as well.
    return task if task and getattr(task.request, "id", None) else None


def _redact(text: str) -> str:
    return EMAIL_ADDRESS.sub(EMAIL_REPLACEMENT, text)


class TextFormatter(logging.Formatter):
    """One readable line per record, with the request id; e-mail addresses removed."""

    def __init__(self, fmt: str | None = None, **kwargs):
        fmt = fmt or "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
        super().__init__(fmt, defaults={"request_id": NO_REQUEST}, **kwargs)

    def format(self, record: logging.LogRecord) -> str:
        return _redact(super().format(record))


class JsonFormatter(_JsonFormatter):
    """One JSON object per record (python-json-logger); e-mail addresses removed.

    `request` (Django's request object) and `data` (Celery's task context, with the task's
    arguments and return value) are left out of the extra fields: the fields a log keeps are
    chosen here, not by whatever object a library attaches."""

    FIELDS = ("asctime", "levelname", "name", "message", "request_id")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"})
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request", "data"])
        if not args and "fmt" not in kwargs:
            kwargs["fmt"] = list(self.FIELDS)
        super().__init__(*args, **kwargs)

    def format(self, record: logging.LogRecord) -> str:
        return _redact(super().format(record))
