"""The request-scoped session every Litestar service injects as ``db_session``.

One transaction per request: the session is committed when the handler's response is a 2xx
and rolled back otherwise (a raised error, or a 3xx/4xx/5xx response the handler returned).

This replaces advanced-alchemy's ``SQLAlchemyPlugin``, of which only the session per request
was used, for two reasons. Start-up: with advanced-alchemy installed, ``litestar.pagination``
imports ``advanced_alchemy.service`` and the plugin brings Alembic, Mako and rich-click, about
0.3 s of a 1 s start-up budget (docs/performance.md). Correctness: its "autocommit" hook
commits inside the ASGI ``send`` of the response start, too late for an error answer, so a
failed commit was logged at debug level and the client still got the 2xx.

Here the commit runs in the dependency's cleanup. Litestar runs that cleanup after the
handler's response is built and *before* it is sent (``HTTPRoute._call_handler_function``
exits its dependency stack before ``handle`` sends), so a failed commit propagates to the
shared exception handlers and the client gets their answer (503 when the database is gone)
instead of a success that was never stored. The cleanup does not see the response, so the
app-level ``after_request`` hook :func:`record_response` notes it in a context variable: it
runs in the request's task just before the cleanup, which runs in that task (or in tasks
started from it, which copy its context). A response without a status of its own (a
``Response(body)``) gets the route handler's, as Litestar does when it sends it.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextvars import ContextVar
from typing import Any

from litestar import Litestar, Request
from litestar.exceptions import ImproperlyConfiguredException
from litestar.handlers import HTTPRouteHandler
from litestar.types import ASGIApp
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from petshots_core.db import create_engine
from petshots_core.settings import Settings

_response: ContextVar[ASGIApp | None] = ContextVar("petshots_response", default=None)


async def record_response(response: ASGIApp) -> ASGIApp:
    """The app-level ``after_request`` hook :meth:`RequestSessions.provide_session` relies on."""
    _response.set(response)
    return response


class RequestSessions:
    """The app's engine (created once, connecting lazily) and its session per request."""

    def __init__(self, settings: Settings) -> None:
        self.engine = create_engine(settings)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False, autoflush=False)

    async def provide_session(
        self, request: Request[Any, Any, Any]
    ) -> AsyncGenerator[AsyncSession, None]:
        """The ``db_session`` dependency: committed on a 2xx response, else rolled back.

        An error raised by the handler is thrown in at the ``yield`` and passes through;
        closing the session (leaving the ``async with``) rolls back whatever was not committed.
        """
        async with self._sessions() as session:
            yield session
            response = _response.get()
            _response.set(None)
            if response is None:
                raise RuntimeError(
                    "no response: petshots_core.web.db_session.record_response must be the "
                    "app's after_request hook"
                )
            status = getattr(response, "status_code", None) or request.route_handler.status_code
            if 200 <= status < 300:
                await session.commit()

    async def dispose(self) -> None:
        """On shutdown: close the pool's connections."""
        await self.engine.dispose()

    @staticmethod
    def check_hooks(app: Litestar) -> None:
        """Fail at start-up when a layer's ``after_request`` would shadow the app's (Litestar
        runs only the innermost one), which would leave sessions without a status to act on.
        """
        for route in app.routes:
            for handler in getattr(route, "route_handlers", ()):
                if not isinstance(handler, HTTPRouteHandler):
                    continue
                hooks = [h.after_request for h in handler.ownership_layers if h.after_request]
                if hooks[-1:] != [record_response]:
                    raise ImproperlyConfiguredException(
                        f"{handler}: its after_request hook shadows the app's "
                        "(petshots_core.web.db_session.record_response); do that work elsewhere"
                    )
