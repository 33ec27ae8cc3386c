"""Log lines: one format for web, worker and beat, what each line is about, personal data masked.

`settings.LOGGING` sends every record through one console handler with two filters and one of
two formatters (`LOG_FORMAT`): `text` (the default, for a terminal) or `json` (one JSON object a
line, python-json-logger). `LogContextFilter` adds the request id, user, office, complaint
number and task id that the code bound for the request or task under way (`bind`);
`MaskPersonalData` masks phone numbers and e-mail addresses in the message, its arguments, the
traceback and every extra field, so no customer's number reaches a log file (docs/operations.md).

Nothing here imports a model: the web side binds in `LogContextMiddleware` and where a view
loads a complaint, the Celery side in `config.celery` (task id and name).
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid
from contextlib import contextmanager
from datetime import datetime
from urllib.parse import unquote

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

CONTEXT_FIELDS = ("request_id", "user", "office", "complaint", "task_id", "task")
_context: contextvars.ContextVar[dict | None] = contextvars.ContextVar("log_context", default=None)


def _fields() -> dict:
    return _context.get() or {}


def bind(**fields) -> None:
    """Add fields (`complaint="HY-202611-0042"`, `office="HY"`) to every later line of the
    request or task under way; None leaves a field out."""
    _context.set({**_fields(), **{k: v for k, v in fields.items() if v is not None}})


def clear() -> None:
    _context.set(None)


def push(**fields) -> contextvars.Token:
    """`bind`, undone by `pop(token)`: for a span with a start and an end (a Celery task)."""
    return _context.set({**_fields(), **{k: v for k, v in fields.items() if v is not None}})


def pop(token: contextvars.Token) -> None:
    try:
        _context.reset(token)
    except ValueError:  # set in another context (a thread that ended): nothing to restore
        clear()


@contextmanager
def bound(**fields):
    """`bind` for the block only: the fields bound before it are restored after it."""
    token = push(**fields)
    try:
        yield
    finally:
        pop(token)


def current() -> dict:
    return dict(_fields())


class LogContextFilter(logging.Filter):
    """Puts the bound context on the record (each field, None when not bound)."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = _fields()
        for field in CONTEXT_FIELDS:
            if not hasattr(record, field):
                setattr(record, field, context.get(field))
        return True


# A mainland mobile number (+86 optional, spaces or hyphens between the groups) or a landline
# with its area code; not a run of digits inside a longer token (a request id, a number).
PHONE = re.compile(
    r"(?<![0-9A-Za-z])(?P<head>(?:(?:\+|%2[Bb])?86[\s-]?)?1[3-9]\d)[\s-]?\d{4}[\s-]?(?P<tail>\d{4})(?![0-9])"
    r"|(?<![0-9A-Za-z])(?P<area>0\d{2,3})-\d{3,4}(?P<end>\d{4})(?![0-9])"
)
# `%40` is an `@` in a URL's query string.
EMAIL = re.compile(
    r"(?P<first>[A-Za-z0-9])[A-Za-z0-9._%+-]*?(?:@|%40)(?P<domain>[A-Za-z0-9.-]+\.[A-Za-z]+)"
)


def _phone(match: re.Match) -> str:
    if match.group("head"):
        return f"{match.group('head')}****{match.group('tail')}"
    return f"{match.group('area')}-****{match.group('end')}"


def mask(text: str) -> str:
    """`13800138000` → `138****8000`, `wang.li@example.cn` → `w***@example.cn`."""
    return EMAIL.sub(r"\g<first>***@\g<domain>", PHONE.sub(_phone, text))


_PLAIN = (int, float, bool, type(None))
_RECORD_FIELDS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", *CONTEXT_FIELDS}


class MaskPersonalData(logging.Filter):
    """Masks phone numbers and e-mail addresses in everything a formatter may print."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = mask(record.getMessage()), ()
        if record.exc_info:
            # Formatted here so that the masked text, not the live traceback, is printed.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        for name, value in list(vars(record).items()):
            if name not in _RECORD_FIELDS and not isinstance(value, _PLAIN):
                setattr(record, name, mask(str(value)))  # an extra (a request, a dict…)
        for field in CONTEXT_FIELDS:
            value = getattr(record, field, None)
            if isinstance(value, str):
                setattr(record, field, mask(value))
        return True


def _local_time(record: logging.LogRecord) -> str:
    """The record's time with its UTC offset, in the process's zone (Django sets TZ to
    TIME_ZONE), as web, worker and beat all print it."""
    return datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds")


class TextFormatter(logging.Formatter):
    """`2026-11-23T08:05:00.123+08:00 INFO followups.clocks [request_id=… user=…] message`."""

    def format(self, record: logging.LogRecord) -> str:
        context = " ".join(
            f"{field}={getattr(record, field)}"
            for field in CONTEXT_FIELDS
            if getattr(record, field, None) is not None
        )
        line = f"{_local_time(record)} {record.levelname} {record.name} "
        line += f"[{context}] " if context else ""
        line += record.getMessage()
        if record.exc_text:
            line += "\n" + record.exc_text
        if record.stack_info:
            line += "\n" + record.stack_info
        return line


class JsonFormatter(_JsonFormatter):
    """One JSON object a line: time, level, logger, message, the context fields and any extra."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("reserved_attrs", [*logging.makeLogRecord({}).__dict__, "message"])
        super().__init__(*args, **kwargs)

    def add_fields(self, log_data, record, message_dict):
        log_data["time"] = _local_time(record)
        log_data["level"] = record.levelname
        log_data["logger"] = record.name
        log_data["message"] = record.getMessage()
        super().add_fields(log_data, record, message_dict)


REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
access_log = logging.getLogger("desk.requests")


class LogContextMiddleware:
    """Binds a request id (the proxy's `X-Request-ID` when it is a plain token, else a new
    one, sent back in the response) and the logged-in user for the lines of the request, and
    writes one access line per request with them (and the complaint, when a view bound one):
    the web servers' own access lines would print a searched phone number unmasked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        started = time.monotonic()
        with bound(request_id=request_id):
            response = self.get_response(request)
            duration_ms = round((time.monotonic() - started) * 1000)
            access_log.info(
                "%s %s %s %dms",
                request.method,
                unquote(request.get_full_path()),
                response.status_code,
                duration_ms,
                extra={"status": response.status_code, "duration_ms": duration_ms},
            )
        response["X-Request-ID"] = request_id
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            bind(user=user.get_username())
