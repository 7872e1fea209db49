data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
  tags       = merge({ Name = var.name }, var.tags)
}

################################################################################
# Key
################################################################################

# One customer-managed key for everything Petshots stores at rest (Aurora, Valkey, the uploads
# bucket, Secrets Manager, CloudWatch log groups, the e-mail event topic, EKS secrets): $1/month
# instead of one key per module, and one key policy to review. The key outlives the stack:
# destroying it would make every backup unreadable.
resource "aws_kms_key" "this" {
  description             = "Petshots ${var.name}: data at rest (database, cache, uploads, secrets, logs, e-mail events)"
  enable_key_rotation     = true
  rotation_period_in_days = var.rotation_period_in_days
  deletion_window_in_days = var.deletion_window_in_days
  policy                  = data.aws_iam_policy_document.this.json

  tags = local.tags

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.this.key_id
}

data "aws_iam_policy_document" "this" {
  #checkov:skip=CKV_AWS_109:A key policy's Resource "*" means this key only; the root statement is AWS's default key policy and hands control to IAM, which prevents an unmanageable key.
  #checkov:skip=CKV_AWS_111:Same root statement: write access is granted to the account, then narrowed by IAM policies (see the cluster module's per-service roles).
  #checkov:skip=CKV_AWS_356:In a key policy "*" is the key itself, not every resource.

  # AWS's default key policy: the account (through IAM policies) administers and uses the key.
  statement {
    sid       = "AccountAdministersKeyThroughIam"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  # CloudWatch Logs encrypts this account's log groups in this region (VPC flow logs, EKS).
  statement {
    sid = "CloudWatchLogsEncryptsThisAccountsLogGroups"
    actions = [
      "kms:Encrypt",
      "kms:Decrypt",
      "kms:ReEncryptFrom",
      "kms:ReEncryptTo",
      "kms:GenerateDataKey",
      "kms:GenerateDataKeyWithoutPlaintext",
      "kms:DescribeKey",
    ]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${local.region}.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:*"]
    }
  }

  # SES publishes bounce and complaint events to the encrypted SNS topic of the email module.
  statement {
    sid       = "SesPublishesToEncryptedTopics"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["ses.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}
