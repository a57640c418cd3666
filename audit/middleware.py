"""Ties the changes made during a request to who made them and from which address."""

from __future__ import annotations

from auditlog.cid import set_cid
from auditlog.context import set_extra_data
from auditlog.middleware import AuditlogMiddleware

from .services import request_address


class AuditMiddleware(AuditlogMiddleware):
    """auditlog's middleware, believing X-Forwarded-For only as far as TRUSTED_PROXY_COUNT says.

    auditlog's own takes the left-most X-Forwarded-For entry, which any client can write.
    Goes after AuthenticationMiddleware (checked by audit.E003).
    """

    @staticmethod
    def _get_remote_addr(request):
        return request_address(request)

    @staticmethod
    def _get_remote_port(request):
        return None  # X-Forwarded-Port is as easy to forge as the address, and tells nothing more

    def __call__(self, request):
        # auditlog would store a client's X-Correlation-ID header in every entry: text of the
        # client's choosing in the log. No correlation id is kept.
        set_cid(None)
        with set_extra_data(context_data=self.get_extra_data(request)):
            return self.get_response(request)
