################################################################################
# Domain identity with Easy DKIM
################################################################################

output "identity_arn" {
  description = "ARN of the SES domain identity, available once the identity is verified (Cognito's source_arn; scope of ses:SendEmail)."
  # From the verification waiter, so whatever uses this output waits for verification.
  value = aws_ses_domain_identity_verification.this.arn
}

output "domain_name" {
  description = "The verified domain."
  value       = aws_sesv2_email_identity.this.email_identity
}

output "from_address" {
  description = "Sender address of every Petshots e-mail."
  value       = local.from_address
}

################################################################################
# Custom MAIL FROM domain (SPF aligned with the From domain) and DMARC
################################################################################

output "mail_from_domain" {
  description = "MAIL FROM (bounce) domain."
  value       = local.mail_from_domain
}

################################################################################
# Configuration set: TLS required, reputation metrics, bounce/complaint events
################################################################################

output "configuration_set_name" {
  description = "SES configuration set (PETSHOTS_SES_CONFIGURATION_SET)."
  value       = aws_sesv2_configuration_set.this.configuration_set_name
}

output "configuration_set_arn" {
  description = "ARN of the configuration set (scope of ses:SendEmail)."
  value       = aws_sesv2_configuration_set.this.arn
}

################################################################################
# Feedback path: SNS topic -> SQS queue (read by the reminders worker) with a dead-letter queue
################################################################################

output "feedback_queue_url" {
  description = "URL of the queue of bounce and complaint events the reminders worker reads."
  value       = aws_sqs_queue.feedback.url
}

output "feedback_queue_arn" {
  description = "ARN of the feedback queue."
  value       = aws_sqs_queue.feedback.arn
}

output "feedback_topic_arn" {
  description = "ARN of the SNS topic SES publishes events to."
  value       = aws_sns_topic.feedback.arn
}
