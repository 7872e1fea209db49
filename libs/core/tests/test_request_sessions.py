"""The ``db_session`` of every service: one transaction per request, kept only on a 2xx.

A real app from ``create_service_app`` against the session's real PostgreSQL. The commit runs
before the response is sent, so a commit that fails becomes an error answer, never a success
that was not stored.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import asyncpg
import pytest
from litestar import Litestar, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.exceptions import ImproperlyConfiguredException
from litestar.params import FromPath
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from petshots_core.settings import Settings
from petshots_core.web.app import create_service_app
from petshots_core.web.db_session import RequestSessions
from petshots_core.web.errors import ApiError


@pytest.fixture(scope="module")
def admin_dsn(database_url: str) -> str:
    return make_url(database_url).set(drivername="postgresql").render_as_string(False)


@pytest.fixture(scope="module")
async def sql(admin_dsn: str) -> Callable[..., Awaitable[Any]]:
    conn = await asyncpg.connect(admin_dsn)
    await conn.execute(
        """
        CREATE TABLE IF NOT EXISTS session_probe (id int PRIMARY KEY, note text);
        CREATE TABLE IF NOT EXISTS session_probe_deferred (
            id int, CONSTRAINT session_probe_deferred_id UNIQUE (id) DEFERRABLE INITIALLY DEFERRED
        );
        """
    )
    await conn.close()

    async def run(query: str, *args: Any) -> Any:
        c = await asyncpg.connect(admin_dsn)
        try:
            return await c.fetchval(query, *args)
        finally:
            await c.close()

    return run


async def _insert(db: AsyncSession, row: int) -> None:
    await db.execute(text("INSERT INTO session_probe VALUES (:id, 'x')"), {"id": row})


@post("/ok/{row:int}", status_code=201)
async def ok(db_session: NamedDependency[AsyncSession], row: FromPath[int]) -> dict[str, int]:
    await _insert(db_session, row)
    return {"row": row}


@post("/raises/{row:int}")
async def raises(db_session: NamedDependency[AsyncSession], row: FromPath[int]) -> None:
    await _insert(db_session, row)
    raise ApiError(409, "conflict", "No.")


@post("/answers/{row:int}/{status:int}")
async def answers(
    db_session: NamedDependency[AsyncSession], row: FromPath[int], status: FromPath[int]
) -> Response[bytes]:
    """Returns (does not raise) the given status: only a 2xx keeps the row."""
    await _insert(db_session, row)
    return Response(b"", status_code=status)


@post("/plain/{row:int}")
async def plain(db_session: NamedDependency[AsyncSession], row: FromPath[int]) -> Response[bytes]:
    """A Response without a status of its own gets the handler's (201 for a POST)."""
    await _insert(db_session, row)
    return Response(b"")


@get("/plain-get/{row:int}")
async def plain_get(
    db_session: NamedDependency[AsyncSession], row: FromPath[int]
) -> Response[bytes]:
    await _insert(db_session, row)
    return Response(b"", media_type="image/svg+xml")


@post("/redirects/{row:int}", status_code=303)
async def redirects(db_session: NamedDependency[AsyncSession], row: FromPath[int]) -> None:
    """A handler whose own status is not a 2xx."""
    await _insert(db_session, row)


@post("/commits-then-raises/{row:int}")
async def commits_then_raises(
    db_session: NamedDependency[AsyncSession], row: FromPath[int]
) -> None:
    """An explicit commit stays (the auth service counts failed attempts this way)."""
    await _insert(db_session, row)
    await db_session.commit()
    raise ApiError(401, "unauthorized", "No.")


@post("/connection-dies/{row:int}", status_code=201)
async def connection_dies(
    db_session: NamedDependency[AsyncSession], row: FromPath[int], state: State
) -> dict[str, int]:
    """The database connection is killed after the write, before the commit."""
    await _insert(db_session, row)
    pid = (await db_session.execute(text("SELECT pg_backend_pid()"))).scalar_one()
    await state.kill_backend(pid)
    return {"row": row}


@post("/deferred/{row:int}", status_code=201)
async def deferred(db_session: NamedDependency[AsyncSession], row: FromPath[int]) -> None:
    """A deferred unique constraint: the duplicate is refused by the COMMIT itself."""
    await _insert(db_session, row)
    await db_session.execute(
        text("INSERT INTO session_probe_deferred VALUES (:id), (:id)"), {"id": row}
    )


@get("/no-session")
async def no_session() -> dict[str, str]:
    return {"status": "ok"}


@pytest.fixture(scope="module")
def app(database_url: str, sql: Callable[..., Awaitable[Any]]) -> Litestar:
    async def kill_backend(pid: int) -> None:
        await sql("SELECT pg_terminate_backend($1)", pid)
        for _ in range(200):
            if not await sql("SELECT count(*) FROM pg_stat_activity WHERE pid = $1", pid):
                return
            await asyncio.sleep(0.01)
        raise AssertionError("backend did not terminate")

    settings = Settings(env="test", database_url=database_url, log_json=True)
    return create_service_app(
        settings=settings,
        title="sessions",
        openapi_path="/schema",
        route_handlers=[
            ok,
            raises,
            answers,
            plain,
            plain_get,
            redirects,
            commits_then_raises,
            connection_dies,
            deferred,
            no_session,
        ],
        authenticated=False,
        state={"kill_backend": kill_backend},
    )


@pytest.fixture(scope="module")
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=app) as c:
        yield c


async def _stored(sql: Callable[..., Awaitable[Any]], row: int) -> bool:
    return bool(await sql("SELECT count(*) FROM session_probe WHERE id = $1", row))


async def test_a_2xx_commits(client: AsyncTestClient[Litestar], sql: Any) -> None:
    r = await client.post("/ok/1")
    assert r.status_code == 201, r.text
    assert await _stored(sql, 1)


async def test_a_raised_error_rolls_back(client: AsyncTestClient[Litestar], sql: Any) -> None:
    r = await client.post("/raises/2")
    assert r.status_code == 409
    assert r.json()["error"] == "conflict"
    assert not await _stored(sql, 2)


@pytest.mark.parametrize(
    ("row", "status", "kept"),
    [(3, 200, True), (4, 204, True), (5, 302, False), (6, 404, False), (7, 500, False)],
)
async def test_a_returned_status_decides(
    client: AsyncTestClient[Litestar], sql: Any, row: int, status: int, kept: bool
) -> None:
    r = await client.post(f"/answers/{row}/{status}", follow_redirects=False)
    assert r.status_code == status
    assert await _stored(sql, row) is kept


@pytest.mark.parametrize(
    ("method", "path", "status", "kept"),
    [
        ("POST", "/plain/16", 201, True),
        ("GET", "/plain-get/17", 200, True),
        ("POST", "/redirects/18", 303, False),
    ],
)
async def test_a_response_without_a_status_has_the_handlers(
    client: AsyncTestClient[Litestar], sql: Any, method: str, path: str, status: int, kept: bool
) -> None:
    r = await client.request(method, path, follow_redirects=False)
    assert r.status_code == status
    row = int(path.rsplit("/", 1)[1])
    assert await _stored(sql, row) is kept


async def test_an_explicit_commit_stays_although_the_request_fails(
    client: AsyncTestClient[Litestar], sql: Any
) -> None:
    r = await client.post("/commits-then-raises/8")
    assert r.status_code == 401
    assert await _stored(sql, 8)


async def test_a_commit_lost_with_the_connection_is_a_503_not_a_success(
    client: AsyncTestClient[Litestar], sql: Any
) -> None:
    r = await client.post("/connection-dies/9")
    assert r.status_code == 503, r.text
    assert r.json()["error"] == "service_unavailable"
    assert r.headers["retry-after"] == "5"
    assert not await _stored(sql, 9)
    # The pool recovers: the next request gets a fresh connection.
    assert (await client.post("/ok/10")).status_code == 201
    assert await _stored(sql, 10)


async def test_a_commit_refused_by_the_database_is_an_error_not_a_success(
    client: AsyncTestClient[Litestar], sql: Any
) -> None:
    r = await client.post("/deferred/11")
    assert r.status_code == 500, r.text
    assert r.json()["error"] == "internal_error"
    assert not await _stored(sql, 11)


async def test_sessions_return_their_connections(
    client: AsyncTestClient[Litestar], app: Litestar
) -> None:
    for path in ("/ok/12", "/raises/13", "/answers/14/404"):
        await client.post(path)
    await client.get("/no-session")
    pool: Any = app.state.db.engine.pool
    assert pool.checkedout() == 0


async def test_the_engine_is_disposed_on_shutdown(database_url: str) -> None:
    settings = Settings(env="test", database_url=database_url, log_json=True)
    app = create_service_app(
        settings=settings,
        title="t",
        openapi_path="/schema",
        route_handlers=[ok],
        authenticated=False,
    )
    db: RequestSessions = app.state.db
    async with AsyncTestClient(app=app) as c:
        assert (await c.post("/ok/15")).status_code == 201
        assert (await c.get("/readyz")).status_code == 200
        assert db.engine.pool.checkedin() >= 1  # type: ignore[attr-defined]
    assert db.engine.pool.checkedin() == 0  # type: ignore[attr-defined]


def test_a_handler_hook_that_would_shadow_the_status_fails_at_start_up(
    database_url: str,
) -> None:
    async def own_hook(response: Any) -> Any:
        return response

    @post("/shadowed", after_request=own_hook)
    async def shadowed(db_session: NamedDependency[AsyncSession]) -> None:
        return None

    settings = Settings(env="test", database_url=database_url, log_json=True)
    with pytest.raises(ImproperlyConfiguredException, match="after_request"):
        create_service_app(
            settings=settings,
            title="t",
            openapi_path="/schema",
            route_handlers=[shadowed],
            authenticated=False,
        )
