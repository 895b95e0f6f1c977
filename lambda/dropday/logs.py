"""What reaches the skill's logs: never a raw Alexa id (user, device, person, session).

Code that logs a listener names them by `hashed_id` (`skill.listener_state.listener_ref`). As a
safety net for what code does not control (exception messages that quote a URL with a device id,
a forged field logged as sent), `install` makes every log record, of any logger, replace each
Alexa id in its message and traceback by its hash; and it keeps the libraries that would log
request bodies or paths (botocore, urllib3) at WARNING, whatever level the root logger is at
(Lambda's application log level can set it to DEBUG).
"""

from __future__ import annotations

import hashlib
import logging
import re

#: Ids Alexa gives per person: accounts (users), devices, recognised speakers and sessions, in
#: today's forms (amzn1.ask.account.…) and the legacy ones (amzn1.account.…, amzn1.device.…).
ALEXA_ID = re.compile(r"amzn1\.(?:ask\.)?(account|user|device|person)\.[A-Za-z0-9._=-]+"
                      r"|amzn1\.echo-api\.(session)\.[A-Za-z0-9._=-]+")
_KIND = {"account": "listener", "user": "listener", "device": "device", "person": "person", "session": "session"}
#: Libraries whose DEBUG and INFO lines carry request bodies, item keys or URL paths.
QUIET_LIBRARIES = ("botocore", "boto3", "urllib3", "s3transfer")


def hashed_id(raw: str) -> str:
    """A short, stable hash of an id for logs (12 hex characters of SHA-256), also for text that
    is not valid Unicode (a lone surrogate in a forged id)."""
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def redacted(text: str) -> str:
    """`text` with every Alexa id replaced by its kind and hash, e.g. ``<device 3f2a9c41b0de>``."""
    return ALEXA_ID.sub(lambda m: f"<{_KIND[m.group(1) or m.group(2)]} {hashed_id(m.group())}>", text)


def install() -> None:
    """Redact Alexa ids from every log record of the process, and keep `QUIET_LIBRARIES` at WARNING.

    Called once at cold start (`dropday.app`); calling it again changes nothing.
    """
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)
    current = logging.getLogRecordFactory()
    if not getattr(current, "redacts_alexa_ids", False):
        logging.setLogRecordFactory(_redacting(current))


def _redacting(make_record):
    """A log record factory that makes records with `make_record`, then redacts them.

    A record that quotes an id gets its message (and traceback, folded into the message, since
    formatters such as Lambda's JSON one print `exc_info` themselves) replaced by the redacted
    text; any other record is left exactly as it was made.
    """
    def factory(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a format/argument mismatch: logging reports it when the record is emitted
            return record
        details = ""
        if record.exc_info:
            details = "\n" + (record.exc_text or logging.Formatter().formatException(record.exc_info))
        if record.stack_info:
            details += "\n" + record.stack_info
        if ALEXA_ID.search(message) or ALEXA_ID.search(details):
            record.msg, record.args = redacted(message + details), ()
            record.exc_info, record.exc_text, record.stack_info = None, None, None
        return record

    factory.redacts_alexa_ids = True  # type: ignore[attr-defined]
    return factory
