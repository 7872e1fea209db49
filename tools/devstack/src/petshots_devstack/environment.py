"""The environment every Petshots process gets in local mode: one definition for all callers.

``petshots-dev up`` gives it to the services, ``petshots-dev migrate`` to Alembic, and test
suites may import it to talk to the same stack.
"""

from __future__ import annotations

from petshots_devstack import addresses as a
from petshots_devstack.dev_keys import KEY_FILE
from petshots_devstack.paths import StateLayout


def local_environment(state: StateLayout | None = None) -> dict[str, str]:
    state = state or StateLayout.for_repo()
    root = state.root.resolve()
    return {
        "PETSHOTS_ENV": "local",
        "PETSHOTS_DATABASE_URL": (
            f"postgresql+asyncpg://postgres@{a.LOOPBACK}:{a.POSTGRES_PORT}/{a.DATABASE_NAME}"
        ),
        "PETSHOTS_REDIS_URL": f"redis://{a.LOOPBACK}:{a.REDIS_PORT}/0",
        "PETSHOTS_S3_ENDPOINT_URL": a.LOCALSTACK_URL,
        "PETSHOTS_S3_PUBLIC_ENDPOINT_URL": a.LOCALSTACK_URL,
        "PETSHOTS_S3_REGION": a.S3_REGION,
        "PETSHOTS_S3_ACCESS_KEY_ID": a.S3_ACCESS_KEY_ID,
        "PETSHOTS_S3_SECRET_ACCESS_KEY": a.S3_SECRET_ACCESS_KEY,
        "PETSHOTS_UPLOADS_BUCKET": a.UPLOADS_BUCKET,
        "PETSHOTS_PUBLIC_BASE_URL": a.PUBLIC_BASE_URL,
        "PETSHOTS_SMTP_HOST": a.LOOPBACK,
        "PETSHOTS_SMTP_PORT": str(a.SMTP_PORT),
        # Absolute, so a process started from any directory writes to the same place.
        "PETSHOTS_MAIL_DIR": str(state.mail.resolve()),
        "PETSHOTS_STATE_DIR": str(root),
        "PETSHOTS_JWKS_URL": f"http://{a.LOOPBACK}:{a.EDGE_PORT}{a.JWKS_PATH}",
        "PETSHOTS_TOKEN_ISSUER": a.TOKEN_ISSUER,
        "PETSHOTS_TOKEN_CLIENT_IDS": a.TOKEN_CLIENT_ID,
        # The dev key that `petshots-dev token` signs with; the local identity provider signs
        # with the same key so both kinds of token verify against one JWKS.
        "PETSHOTS_SIGNING_KEY_FILE": str(state.dev_keys.resolve() / KEY_FILE),
        # Without credentials of its own, boto3 would probe the EC2 metadata address
        # (169.254.169.254): off-machine traffic that local mode must never make.
        "AWS_EC2_METADATA_DISABLED": "true",
    }
