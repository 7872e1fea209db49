"""IAM properties: least privilege in every policy document, one trust per service account,
per-service permissions, the Cognito actions the code really calls, and the Turnstile secret
referenced by its complete ARN everywhere."""

from __future__ import annotations

import re
from typing import Any

import pytest
from tf_config import Block, Config, all_configs, expr, module
from tf_tools import REPO

CLUSTER = module("cluster")

# Allow statements whose actions or resources contain "*", with the reason AWS leaves no
# narrower choice. Keyed by (root, policy document, statement sid). Anything else with a
# wildcard fails; an entry that no longer matches a statement fails too (no stale excuses).
WILDCARD_EXCEPTIONS: dict[tuple[str, str, str], str] = {
    ("modules/kms", "this", "AccountAdministersKeyThroughIam"): (
        "key policy: Resource * is this key; kms:* for the account root is AWS's default key "
        "policy, which delegates to IAM and keeps the key manageable"
    ),
    ("modules/kms", "this", "CloudWatchLogsEncryptsThisAccountsLogGroups"): (
        "key policy: Resource * is this key; narrowed by the log-group encryption context"
    ),
    ("modules/kms", "this", "SesPublishesToEncryptedTopics"): (
        "key policy: Resource * is this key; narrowed by aws:SourceAccount"
    ),
    ("modules/network", "nat", "AttachTheStaticEni"): (
        "the ASG launches the NAT instance, so its id is unknown to Terraform: instance/* in "
        "this account and region, narrowed by the petshots:nat resource tag"
    ),
    ("modules/network", "nat", "DisableSourceDestCheckOnOwnEni"): (
        "the instance's primary ENI is created at launch: network-interface/*, narrowed by tag"
    ),
    ("modules/network", "flow_logs", "DeliverToTheFlowLogGroup"): (
        "the flow-log service names its log streams: <log group>:log-stream:*"
    ),
    ("modules/cdn", "spa", "CloudFrontReadsThroughOac"): (
        "bucket policy: CloudFront (this distribution only, AWS:SourceArn) reads every object "
        "of the SPA bucket, which holds nothing but the public build"
    ),
    ("modules/cluster", "records", "OwnerFilesReadWriteDelete"): (
        "object keys are random per owner: users/* is the one prefix the product writes under"
    ),
    ("modules/cluster", "passport", "OwnerFilesReadOnly"): "users/* prefix, read only",
    ("modules/cluster", "reminders", "PurgeOwnerFiles"): "users/* prefix, delete only",
    # The AWS Load Balancer Controller, as AWS publishes its policy: Describe*/Get* calls
    # have no resource-level permissions; create calls name resources that do not exist yet
    # and are gated by the elbv2.k8s.aws/cluster request tag; later writes by the resource tag.
    ("modules/cluster", "load_balancer_controller", "CreateElbServiceLinkedRole"): (
        "iam:CreateServiceLinkedRole has no resource to name beforehand; limited to ELB's role"
    ),
    ("modules/cluster", "load_balancer_controller", "DescribeNetworkAndLoadBalancers"): (
        "Describe*/Get* calls support no resource-level permissions"
    ),
    ("modules/cluster", "load_balancer_controller", "ReadCertificatesWafShieldAndCognito"): (
        "read/associate calls of ACM, WAF and Shield used by the controller; AWS's policy uses *"
    ),
    ("modules/cluster", "load_balancer_controller", "ManageSecurityGroupRules"): (
        "rules on security groups the controller discovers at run time (AWS's policy)"
    ),
    ("modules/cluster", "load_balancer_controller", "CreateSecurityGroup"): (
        "a security group that does not exist yet has no ARN"
    ),
    ("modules/cluster", "load_balancer_controller", "TagNewSecurityGroups"): (
        "security-group/* at creation only (ec2:CreateAction), with the cluster tag"
    ),
    ("modules/cluster", "load_balancer_controller", "RetagOwnSecurityGroups"): (
        "security groups carrying this cluster's tag"
    ),
    ("modules/cluster", "load_balancer_controller", "ManageOwnSecurityGroups"): (
        "only security groups carrying the cluster tag (aws:ResourceTag condition)"
    ),
    ("modules/cluster", "load_balancer_controller", "CreateTaggedLoadBalancersAndTargetGroups"): (
        "new load balancers/target groups have no ARN yet; the cluster request tag is required"
    ),
    ("modules/cluster", "load_balancer_controller", "ManageListenersAndRules"): (
        "listeners and rules of load balancers created at run time (AWS's policy)"
    ),
    ("modules/cluster", "load_balancer_controller", "RetagOwnLoadBalancersAndTargetGroups"): (
        "ELB ARNs in this account and region, conditioned on the cluster tag"
    ),
    ("modules/cluster", "load_balancer_controller", "TagListenersAndRules"): (
        "listener and rule ARNs in this account and region, named at run time"
    ),
    ("modules/cluster", "load_balancer_controller", "ModifyOwnLoadBalancersAndTargetGroups"): (
        "only resources carrying the cluster tag (aws:ResourceTag condition)"
    ),
    ("modules/cluster", "load_balancer_controller", "TagOnCreate"): (
        "tags at creation only (elasticloadbalancing:CreateAction)"
    ),
    ("modules/cluster", "load_balancer_controller", "RegisterTargets"): (
        "target groups created at run time in this account and region"
    ),
    ("modules/cluster", "load_balancer_controller", "ManageListenerSettings"): (
        "listener settings of load balancers created at run time (AWS's policy)"
    ),
}


def _resolve(config: Config, value: Any) -> str:
    """A statement's resource or action, with a whole-value `local.x` reference expanded."""
    text = expr(value)
    match = re.fullmatch(r"local\.(\w+)", text)
    if match and isinstance(config.locals().get(match.group(1)), str):
        return str(config.locals()[match.group(1)])
    return str(value)


def _documents() -> list[tuple[Config, Block]]:
    return [
        (config, block)
        for config in all_configs().values()
        for block in config.of("data", "aws_iam_policy_document")
    ]


def _allow_statements() -> list[tuple[Config, Block, dict[str, Any]]]:
    return [
        (config, doc, statement)
        for config, doc in _documents()
        for statement in doc.blocks("statement")
        if statement.get("effect", "Allow") == "Allow"
    ]


def _statement(doc: Block, sid: str) -> dict[str, Any]:
    (found,) = [s for s in doc.blocks("statement") if s.get("sid") == sid]
    return found


def test_least_privilege_no_wildcards_except_where_aws_requires_them() -> None:
    used: set[tuple[str, str, str]] = set()
    offenders = []
    for config, doc, statement in _allow_statements():
        if "principals" in statement and "resources" not in statement:
            continue  # a trust policy: no actions on resources to narrow
        actions = statement.get("actions", [])
        resources = statement.get("resources", [])
        if isinstance(actions, str):  # a reference to a list, e.g. local.auth_cognito_admin_actions
            actions = config.locals().get(expr(actions).removeprefix("local."), [actions])
        wild = [a for a in actions if "*" in str(a)] + [
            r for r in (_resolve(config, r) for r in resources) if "*" in r
        ]
        assert "not_actions" not in statement and "not_resources" not in statement, doc.where()
        if not wild:
            continue
        key = (config.name, doc.name, str(statement.get("sid", "")))
        if key in WILDCARD_EXCEPTIONS:
            used.add(key)
        else:
            offenders.append(f"{key}: {wild}")
    assert not offenders, "wildcards without a listed reason:\n" + "\n".join(offenders)
    stale = set(WILDCARD_EXCEPTIONS) - used
    assert not stale, f"exceptions that no longer match a wildcard statement: {sorted(stale)}"


def test_every_policy_is_a_reviewed_policy_document() -> None:
    """Inline JSON would escape the wildcard check: every IAM, bucket, key, topic and queue
    policy is an aws_iam_policy_document."""
    policy_attributes = {
        "aws_iam_role": "assume_role_policy",
        "aws_iam_role_policy": "policy",
        "aws_iam_policy": "policy",
        "aws_s3_bucket_policy": "policy",
        "aws_kms_key": "policy",
        "aws_sns_topic_policy": "policy",
        "aws_sqs_queue_policy": "policy",
    }
    service_policies = CLUSTER.locals()["service_policies"]
    for config in all_configs().values():
        for block in config.resources():
            attribute = policy_attributes.get(block.type)
            if attribute is None:
                continue
            text = expr(block.get(attribute))
            if text == "local.service_policies[each.key]":
                assert all(
                    expr(v).startswith("data.aws_iam_policy_document.")
                    for v in service_policies.values()
                )
                continue
            assert text.startswith("data.aws_iam_policy_document.") and text.endswith(".json"), (
                f"{block.where()}: {attribute} = {text}"
            )
        for block in config.resources("aws_iam_role_policy_attachment"):
            arn = str(block.get("policy_arn"))
            assert ":iam::aws:policy/" in arn and "AdministratorAccess" not in arn, block.where()


def test_one_irsa_role_per_service_account() -> None:
    accounts = CLUSTER.locals()["service_accounts"]
    assert set(accounts) == {
        "auth",
        "records",
        "passport",
        "reminders",
        "aws-load-balancer-controller",
        "external-secrets",
    }
    trust = CLUSTER.data("aws_iam_policy_document", "irsa_assume")
    assert expr(trust.get("for_each")) == "local.service_accounts"
    (statement,) = trust.blocks("statement")
    assert statement["actions"] == ["sts:AssumeRoleWithWebIdentity"]
    conditions = {c["variable"]: (c["test"], c["values"]) for c in statement["condition"]}
    assert conditions["${local.oidc_issuer}:sub"] == (
        "StringEquals",
        ["system:serviceaccount:${each.value.namespace}:${each.value.name}"],
    )
    assert conditions["${local.oidc_issuer}:aud"] == ("StringEquals", ["sts.amazonaws.com"])
    names = CLUSTER.variables()["service_account_names"].blocks("validation")[0]
    assert "distinct" in expr(names["condition"])


def _actions_and_resources(doc: Block) -> dict[str, tuple[set[str], set[str]]]:
    return {
        s["sid"]: ({str(a) for a in s["actions"]}, {_resolve(CLUSTER, r) for r in s["resources"]})
        for s in doc.blocks("statement")
    }


def test_records_reads_writes_deletes_only_under_users() -> None:
    doc = _actions_and_resources(CLUSTER.data("aws_iam_policy_document", "records"))
    assert doc["OwnerFilesReadWriteDelete"] == (
        {"s3:GetObject", "s3:PutObject", "s3:DeleteObject"},
        {"${var.uploads_bucket_arn}/users/*"},
    )
    assert doc["UploadsKeyThroughS3"][0] == {"kms:GenerateDataKey", "kms:Decrypt"}
    assert set(doc) == {"OwnerFilesReadWriteDelete", "UploadsKeyThroughS3"}


def test_passport_reads_only() -> None:
    doc = _actions_and_resources(CLUSTER.data("aws_iam_policy_document", "passport"))
    assert doc["OwnerFilesReadOnly"] == ({"s3:GetObject"}, {"${var.uploads_bucket_arn}/users/*"})
    assert doc["UploadsKeyDecryptThroughS3"][0] == {"kms:Decrypt"}
    assert set(doc) == {"OwnerFilesReadOnly", "UploadsKeyDecryptThroughS3"}


def test_reminders_sends_from_the_identity_purges_and_reads_its_queue() -> None:
    policy = CLUSTER.data("aws_iam_policy_document", "reminders")
    doc = _actions_and_resources(policy)
    assert doc["SendFromTheVerifiedIdentity"] == (
        {"ses:SendEmail"},
        {"${var.ses_identity_arn}", "${var.ses_configuration_set_arn}"},
    )
    (sender,) = _statement(policy, "SendFromTheVerifiedIdentity")["condition"]
    assert (sender["variable"], sender["values"]) == (
        "ses:FromAddress",
        ["${var.mail_from_address}"],
    )
    assert doc["PurgeOwnerFiles"] == (
        {"s3:DeleteObject", "s3:DeleteObjectVersion"},
        {"${var.uploads_bucket_arn}/users/*"},
    )
    (prefix,) = _statement(policy, "ListVersionsUnderUsers")["condition"]
    assert (prefix["variable"], prefix["values"]) == ("s3:prefix", ["users/*"])
    assert doc["ConsumeBouncesAndComplaints"][1] == {"${var.feedback_queue_arn}"}
    assert not any(a.startswith("sqs:Send") for a in doc["ConsumeBouncesAndComplaints"][0])


def test_external_secrets_reads_only_the_app_secret() -> None:
    doc = _actions_and_resources(CLUSTER.data("aws_iam_policy_document", "external_secrets"))
    assert doc["ReadTheAppSecret"] == (
        {"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"},
        {"${aws_secretsmanager_secret.app.arn}"},
    )
    assert doc["AppSecretKeyThroughSecretsManager"][0] == {"kms:Decrypt"}


def _cognito_admin_calls_in_code() -> set[str]:
    backend = REPO / "services/auth/src/petshots_auth/backends/cognito.py"
    if not backend.exists():
        pytest.fail(f"{backend} moved: point this check at the auth service's Cognito calls")
    calls = set(re.findall(r"_client\.(admin_[a-z_]+)\b", backend.read_text()))
    return {"cognito-idp:" + "".join(p.capitalize() for p in call.split("_")) for call in calls}


def test_auth_has_exactly_the_cognito_admin_actions_its_code_calls() -> None:
    declared = set(CLUSTER.locals()["auth_cognito_admin_actions"])
    assert declared == _cognito_admin_calls_in_code()
    policy = CLUSTER.data("aws_iam_policy_document", "auth")
    cognito = _statement(policy, "CognitoAdminCallsOnThisPool")
    assert expr(cognito["actions"]) == "local.auth_cognito_admin_actions"
    assert cognito["resources"] == ["${var.user_pool_arn}"]


def test_turnstile_secret_by_its_complete_arn_everywhere() -> None:
    identity = module("identity")
    assert (
        expr(identity.outputs()["turnstile_secret_arn"].get("value"))
        == "aws_secretsmanager_secret.turnstile.arn"
    )
    policy = CLUSTER.data("aws_iam_policy_document", "auth")
    secret = _statement(policy, "ReadTheTurnstileSecret")
    assert secret["actions"] == ["secretsmanager:GetSecretValue"]
    assert secret["resources"] == ["${var.turnstile_secret_arn}"]
    stack = module("stack")
    assert (
        expr(stack.modules()["cluster"].get("turnstile_secret_arn"))
        == "module.identity.turnstile_secret_arn"
    )
    service_env = stack.locals()["service_env"]
    assert (
        expr(service_env["PETSHOTS_CAPTCHA_SECRET_ARN"]) == "module.identity.turnstile_secret_arn"
    )
    for block in [b for c in all_configs().values() for b in c.blocks]:
        assert not re.search(r"secret:[^\"\s]*\*", str(block.body)), (
            f"{block.where()}: wildcard secret ARN"
        )


def test_terraform_and_the_auth_service_agree_on_what_a_complete_secret_arn_is() -> None:
    from petshots_auth.settings import SECRET_ARN

    condition = expr(
        CLUSTER.variables()["turnstile_secret_arn"].blocks("validation")[0]["condition"]
    )
    (pattern,) = re.findall(r'regex\("([^"]+)"', condition)
    terraform = re.compile(pattern.replace("\\\\", "\\"))
    samples = {
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:petshots-prod/turnstile-secret-key-AbC123": True,
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:petshots-prod/turnstile-secret-key": False,
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:petshots-prod/turnstile-*": False,
        "petshots-prod/turnstile-secret-key": False,
    }
    for arn, complete in samples.items():
        assert bool(terraform.match(arn)) is complete, arn
        assert bool(SECRET_ARN.match(arn)) is complete, arn
