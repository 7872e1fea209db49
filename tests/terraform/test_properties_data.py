"""Data-tier properties: Aurora, Valkey and the uploads bucket, and the protection of every
stateful resource (prevent_destroy, deletion protection), read from the HCL."""

from __future__ import annotations

from tf_config import Block, all_configs, env, every_block, expr, module

DB = module("database")
CACHE = module("cache")
STORAGE = module("storage")
STACK = module("stack")

# Resources whose loss loses user data or identities (or makes backups unreadable: the key).
STATEFUL = {
    "aws_rds_cluster",
    "aws_elasticache_replication_group",
    "aws_s3_bucket",
    "aws_cognito_user_pool",
    "aws_cognito_user_pool_client",
    "aws_kms_key",
    "aws_secretsmanager_secret",
}


def _ingress_rules_of(config_blocks: list[Block], group: str) -> list[Block]:
    return [
        r
        for r in config_blocks
        if r.type in ("aws_vpc_security_group_ingress_rule", "aws_security_group_rule")
        and expr(r.get("security_group_id")) == group
    ]


def test_postgres_only_from_the_app_security_group() -> None:
    group = DB.resource("aws_security_group", "this")
    assert "ingress" not in group.body and "egress" not in group.body
    rules = _ingress_rules_of(DB.resources(), "aws_security_group.this.id")
    assert len(rules) == 1
    (rule,) = rules
    assert (rule.get("from_port"), rule.get("to_port"), rule.get("ip_protocol")) == (
        5432,
        5432,
        "tcp",
    )
    assert expr(rule.get("referenced_security_group_id")) == "var.app_security_group_id"
    for key in ("cidr_ipv4", "cidr_ipv6", "prefix_list_id"):
        assert key not in rule.body
    cluster = DB.resource("aws_rds_cluster", "this")
    assert [expr(g) for g in cluster.get("vpc_security_group_ids")] == [
        "aws_security_group.this.id"
    ]


def test_valkey_only_from_the_app_security_group() -> None:
    rules = _ingress_rules_of(CACHE.resources(), "aws_security_group.this.id")
    assert len(rules) == 1
    (rule,) = rules
    assert expr(rule.get("referenced_security_group_id")) == "var.app_security_group_id"
    assert expr(rule.get("from_port")) == expr(rule.get("to_port")) == "var.port"
    assert CACHE.variables()["port"].get("default") == 6379
    for key in ("cidr_ipv4", "cidr_ipv6", "prefix_list_id"):
        assert key not in rule.body


def test_the_stack_hands_the_data_tier_the_app_group_and_data_subnets() -> None:
    for tier in ("database", "cache"):
        call = STACK.modules()[tier]
        assert expr(call.get("app_security_group_id")) == "module.network.app_security_group_id"
        assert expr(call.get("data_subnet_ids")) == "module.network.data_subnet_ids"
    assert (
        expr(DB.resource("aws_db_subnet_group", "this").get("subnet_ids")) == "var.data_subnet_ids"
    )


def test_nothing_is_open_to_the_internet_except_through_cloudfront_and_nat() -> None:
    for block in every_block():
        if block.type == "aws_vpc_security_group_ingress_rule":
            assert block.get("cidr_ipv4") != "0.0.0.0/0", block.where()
            assert block.get("cidr_ipv6") != "::/0", block.where()
        if block.type == "aws_security_group":
            assert "ingress" not in block.body, f"{block.where()}: use separate rule resources"


def test_aurora_serverless_v2_encrypted_backed_up_and_protected() -> None:
    cluster = DB.resource("aws_rds_cluster", "this")
    assert cluster.get("engine") == "aurora-postgresql"
    assert cluster.get("deletion_protection") is True
    assert cluster.get("manage_master_user_password") is True
    assert "master_password" not in cluster.body
    assert cluster.get("storage_encrypted") is True
    assert cluster.get("skip_final_snapshot") is False
    assert expr(cluster.get("backup_retention_period")) == "var.backup_retention_period"
    retention = DB.variables()["backup_retention_period"]
    assert retention.get("default") >= 7
    assert ">= 7" in expr(retention.blocks("validation")[0]["condition"])
    assert DB.resource("aws_rds_cluster_instance", "this").get("instance_class") == "db.serverless"
    assert DB.resource("aws_rds_cluster_instance", "this").get("publicly_accessible") is False
    scaling = cluster.blocks("serverlessv2_scaling_configuration")[0]
    assert expr(scaling["min_capacity"]) == "var.min_capacity"


def _conditions(variable: Block) -> list[str]:
    return [expr(v["condition"]) for v in variable.blocks("validation")]


def test_scale_to_zero_is_opt_in_and_never_in_production() -> None:
    variables = DB.variables()
    assert variables["allow_scale_to_zero"].get("default") is False
    assert variables["min_capacity"].get("default") == 0.5
    assert "var.min_capacity > 0 || var.allow_scale_to_zero" in _conditions(
        variables["min_capacity"]
    )
    # The stack hands the database its switch and floor unchanged ...
    database = STACK.modules()["database"]
    assert expr(database.get("allow_scale_to_zero")) == "var.database_scale_to_zero"
    assert expr(database.get("min_capacity")) == "var.database_min_acu"
    # ... and refuses both where passports are served, with no default to fall back on.
    stack = STACK.variables()
    for name in ("serves_passports", "database_scale_to_zero", "database_min_acu"):
        assert "default" not in stack[name].body, f"modules/stack: {name} must be stated"
    assert "!(var.database_scale_to_zero && var.serves_passports)" in _conditions(
        stack["database_scale_to_zero"]
    )
    assert (
        "var.database_min_acu >= 0.5 || (var.database_scale_to_zero && !var.serves_passports)"
        in _conditions(stack["database_min_acu"])
    )
    assert 'var.serves_passports || var.environment != "prod"' in _conditions(
        stack["serves_passports"]
    )
    prod = env("prod")
    call = prod.modules()["stack"]
    assert expr(call.get("environment")) == "local.environment"
    assert prod.locals()["environment"] == "prod"
    assert call.get("serves_passports") is True
    assert call.get("database_scale_to_zero") is False
    prod_min = prod.variables()["database_min_acu"]
    assert prod_min.get("default") >= 0.5
    assert any(">= 0.5" in c for c in _conditions(prod_min))
    staging = env("staging").modules()["stack"]
    assert staging.get("database_scale_to_zero") is True
    assert staging.get("serves_passports") is False


def test_production_keeps_two_weeks_of_backups() -> None:
    assert (
        expr(STACK.modules()["database"].get("backup_retention_period"))
        == "var.database_backup_retention_days"
    )
    retention = STACK.variables()["database_backup_retention_days"]
    assert "var.database_backup_retention_days >= 14 || !var.serves_passports" in _conditions(
        retention
    )
    assert env("prod").modules()["stack"].get("database_backup_retention_days") == 14


def test_valkey_with_tls_and_an_auth_token_from_secrets_manager() -> None:
    group = CACHE.resource("aws_elasticache_replication_group", "this")
    assert group.get("engine") == "valkey"
    assert group.get("transit_encryption_enabled") is True
    assert group.get("transit_encryption_mode") == "required"
    assert group.get("at_rest_encryption_enabled") is True
    assert (
        expr(group.get("auth_token"))
        == "aws_secretsmanager_secret_version.auth_token.secret_string"
    )
    version = CACHE.resource("aws_secretsmanager_secret_version", "auth_token")
    assert "data.aws_secretsmanager_random_password.auth_token" in expr(
        version.get("secret_string")
    )
    assert [expr(i) for i in version.lifecycle()["ignore_changes"]] == ["secret_string"]
    assert (
        expr(CACHE.resource("aws_elasticache_subnet_group", "this").get("subnet_ids"))
        == "var.data_subnet_ids"
    )


def test_cognito_waits_for_a_verified_ses_identity_with_dkim_and_mail_from() -> None:
    email = module("email")
    identity = email.resource("aws_sesv2_email_identity", "this")
    assert (
        identity.blocks("dkim_signing_attributes")[0]["next_signing_key_length"] == "RSA_2048_BIT"
    )
    dkim = email.resource("aws_route53_record", "dkim")
    assert dkim.get("count") == 3 and dkim.get("type") == "CNAME"
    assert email.resource("aws_route53_record", "mail_from_mx").get("type") == "MX"
    waiter = email.resource("aws_ses_domain_identity_verification", "this")
    assert [expr(d) for d in waiter.get("depends_on")] == ["aws_route53_record.dkim"]
    assert (
        expr(email.outputs()["identity_arn"].get("value"))
        == "aws_ses_domain_identity_verification.this.arn"
    )
    assert expr(STACK.modules()["identity"].get("ses_identity_arn")) == "module.email.identity_arn"
    destination = email.resource("aws_sesv2_configuration_set_event_destination", "feedback")
    assert set(destination.blocks("event_destination")[0]["matching_event_types"]) == {
        "BOUNCE",
        "COMPLAINT",
    }
    subscription = email.resource("aws_sns_topic_subscription", "feedback")
    assert subscription.get("protocol") == "sqs"


def test_uploads_bucket_private_encrypted_versioned_tls_only() -> None:
    block = STORAGE.resource("aws_s3_bucket_public_access_block", "this")
    for flag in (
        "block_public_acls",
        "block_public_policy",
        "ignore_public_acls",
        "restrict_public_buckets",
    ):
        assert block.get(flag) is True, flag
    versioning = STORAGE.resource("aws_s3_bucket_versioning", "this")
    assert versioning.blocks("versioning_configuration")[0]["status"] == "Enabled"
    sse = STORAGE.resource("aws_s3_bucket_server_side_encryption_configuration", "this")
    rule = sse.blocks("rule")[0]["apply_server_side_encryption_by_default"][0]
    assert rule["sse_algorithm"] in ("aws:kms", "AES256")
    ownership = STORAGE.resource("aws_s3_bucket_ownership_controls", "this")
    assert ownership.blocks("rule")[0]["object_ownership"] == "BucketOwnerEnforced"
    policy = STORAGE.data("aws_iam_policy_document", "this")
    deny_http = [
        s
        for s in policy.blocks("statement")
        if s.get("effect") == "Deny"
        and any(
            c["variable"] == "aws:SecureTransport" and c["values"] == ["false"]
            for c in s["condition"]
        )
    ]
    assert len(deny_http) == 1


def test_uploads_cors_from_the_app_origin_only() -> None:
    cors = STORAGE.resource("aws_s3_bucket_cors_configuration", "this")
    methods = set()
    for rule in cors.blocks("cors_rule"):
        assert expr(rule["allowed_origins"]) == "var.cors_allowed_origins"
        methods.update(rule["allowed_methods"])
    assert "POST" in methods and not methods & {"PUT", "DELETE"}
    validation = STORAGE.variables()["cors_allowed_origins"].blocks("validation")[0]
    assert "^https://" in expr(validation["condition"])
    call = STACK.modules()["storage"]
    assert [expr(o) for o in call.get("cors_allowed_origins")] == ["module.cdn.app_origin"]


def test_uploads_lifecycle_noncurrent_versions_and_incomplete_uploads() -> None:
    lifecycle = STORAGE.resource("aws_s3_bucket_lifecycle_configuration", "this")
    rules = lifecycle.blocks("rule")
    assert any("noncurrent_version_expiration" in r for r in rules)
    assert any("abort_incomplete_multipart_upload" in r for r in rules)
    assert (
        expr(STORAGE.resource("aws_s3_bucket_logging", "this").get("count"))
        == "var.access_logs == null ? 0 : 1"
    )


def test_every_stateful_resource_has_prevent_destroy_and_deletion_protection() -> None:
    seen: set[str] = set()
    for config in all_configs().values():
        for block in config.resources():
            if block.type not in STATEFUL:
                continue
            seen.add(block.type)
            assert block.lifecycle().get("prevent_destroy") is True, (
                f"{block.where()}: prevent_destroy"
            )
            if block.type == "aws_rds_cluster":
                assert block.get("deletion_protection") is True, block.where()
            if block.type == "aws_cognito_user_pool":
                assert block.get("deletion_protection") == "ACTIVE", block.where()
            if block.type == "aws_s3_bucket":
                assert block.get("force_destroy", False) is False, block.where()
            if block.type == "aws_secretsmanager_secret":
                assert block.get("recovery_window_in_days", 30) >= 7, block.where()
            if block.type == "aws_elasticache_replication_group":
                assert block.get("final_snapshot_identifier"), block.where()
    assert seen == STATEFUL, f"stateful types not found (renamed?): {STATEFUL - seen}"
    # The module-level protections may not be switched off from the stack or an environment,
    # and the stack offers no input that could.
    calls = [*STACK.modules().values(), *(env(n).modules()["stack"] for n in ("prod", "staging"))]
    for call in calls:
        for key in (
            "deletion_protection",
            "force_destroy",
            "skip_final_snapshot",
            "prevent_destroy",
        ):
            assert not any(key in arg for arg in call.body), f"{call.where()} overrides {key}"
    for name in STACK.variables():
        assert not any(k in name for k in ("deletion", "destroy", "final_snapshot")), name


def test_no_secret_value_is_a_terraform_literal() -> None:
    for block in every_block():
        for key in ("password", "master_password", "auth_token", "secret_string"):
            value = block.get(key)
            if value is not None:
                assert str(value).startswith("${"), f"{block.where()}: {key} is a literal"
        if block.type == "aws_secretsmanager_secret_version":
            # Only generated values; app and third-party secrets are put out of band.
            assert "random_password" in str(block.get("secret_string")), block.where()
