"""The security suite: the three HTTP services' real apps, in process, on real Postgres, Redis
and LocalStack S3, with tokens from a key this suite controls.

* records and passport verify tokens with the shared verifier against a JWKS this suite
  serves over HTTP, one URL per service, so each service's fetches are counted separately;
* auth is the local identity provider and signs with the same key (given as its signing
  key): the forged-token catalogue is forged against the key auth really trusts.

``CLASSIFICATION`` is the authorization table: every operation of the three OpenAPI documents,
and who may call it. ``test_authorization_matrix`` fails when the documents and the table
disagree, so a new operation fails the suite until someone classifies it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from pydantic import SecretStr

from petshots_auth.app import create_app as create_auth_app
from petshots_auth.keys import KeySet
from petshots_auth.settings import AuthSettings
from petshots_core.settings import Settings
from petshots_passport.app import create_app as create_passport_app
from petshots_passport.settings import PassportSettings
from petshots_records.app import create_app as create_records_app
from petshots_testkit.background import BackgroundRun
from petshots_testkit.jwks import CountingJwks
from petshots_testkit.mail import MailSink
from petshots_testkit.operations import Access, Classified
from petshots_testkit.tenants import Tenant
from petshots_testkit.tokens import TokenIssuer

ISSUER = "http://auth.petshots.test/auth"
SERVICES = ("records", "passport", "auth")
OPENAPI_PATHS = {
    "records": "/api/records/openapi.json",
    "passport": "/api/passports/openapi.json",
    "auth": "/auth/openapi.json",
}
PASSWORD = "Security-Suite-9"  # a sign-up password (registered as a secret by the client tap)
# Examples per operation: 500 in `make test`, more in `make fuzz` (tests/security/fuzz.mk).
FUZZ_EXAMPLES = int(os.environ.get("PETSHOTS_FUZZ_EXAMPLES", "500"))
# How long a fuzz worker may take before the suite gives up on it (generous: a loaded box).
FUZZ_TIMEOUT_S = max(1200.0, FUZZ_EXAMPLES * 2.5)
FUZZ_WORKER = Path(__file__).with_name("security_fuzz_worker.py")

_PET = "{pet_id}"

# Every operation of the three OpenAPI documents. ``body``: a valid request body (the mass
# assignment test adds forbidden fields to it); ``owner_status``: what the owner gets in the
# authorization matrix, proving the request the intruder replays is well formed.
CLASSIFICATION: dict[tuple[str, str], Classified] = {
    # -- records ---------------------------------------------------------------------------
    ("records", "listPets"): Classified(Access.OWNER),
    ("records", "createPet"): Classified(Access.OWNER, body={"name": "Biscuit"}),
    ("records", "getDashboard"): Classified(Access.OWNER),
    ("records", "getPet"): Classified(Access.OWNER_ID, owner_status=200),
    ("records", "updatePet"): Classified(
        Access.OWNER_ID, body={"name": "Renamed"}, owner_status=200
    ),
    ("records", "deletePet"): Classified(Access.OWNER_ID, owner_status=204, destructive=True),
    ("records", "createPetPhotoUpload"): Classified(
        Access.OWNER_ID, body={"content_type": "image/png", "size_bytes": 1000}, owner_status=200
    ),
    # Nothing uploaded: the owner's well-formed request is answered 409 not_uploaded.
    ("records", "completePetPhoto"): Classified(Access.OWNER_ID, owner_status=409),
    ("records", "createDoc"): Classified(
        Access.OWNER_ID,
        body={
            "label": "Rabies",
            "filename": "rabies.pdf",
            "content_type": "application/pdf",
            "size_bytes": 1000,
            "expires_on": "2027-06-01",
        },
        owner_status=201,
    ),
    ("records", "completeDoc"): Classified(Access.OWNER_ID, owner_status=200),
    ("records", "getDoc"): Classified(Access.OWNER_ID, owner_status=200),
    ("records", "updateDoc"): Classified(
        Access.OWNER_ID, body={"label": "Rabies (3 year)", "pinned": True}, owner_status=200
    ),
    ("records", "deleteDoc"): Classified(Access.OWNER_ID, owner_status=204, destructive=True),
    ("records", "getQuickShow"): Classified(
        Access.OWNER_ID, query={"pet_id": _PET}, owner_status=200
    ),
    # -- passport (owner API; the public /p pages are not in the document) ----------------
    # A filter on a pet id: another owner's id lists nothing, exactly like a random id.
    ("passport", "listPassports"): Classified(
        Access.OWNER_ID, query={"pet_id": _PET}, owner_status=200, foreign_2xx=True
    ),
    ("passport", "createPassport"): Classified(
        Access.OWNER_ID,
        body={"pet_id": _PET, "label": "Happy Paws", "expires_in_days": 30},
        owner_status=201,
    ),
    ("passport", "getPassport"): Classified(Access.OWNER_ID, owner_status=200),
    ("passport", "listPassportViews"): Classified(Access.OWNER_ID, owner_status=200),
    ("passport", "getPassportQrSvg"): Classified(Access.OWNER_ID, owner_status=200),
    ("passport", "getPassportQrPng"): Classified(Access.OWNER_ID, owner_status=200),
    ("passport", "revokePassport"): Classified(Access.OWNER_ID, owner_status=204, destructive=True),
    # -- auth --------------------------------------------------------------------------------
    ("auth", "getAuthConfig"): Classified(Access.PUBLIC),
    ("auth", "getJwks"): Classified(Access.PUBLIC),
    ("auth", "signUp"): Classified(Access.PUBLIC, body={"email": "{email}", "password": PASSWORD}),
    ("auth", "confirmSignUp"): Classified(
        Access.PUBLIC, body={"email": "{email}", "code": "000000"}
    ),
    ("auth", "resendConfirmationCode"): Classified(Access.PUBLIC, body={"email": "{email}"}),
    ("auth", "loginStart"): Classified(Access.PUBLIC, body={"email": "{email}", "srp_a": "0a"}),
    ("auth", "loginFinish"): Classified(
        Access.PUBLIC,
        body={
            "session": "x" * 32,
            "email": "{email}",
            "timestamp": "Thu Nov 7 11:18:24 UTC 2026",
            "secret_block": "x" * 32,
            "signature": "x" * 44,
        },
    ),
    ("auth", "refreshTokens"): Classified(Access.PUBLIC, body={"refresh_token": "x" * 43}),
    ("auth", "forgotPassword"): Classified(Access.PUBLIC, body={"email": "{email}"}),
    ("auth", "resetPassword"): Classified(
        Access.PUBLIC, body={"email": "{email}", "code": "000000", "password": PASSWORD}
    ),
    ("auth", "unsubscribePage"): Classified(Access.PUBLIC),
    ("auth", "unsubscribe"): Classified(Access.PUBLIC),
    ("auth", "verifyAccessToken"): Classified(Access.OWNER),
    ("auth", "getMe"): Classified(Access.OWNER),
    ("auth", "getMySettings"): Classified(Access.OWNER),
    ("auth", "putMySettings"): Classified(
        Access.OWNER,
        body={
            "reminders_enabled": True,
            "reminder_thresholds_days": [30, 7],
            "timezone": "Europe/London",
            "due_soon_days": 30,
        },
    ),
    ("auth", "logout"): Classified(Access.OWNER, body={"refresh_token": "x" * 43}),
    ("auth", "deleteMe"): Classified(Access.OWNER, destructive=True),
}

# Routes served but left out of the documents: who may call them without a token.
UNLISTED: dict[str, dict[tuple[str, str], Access]] = {
    "records": {
        ("GET", "/healthz"): Access.PUBLIC,
        ("GET", "/readyz"): Access.PUBLIC,
        ("GET", "/metrics"): Access.PUBLIC,
        ("GET", "/api/records/openapi.json"): Access.PUBLIC,
        ("GET", "/api/records"): Access.OWNER,
        ("GET", "/api/records/{path}"): Access.OWNER,
    },
    "passport": {
        ("GET", "/healthz"): Access.PUBLIC,
        ("GET", "/readyz"): Access.PUBLIC,
        ("GET", "/metrics"): Access.PUBLIC,
        ("GET", "/api/passports/openapi.json"): Access.PUBLIC,
        ("GET", "/_schema/passport/openapi.json"): Access.PUBLIC,
        ("GET", "/_schema/passport"): Access.OWNER,
        ("GET", "/_schema/passport/{path}"): Access.OWNER,
        ("GET", "/p/{rest}"): Access.PUBLIC,  # the passport pages: rate limited, test_passports
    },
    "auth": {
        ("GET", "/healthz"): Access.PUBLIC,
        ("GET", "/readyz"): Access.PUBLIC,
        ("GET", "/metrics"): Access.PUBLIC,
        ("GET", "/auth/openapi.json"): Access.PUBLIC,
        ("GET", "/auth"): Access.OWNER,
        ("GET", "/auth/{path}"): Access.OWNER,
    },
}


@pytest.fixture(scope="session")
def classification() -> dict[tuple[str, str], Classified]:
    return CLASSIFICATION


@pytest.fixture(scope="session")
def unlisted() -> dict[str, dict[tuple[str, str], Access]]:
    return UNLISTED


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """``fuzzed``: one test per documented operation of the classification table."""
    if "fuzzed" in metafunc.fixturenames:
        keys = sorted(CLASSIFICATION)
        metafunc.parametrize("fuzzed", keys, ids=[f"{s}:{o}" for s, o in keys])


def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    """The fuzz results are collected after the other security tests (the fuzzers run in the
    background meanwhile), and the log scan runs after everything else of this suite."""
    here = Path(__file__).parent

    def rank(item: pytest.Item) -> int:
        if here not in Path(str(item.path)).parents:
            return 0
        if item.name.startswith("test_fuzz"):
            return 1
        if item.name.startswith("test_no_secret_in_any_log_line"):
            return 2
        return 0

    own = [i for i in items if here in Path(str(i.path)).parents]
    if not own:
        return
    first = items.index(own[0])
    others = [i for i in items if i not in own]
    ordered = sorted(own, key=rank)  # stable: the file order is kept within a rank
    items[:] = others[:first] + ordered + others[first:]


# -- keys, tokens and the JWKS ----------------------------------------------------------------


@pytest.fixture(scope="session")
def keyset() -> KeySet:
    return KeySet.generate()


@pytest.fixture(scope="session")
def issuer(keyset: KeySet) -> TokenIssuer:
    """Signs with auth's own signing key, under the kid auth publishes."""
    return TokenIssuer(issuer=ISSUER, kid=keyset.kid, key=keyset.active_key)


@pytest.fixture(scope="session")
def jwks(issuer: TokenIssuer) -> Iterator[CountingJwks]:
    server = CountingJwks(issuer.jwks).start()
    yield server
    server.stop()


# -- settings and apps ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def make_settings(
    settings: Settings,
    jwks: CountingJwks,
    keyset: KeySet,
    session_smtp_sink: MailSink,
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[..., Settings]:
    """Settings of one service instance (``jwks_name``: whose JWKS fetches count), with any
    overrides. Throttles are generous: one test client is one address for every test."""
    state_dir = str(tmp_path_factory.mktemp("security-state"))

    def make(service: str, jwks_name: str | None = None, **overrides: Any) -> Settings:
        run = uuid.uuid4().hex[:12]
        values: dict[str, Any] = {
            **settings.model_dump(),
            "token_issuer": ISSUER,
            "jwks_url": jwks.url(jwks_name or service),
            "state_dir": state_dir,
        }
        if service == "records":
            values.update(overrides)
            return Settings(**values)
        if service == "passport":
            values.update(
                passport_rate_limit_key_prefix=f"petshots:security:{run}:rl:",
                passport_rate_limit=100_000,
                passport_rate_limit_misses=100_000,
            )
            values.update(overrides)
            return PassportSettings(**values)
        values.update(
            signing_keys=SecretStr(keyset.to_json()),
            smtp_host=session_smtp_sink.host,
            smtp_port=session_smtp_sink.port,
            mail_transport="smtp",
            redis_key_prefix=f"petshots:security:{run}:",
            jobs_queue_name=f"petshots:security:{run}:queue",
            public_requests_per_minute=100_000,
            login_max_failures_per_address=100_000,
        )
        values.update(overrides)
        return AuthSettings(**values)

    return make


FACTORIES: dict[str, Callable[[Settings], Litestar]] = {
    "records": create_records_app,
    "passport": create_passport_app,
    "auth": create_auth_app,
}


@pytest.fixture(scope="session")
def make_app(make_settings: Callable[..., Settings]) -> Callable[..., Litestar]:
    def make(service: str, jwks_name: str | None = None, **overrides: Any) -> Litestar:
        return FACTORIES[service](make_settings(service, jwks_name, **overrides))

    return make


@pytest.fixture(scope="session")
def apps(make_app: Callable[..., Litestar]) -> dict[str, Litestar]:
    return {service: make_app(service) for service in SERVICES}


@pytest.fixture(scope="session")
async def clients(apps: dict[str, Litestar]) -> AsyncIterator[dict[str, AsyncTestClient[Litestar]]]:
    async with (
        AsyncTestClient(app=apps["records"]) as records,
        AsyncTestClient(app=apps["passport"]) as passport,
        AsyncTestClient(app=apps["auth"]) as auth,
    ):
        yield {"records": records, "passport": passport, "auth": auth}


@pytest.fixture
def new_tenant(
    clients: dict[str, AsyncTestClient[Litestar]], issuer: TokenIssuer
) -> Callable[[], Tenant]:
    def make() -> Tenant:
        sub = uuid.uuid4()
        return Tenant(sub=sub, token=issuer.token(sub), clients=clients)

    return make


# -- fuzzing in the background ------------------------------------------------------------------


_FUZZ_RUNS: dict[str, BackgroundRun] = {}


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """What the fuzzers did: operations, examples and time per service."""
    reports = {name: run.report for name, run in _FUZZ_RUNS.items() if run.report}
    if not reports:
        return
    terminalreporter.section("Schemathesis (tests/security)")
    for name, report in reports.items():
        ops = report["operations"].values()
        fewest = min(op["examples"] for op in ops if op["has_inputs"])
        terminalreporter.write_line(
            f"{name}: {len(ops)} operations, {sum(op['examples'] for op in ops)} examples "
            f"(at least {fewest} per operation with inputs), "
            f"{sum(op['seconds'] for op in ops):.0f} s, "
            f"{sum(len(op['failures']) for op in ops)} failures"
        )


@pytest.fixture(scope="session")
def fuzz_runs(
    make_settings: Callable[..., Settings],
    keyset: KeySet,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, BackgroundRun]]:
    """One Schemathesis process per service (security_fuzz_worker.py), started at once."""
    workdir = tmp_path_factory.mktemp("fuzz")
    runs = {}
    for service in SERVICES:
        values = dict(make_settings(service, f"fuzz-{service}"))
        config = {
            "service": service,
            "settings": values,
            "examples": FUZZ_EXAMPLES,
            "issuer": ISSUER,
            "signing_keys": keyset.to_json(),
            "openapi_path": OPENAPI_PATHS[service],
        }
        runs[service] = BackgroundRun(f"fuzz-{service}", FUZZ_WORKER, config, workdir)
    _FUZZ_RUNS.update(runs)
    yield runs
    for run in runs.values():
        run.stop()


@pytest.fixture(scope="session", autouse=True)
def _fuzz_in_the_background(request: pytest.FixtureRequest) -> None:
    """Start the fuzzers with the suite's first test when fuzz tests are selected, so they
    run while the other security tests do."""
    if any("fuzzed" in getattr(item, "fixturenames", ()) for item in request.session.items):
        request.getfixturevalue("fuzz_runs")
