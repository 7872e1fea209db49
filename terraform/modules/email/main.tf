data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  account_id       = data.aws_caller_identity.current.account_id
  region           = data.aws_region.current.name
  tags             = merge({ Name = var.name }, var.tags)
  mail_from_domain = "${var.mail_from_subdomain}.${var.domain_name}"
  from_address     = "${var.from_local_part}@${var.domain_name}"
}

################################################################################
# Domain identity with Easy DKIM
################################################################################

resource "aws_sesv2_email_identity" "this" {
  email_identity = var.domain_name
  # Every message sent from the identity goes through the configuration set, even if a sender
  # forgets to name it, so bounces and complaints always reach the worker.
  configuration_set_name = aws_sesv2_configuration_set.this.configuration_set_name

  dkim_signing_attributes {
    next_signing_key_length = "RSA_2048_BIT"
  }

  tags = local.tags
}

# Easy DKIM always publishes three selectors.
resource "aws_route53_record" "dkim" {
  count = 3

  zone_id = var.hosted_zone_id
  name    = "${aws_sesv2_email_identity.this.dkim_signing_attributes[0].tokens[count.index]}._domainkey.${var.domain_name}"
  type    = "CNAME"
  ttl     = 1800
  records = ["${aws_sesv2_email_identity.this.dkim_signing_attributes[0].tokens[count.index]}.dkim.amazonses.com"]
}

# Cognito refuses an SES identity that is not verified yet, and a new domain identity becomes
# verified only once SES has seen the DKIM records above (usually minutes). This waits for it
# (SES v1's view of the same identity), so the user pool is created after verification.
resource "aws_ses_domain_identity_verification" "this" {
  domain = aws_sesv2_email_identity.this.email_identity

  timeouts {
    create = "45m"
  }

  depends_on = [aws_route53_record.dkim]
}

################################################################################
# Custom MAIL FROM domain (SPF aligned with the From domain) and DMARC
################################################################################

resource "aws_sesv2_email_identity_mail_from_attributes" "this" {
  email_identity         = aws_sesv2_email_identity.this.email_identity
  mail_from_domain       = local.mail_from_domain
  behavior_on_mx_failure = "USE_DEFAULT_VALUE"
}

resource "aws_route53_record" "mail_from_mx" {
  zone_id = var.hosted_zone_id
  name    = local.mail_from_domain
  type    = "MX"
  ttl     = 1800
  records = ["10 feedback-smtp.${local.region}.amazonses.com"]
}

resource "aws_route53_record" "mail_from_spf" {
  zone_id = var.hosted_zone_id
  name    = local.mail_from_domain
  type    = "TXT"
  ttl     = 1800
  records = ["v=spf1 include:amazonses.com ~all"]
}

resource "aws_route53_record" "dmarc" {
  count = var.dmarc_policy == null ? 0 : 1

  zone_id = var.hosted_zone_id
  name    = "_dmarc.${var.domain_name}"
  type    = "TXT"
  ttl     = 1800
  records = [join("; ", compact([
    "v=DMARC1",
    "p=${var.dmarc_policy}",
    var.dmarc_report_address == null ? "" : "rua=mailto:${var.dmarc_report_address}",
    "adkim=s",
    "aspf=r",
  ]))]
}

################################################################################
# Configuration set: TLS required, reputation metrics, bounce/complaint events
################################################################################

resource "aws_sesv2_configuration_set" "this" {
  configuration_set_name = var.name

  delivery_options {
    tls_policy = "REQUIRE"
  }

  reputation_options {
    reputation_metrics_enabled = true
  }

  sending_options {
    sending_enabled = true
  }

  suppression_options {
    suppressed_reasons = ["BOUNCE", "COMPLAINT"]
  }

  tags = local.tags
}

resource "aws_sesv2_configuration_set_event_destination" "feedback" {
  configuration_set_name = aws_sesv2_configuration_set.this.configuration_set_name
  event_destination_name = "bounces-and-complaints"

  event_destination {
    enabled              = true
    matching_event_types = ["BOUNCE", "COMPLAINT"]

    sns_destination {
      topic_arn = aws_sns_topic.feedback.arn
    }
  }
}

################################################################################
# Feedback path: SNS topic -> SQS queue (read by the reminders worker) with a dead-letter queue
################################################################################

resource "aws_sns_topic" "feedback" {
  name              = "${var.name}-ses-feedback"
  display_name      = "Petshots SES bounces and complaints"
  kms_master_key_id = var.kms_key_arn

  tags = local.tags
}

data "aws_iam_policy_document" "feedback_topic" {
  statement {
    sid       = "SesPublishesThisConfigurationSetsEvents"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.feedback.arn]

    principals {
      type        = "Service"
      identifiers = ["ses.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [aws_sesv2_configuration_set.this.arn]
    }
  }
}

resource "aws_sns_topic_policy" "feedback" {
  arn    = aws_sns_topic.feedback.arn
  policy = data.aws_iam_policy_document.feedback_topic.json
}

resource "aws_sqs_queue" "feedback_dlq" {
  name                      = "${var.name}-ses-feedback-dlq"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true

  tags = local.tags
}

resource "aws_sqs_queue" "feedback" {
  name                       = "${var.name}-ses-feedback"
  message_retention_seconds  = var.feedback_retention_seconds
  visibility_timeout_seconds = 60
  receive_wait_time_seconds  = 20
  sqs_managed_sse_enabled    = true

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.feedback_dlq.arn
    maxReceiveCount     = 5
  })

  tags = local.tags
}

data "aws_iam_policy_document" "feedback_queue" {
  statement {
    sid       = "TheFeedbackTopicDelivers"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.feedback.arn]

    principals {
      type        = "Service"
      identifiers = ["sns.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_sns_topic.feedback.arn]
    }
  }
}

resource "aws_sqs_queue_policy" "feedback" {
  queue_url = aws_sqs_queue.feedback.id
  policy    = data.aws_iam_policy_document.feedback_queue.json
}

resource "aws_sns_topic_subscription" "feedback" {
  topic_arn            = aws_sns_topic.feedback.arn
  protocol             = "sqs"
  endpoint             = aws_sqs_queue.feedback.arn
  raw_message_delivery = true
}
