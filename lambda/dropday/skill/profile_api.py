"""The Alexa customer profile API: the listener's email address, read only at the moment they
enter the prize draw, and never logged or stored outside the draw's own table.

Through the SDK's UPS service client on the skill builder's bounded API client. Every failure
becomes an `ApiResult` and one log line; nothing here raises.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from ..core.optins import ApiResult, Outcome
from .listener_state import listener_ref

if TYPE_CHECKING:
    from ask_sdk_core.handler_input import HandlerInput

logger = logging.getLogger(__name__)

FAULT = "profile_api_failed"
_ASKED = "dropday.profile_email"   # request attribute: the answer, asked once per request


def email(handler_input: HandlerInput) -> ApiResult:
    """The listener's email address.

    Returns:
        DONE with the address; NO_PERMISSION (401/403, or an error answer the SDK cannot read: not
        allowed); NO_CONTACT (204, or an empty
        answer: the account has none); FAILED for anything else (timeouts, 429, 5xx).
    """
    asked = handler_input.attributes_manager.request_attributes
    if _ASKED not in asked:
        asked[_ASKED] = _read(handler_input)
    return asked[_ASKED]


def _read(handler_input: HandlerInput) -> ApiResult:
    from ask_sdk_core.exceptions import SerializationException
    from ask_sdk_model.services import ServiceException

    try:
        address = handler_input.service_client_factory.get_ups_service().get_profile_email()
    except ServiceException as exc:
        if exc.status_code in (401, 403):
            logger.info("customer profile email not allowed for %s (HTTP %s)", listener_ref(handler_input),
                        exc.status_code)
            return ApiResult(Outcome.NO_PERMISSION)
        logger.warning("customer profile email failed for %s: HTTP %s", listener_ref(handler_input), exc.status_code)
        return ApiResult(Outcome.FAILED, fault=FAULT)
    except SerializationException:
        # An error the SDK's model cannot read: its error codes have none for "not allowed", which
        # a 403 answers (ACCESS_DENIED). Asking the listener is the kind way on; after their yes a
        # second such answer is a failure (`after_consent`).
        logger.info("customer profile email not allowed for %s (an error answer the SDK cannot read)",
                    listener_ref(handler_input))
        return ApiResult(Outcome.NO_PERMISSION)
    except Exception as exc:
        logger.warning("customer profile email failed for %s: %s", listener_ref(handler_input), type(exc).__name__)
        return ApiResult(Outcome.FAILED, fault=FAULT)
    if not isinstance(address, str) or "@" not in address:
        return ApiResult(Outcome.NO_CONTACT)
    return ApiResult(Outcome.DONE, address.strip())
