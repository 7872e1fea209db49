"""Fixed loopback addresses of the local stack (SPEC §6: other tools rely on them)."""

from __future__ import annotations

LOOPBACK = "127.0.0.1"

EDGE_PORT = 8000
PUBLIC_BASE_URL = f"http://localhost:{EDGE_PORT}"

LOCALSTACK_PORT = 4566
LOCALSTACK_URL = f"http://{LOOPBACK}:{LOCALSTACK_PORT}"

SMTP_PORT = 1025

POSTGRES_PORT = 5432
REDIS_PORT = 6379
DATABASE_NAME = "petshots"

UPLOADS_BUCKET = "petshots-uploads"
S3_REGION = "us-east-1"
# LocalStack accepts any key pair; "test"/"test" is its documented convention.
S3_ACCESS_KEY_ID = "test"
S3_SECRET_ACCESS_KEY = "test"  # noqa: S105 - a public placeholder, not a secret

TOKEN_ISSUER = f"{PUBLIC_BASE_URL}/auth"
TOKEN_CLIENT_ID = "petshots-web"  # noqa: S105 - an app client id, not a secret
JWKS_PATH = "/auth/.well-known/jwks.json"
