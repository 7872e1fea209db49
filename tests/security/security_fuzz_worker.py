"""Schemathesis against one service's OpenAPI document, in a process of its own.

Run by the security suite (``test_fuzz.py``) as ``python security_fuzz_worker.py config.json``,
one process per service, in the background while the other security tests run: fuzzing is
CPU-bound, so the suite's wall time is the longest service, not the sum (2 cores).

The app is called in process (Schemathesis' ASGI transport, no sockets) with an owner's
token, on real Postgres, Redis and S3. Every documented operation gets ``examples`` cases,
half schema-valid ("positive") and half not ("negative"), with every default check on;
operations on a pet, record or passport also get cases aimed at the owner's real objects.

Positive cases are kept to the documented domain where a rule is beyond JSON Schema (see
``REPAIRS``): an address the service can mail, a password the policy accepts, dates in order.
The checks are never relaxed. The report lists, per operation, the examples run and every
distinct failure; the process's log lines go to a file the suite scans for secrets.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import json
import sys
import time
import traceback
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import hypothesis
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import strategies as st
from litestar import Litestar
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation
from schemathesis.core.result import Err
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from petshots_auth.app import create_app as create_auth_app
from petshots_auth.keys import KeySet
from petshots_auth.settings import AuthSettings
from petshots_core.settings import Settings
from petshots_core.status import is_valid_timezone
from petshots_passport.app import create_app as create_passport_app
from petshots_passport.settings import PassportSettings
from petshots_records.app import create_app as create_records_app
from petshots_testkit.logscan import LogTap, SecretRegistry
from petshots_testkit.tokens import TokenIssuer

SRP_N = int(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E34"
    "04DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5C"
    "B6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A"
    "69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA"
    "18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718399"
    "5497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBE"
    "F0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06"
    "D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143D"
    "B5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
    16,
)
TIME_ZONES = ("UTC", "Europe/London", "America/New_York", "Asia/Tokyo", "Australia/Sydney")
EARLIEST, LATEST = dt.date(1990, 1, 1), dt.date(2100, 12, 31)
STRONG_PASSWORD = "Fuzz-Passw0rd"


# -- the documented domain, where JSON Schema cannot say it -----------------------------------


def _digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()[:12]


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def dates_in_order(body: dict[str, Any]) -> None:
    """Dates between 1990 and 2100, given_on not after today, expires_on not before it."""
    given, expires = _date(body.get("given_on")), _date(body.get("expires_on"))
    if given is not None:
        given = min(max(given, EARLIEST), dt.date.today())
        body["given_on"] = given.isoformat()
    if expires is not None:
        expires = max(min(max(expires, EARLIEST), LATEST), given or EARLIEST)
        body["expires_on"] = expires.isoformat()


def both_dates_when_one_changes(body: dict[str, Any]) -> None:
    """A PATCH of one date is checked against the other one stored, which earlier cases
    changed: send the other one too (at its far end), so the pair is in order."""
    given, expires = _date(body.get("given_on")), _date(body.get("expires_on"))
    if given is not None and "expires_on" not in body:
        body["expires_on"] = LATEST.isoformat()
    if expires is not None and "given_on" not in body:
        body["given_on"] = EARLIEST.isoformat()


def deliverable_email(body: dict[str, Any]) -> None:
    """An address the service can mail (one "@", a dotted domain: the field description)."""
    if isinstance(body.get("email"), str):
        body["email"] = f"fuzz-{_digest(body['email'])}@example.com"


def strong_password(body: dict[str, Any]) -> None:
    """The password policy: 8+ characters with upper, lower and a digit."""
    if isinstance(body.get("password"), str):
        body["password"] = STRONG_PASSWORD + _digest(body["password"])


def srp_group_element(body: dict[str, Any]) -> None:
    """SRP_A is an element of Cognito's group: 0 < A < N (RFC 5054 §2.5.4)."""
    if isinstance(body.get("srp_a"), str):
        value = int(body["srp_a"], 16) % SRP_N or 1
        body["srp_a"] = format(value, "x")


def settings_in_bounds(body: dict[str, Any]) -> None:
    """1-6 distinct thresholds of 0-365 days, an IANA zone, a due-soon window of 0-365."""
    thresholds = body.get("reminder_thresholds_days")
    if isinstance(thresholds, list):
        days = sorted({t % 366 for t in thresholds if isinstance(t, int)})[:6]
        body["reminder_thresholds_days"] = days or [0]
    zone = body.get("timezone")
    if isinstance(zone, str) and not is_valid_timezone(zone):
        body["timezone"] = TIME_ZONES[len(zone) % len(TIME_ZONES)]
    if isinstance(body.get("due_soon_days"), int):
        body["due_soon_days"] %= 366


# Operations that verify a one-time code: a well-formed request with a wrong code is a
# credential rejected (400 invalid_code, as Cognito answers CodeMismatchException), not a
# schema-valid request refused. Schemathesis exempts credential rejections itself for the
# operations it can recognise (OAuth2 token URLs); the codes here it cannot. Every other
# positive-data refusal of these operations still fails the check.
CODE_CHECKS = frozenset({"confirmSignUp", "resetPassword"})


def positive_data_acceptance_but_wrong_codes(ctx: Any, response: Any, case: Any) -> bool | None:
    if response.status_code == 400:
        try:
            if json.loads(response.content).get("error") == "invalid_code":
                return None
        except (ValueError, AttributeError):
            pass
    result: bool | None = positive_data_acceptance(ctx, response, case)
    return result


# Schemathesis' own list of statuses that reject invalid data, plus 413: the services cap
# request bodies at 64 KiB before validating them, so an oversized invalid body is refused
# with "Payload Too Large". That is a rejection; accepting invalid data still fails.
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "negative_data_rejection": {
                "expected-statuses": [
                    *("400", "401", "403", "404", "405", "406", "409", "415", "422", "428"),
                    *("429", "5xx", "413"),
                ]
            }
        }
    }
)

REPAIRS: dict[str, tuple[Callable[[dict[str, Any]], None], ...]] = {
    "createDoc": (dates_in_order,),
    "updateDoc": (both_dates_when_one_changes, dates_in_order),
    "signUp": (deliverable_email, strong_password),
    "resetPassword": (deliverable_email, strong_password),
    "confirmSignUp": (deliverable_email,),
    "resendConfirmationCode": (deliverable_email,),
    "forgotPassword": (deliverable_email,),
    "loginStart": (deliverable_email, srp_group_element),
    "loginFinish": (deliverable_email,),
    "putMySettings": (settings_in_bounds,),
}


def repaired(operation_id: str) -> Callable[[Any], Any]:
    def repair(case: Any) -> Any:
        if isinstance(case.body, dict):
            for fix in REPAIRS.get(operation_id, ()):
                fix(case.body)
        return case

    return repair


# -- the owner's objects -------------------------------------------------------------------------


async def seed(database_url: str, owner: uuid.UUID, service: str) -> dict[str, Any]:
    """Pets and records of the fuzzing owner, straight into the database."""
    if service == "auth":
        return {}
    ids = {
        "pet": uuid.uuid4(),
        "pet_doomed": uuid.uuid4(),
        "doc": uuid.uuid4(),
        "doc_doomed": uuid.uuid4(),
        "doc_pending": uuid.uuid4(),
    }
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text("INSERT INTO owners (id, storage_prefix) VALUES (:id, :p)"),
                {"id": owner, "p": owner.hex},
            )
            for pet in ("pet", "pet_doomed"):
                await conn.execute(
                    text(
                        "INSERT INTO pets (id, owner_id, name, species) VALUES (:id, :o, 'Fuzzy', 'dog')"
                    ),
                    {"id": ids[pet], "o": owner},
                )
            for doc, state in (
                ("doc", "ready"),
                ("doc_doomed", "ready"),
                ("doc_pending", "pending"),
            ):
                await conn.execute(
                    text(
                        "INSERT INTO documents (id, owner_id, pet_id, label, expires_on,"
                        " filename, content_type, size_bytes, object_key, state)"
                        " VALUES (:id, :o, :p, 'Rabies', '2099-12-31', 'c.pdf',"
                        " 'application/pdf', 10, :k, :s)"
                    ),
                    {
                        "id": ids[doc],
                        "o": owner,
                        "p": ids["pet"],
                        "k": f"users/{owner.hex}/docs/{ids[doc].hex}",
                        "s": state,
                    },
                )
    finally:
        await engine.dispose()
    return {k: str(v) for k, v in ids.items()}


def create_passports(app: Litestar, token: str, pet_id: str) -> dict[str, str]:
    from schemathesis.python import asgi

    found = {}
    with asgi.get_client(app) as client:  # type: ignore[arg-type]
        # The JWKS lives in the parent pytest process; on a loaded machine its first answer can
        # miss the 3 s fetch bound, and the verifier then waits 10 s before fetching again. Wait
        # for the key (bounded) before seeding, so a slow parent is not mistaken for a defect.
        deadline = time.monotonic() + 30
        while True:
            probe = client.get("/api/passports", headers={"Authorization": f"Bearer {token}"})
            if probe.status_code != 401 or time.monotonic() > deadline:
                break
            time.sleep(1)
        for name in ("passport", "passport_doomed"):
            r = client.post(
                "/api/passports",
                json={"pet_id": pet_id, "label": "Fuzz", "expires_in_days": 30},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert r.status_code == 201, r.text
            found[name] = r.json()["id"]
    return found


def real_ids(operation_id: str, method: str, objects: dict[str, str]) -> dict[str, str]:
    """Path parameters naming the owner's objects; deletions get objects of their own."""
    doomed = "_doomed" if method == "DELETE" else ""
    doc = "doc_pending" if operation_id == "completeDoc" else f"doc{doomed}"
    return {
        "pet_id": objects.get(f"pet{doomed}", ""),
        "doc_id": objects.get(doc, ""),
        "passport_id": objects.get(f"passport{doomed}", ""),
    }


# -- the run -------------------------------------------------------------------------------------


def build_app(service: str, values: dict[str, Any]) -> Litestar:
    if service == "records":
        return create_records_app(Settings(**values))
    if service == "passport":
        return create_passport_app(PassportSettings(**values))
    return create_auth_app(AuthSettings(**values))


def authorize(case: Any, token: str) -> None:
    """The owner's token in place of the generated one — unless this negative case is about
    the header itself (a missing or malformed Authorization), which is sent as generated."""
    meta = case.meta
    header = meta.components.get(ParameterLocation.HEADER) if meta is not None else None
    if header is not None and not header.mode.is_positive:
        return
    headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    case.headers = {**headers, "Authorization": f"Bearer {token}"}


def describe(exc: BaseException) -> str:
    text_ = str(exc)
    if not text_.strip():
        text_ = "".join(traceback.format_exception(exc))
    return text_[:4000]


def fuzz_operation(
    operation: Any,
    examples: int,
    token: Callable[[], str],
    path_parameters: dict[str, str] | None,
    registry: SecretRegistry,
) -> dict[str, Any]:
    operation_id = operation.definition.raw["operationId"]
    repair = repaired(operation_id)
    strategies = [
        operation.as_strategy(GenerationMode.POSITIVE).map(repair),
        operation.as_strategy(GenerationMode.NEGATIVE),
    ]
    if path_parameters:
        strategies.append(
            operation.as_strategy(GenerationMode.POSITIVE, path_parameters=path_parameters).map(
                repair
            )
        )
    failures: dict[str, str] = {}
    count = 0

    @given(case=st.one_of(*strategies))
    @hypothesis.settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    def run(case: Any) -> None:
        nonlocal count
        count += 1
        authorize(case, token())
        try:
            if operation_id in CODE_CHECKS:
                response = case.call_and_validate(
                    excluded_checks=[positive_data_acceptance],
                    additional_checks=[positive_data_acceptance_but_wrong_codes],
                )
            else:
                response = case.call_and_validate()
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            message = describe(exc)
            title = message.strip().splitlines()[0] if message.strip() else type(exc).__name__
            key = (
                title
                + "|"
                + ",".join(sorted({ln for ln in message.splitlines() if ln.startswith("- ")}))
            )
            if len(failures) < 10:
                failures.setdefault(key, message)
            return
        content_type = next(
            (v[0] for k, v in response.headers.items() if k.lower() == "content-type" and v), ""
        )
        if "json" in content_type:
            with contextlib.suppress(ValueError):
                registry.add_json(json.loads(response.content or b"null"))

    started = time.monotonic()
    run()
    raw = operation.definition.raw
    has_inputs = bool(raw.get("parameters") or raw.get("requestBody"))
    return {
        "examples": count,
        "seconds": round(time.monotonic() - started, 1),
        "has_inputs": has_inputs,
        "failures": list(failures.values()),
    }


def main(config_path: str) -> None:
    config = json.loads(Path(config_path).read_text())
    service: str = config["service"]
    tap = LogTap()
    tap.install()
    registry = SecretRegistry()
    keys = KeySet.from_setting(config["signing_keys"])
    issuer = TokenIssuer(issuer=config["issuer"], kid=keys.kid, key=keys.active_key)
    owner = uuid.uuid4()
    token = issuer.token(owner)
    minted = [token]

    def fresh_owner() -> str:
        minted.append(issuer.token(uuid.uuid4()))
        return minted[-1]

    app = build_app(service, config["settings"])
    objects = asyncio.run(seed(config["settings"]["database_url"], owner, service))
    if service == "passport":
        objects.update(create_passports(app, token, objects["pet"]))
    schema = schemathesis.openapi.from_asgi(config["openapi_path"], app, config=CONFIG)
    operations: list[Any] = []
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            raise RuntimeError(f"the {service} document has an invalid operation: {result.err()}")
        operations.append(result.ok())
    # Deletions last: they remove what the other operations aim at.
    operations.sort(key=lambda op: op.method.upper() == "DELETE")
    report: dict[str, Any] = {"service": service, "operations": {}}
    for operation in operations:
        operation_id = operation.definition.raw["operationId"]
        names = {p.name for p in operation.path_parameters}
        ids = dict(real_ids(operation_id, operation.method.upper(), objects).items())
        path_parameters = {k: ids[k] for k in names if ids.get(k)} or None
        # Deleting the fuzzing owner would end the run: each deletion gets an owner of its own.
        tokens = fresh_owner if operation_id == "deleteMe" else (lambda: token)
        report["operations"][operation_id] = fuzz_operation(
            operation, config["examples"], tokens, path_parameters, registry
        )
        print(operation_id, report["operations"][operation_id]["examples"], file=sys.stderr)
    report["tokens"] = minted
    report["secrets"] = {value: kind.value for value, kind in registry.secrets.items()}
    tap.uninstall()
    Path(config["logs"]).write_text("\n".join(line.replace("\n", " ") for line in tap.lines))
    Path(config["report"]).write_text(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1])
