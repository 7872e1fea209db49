"""petshots-serve: the uvicorn options the containers run with, the factory uvicorn is given,
and the command line (no server is started here; tests/faults and bench start real ones)."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
import uvicorn
from uvicorn.importer import import_from_string

from petshots_core import serve


def test_each_entry_is_named_by_the_import_string_uvicorn_is_given() -> None:
    assert serve.Services._fields == ("auth", "records", "passport")
    for name, entry in zip(serve.Services._fields, serve.SERVICES, strict=True):
        assert entry.name == name
        assert serve.service_named(name) is entry
        assert import_from_string(entry.served_factory) == entry.create_app
        assert entry.app_factory == f"petshots_{name}.app:create_app"
    assert [s.port for s in serve.SERVICES] == [8101, 8102, 8103]


def test_an_unknown_service_is_refused() -> None:
    with pytest.raises(KeyError, match="reminders"):
        serve.service_named("reminders")
    with pytest.raises(SystemExit):
        serve.main(["reminders"])


def test_options_as_the_containers_have_them() -> None:
    options = serve.uvicorn_options(
        "x:create",
        host="0.0.0.0",
        port=8102,
        environ={"PETSHOTS_WEB_CONCURRENCY": "3", "PETSHOTS_GRACEFUL_SHUTDOWN_S": "20"},
    )
    assert options == {
        "app": "x:create",
        "factory": True,
        "host": "0.0.0.0",
        "port": 8102,
        "workers": 3,
        "timeout_graceful_shutdown": 20,
        "timeout_keep_alive": 75,
        "proxy_headers": False,
        "server_header": False,
        "access_log": False,
    }
    # Every option is one uvicorn.run takes (a misspelt one would fail only at start).
    assert set(options) <= set(inspect.signature(uvicorn.run).parameters)


def test_without_the_variables_one_worker_and_no_shutdown_bound() -> None:
    options = serve.uvicorn_options("x:create", host="127.0.0.1", port=1, environ={})
    assert options["workers"] == 1 and options["timeout_graceful_shutdown"] is None


@pytest.mark.parametrize(
    ("argv", "host", "port"),
    [
        (["records"], "0.0.0.0", 8102),
        (["auth", "--host", "127.0.0.1", "--port", "9101"], "127.0.0.1", 9101),
        (["passport", "--port", "9103"], "0.0.0.0", 9103),
    ],
)
def test_command_line(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], host: str, port: int
) -> None:
    served: list[dict[str, Any]] = []
    monkeypatch.setattr(serve, "serve", lambda app, **kw: served.append({"app": app, **kw}))
    serve.main(argv)
    entry = serve.service_named(argv[0])
    assert served == [{"app": entry.served_factory, "host": host, "port": port}]
