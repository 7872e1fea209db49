"""Below ``/p``, what the fast path does not serve: ``/p/{token}/docs/{doc_id}`` and odd paths.

``GET /p/{token}`` and ``GET /p/{token}.json`` never reach Litestar: ``PublicGuard`` hands them
to ``fastpath``. This route still owns the rest of the space, so a certificate link redirects,
every odd path gets the same 404 page, and other methods get the router's 405 (HEAD included,
as it always has). One catch-all route parses the path itself: Litestar's ``path`` parameter
would shadow sibling routes anyway. Nothing here logs the token; the access log redacts
``/p/…`` paths.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from litestar import Controller, Response, get
from litestar.datastructures import State
from litestar.params import FromPath
from litestar.status_codes import HTTP_302_FOUND

from petshots_core.web.auth import PUBLIC
from petshots_passport.domain.public.answers import Answer, gone
from petshots_passport.domain.public.services import Gone, PublicPassports
from petshots_passport.tokens import is_token_shaped, token_hash


def _send(answer: Answer) -> Response[bytes]:
    return Response(
        answer.body, status_code=answer.status, headers={"content-type": answer.content_type}
    )


class PublicPassportController(Controller):
    path = "/p"
    opt = PUBLIC
    include_in_schema = False

    @get("/{rest:path}", operation_id="openPassportCertificate", cache=False)
    async def certificate(self, state: State, rest: FromPath[str]) -> Response[bytes]:
        """A record's certificate (a redirect to a short-lived download), or the 404 page."""
        parts = rest.strip("/").split("/")
        if len(parts) != 3 or parts[1] != "docs":
            return _send(gone(404, as_json=False))
        token, doc = parts[0], parts[2]
        if not is_token_shaped(token):
            return _send(gone(404, as_json=False))
        try:
            doc_id = uuid.UUID(doc)
        except ValueError:
            return _send(gone(404, as_json=False))
        passports: PublicPassports = state.passport_public
        target = await passports.certificate_url(token_hash(token), doc_id, now=datetime.now(UTC))
        if isinstance(target, Gone):
            return _send(gone(target.value, as_json=False))
        return Response(b"", status_code=HTTP_302_FOUND, headers={"Location": target})
