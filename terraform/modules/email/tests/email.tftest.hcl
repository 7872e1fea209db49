mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

override_resource {
  target          = aws_ses_domain_identity_verification.this
  override_during = plan
  values = {
    arn = "arn:aws:ses:us-east-1:123456789012:identity/petshots.example"
  }
}

override_resource {
  target          = aws_sesv2_email_identity.this
  override_during = plan
  values = {
    arn = "arn:aws:ses:us-east-1:123456789012:identity/petshots.example"
    dkim_signing_attributes = {
      tokens = ["tokena", "tokenb", "tokenc"]
    }
  }
}

override_resource {
  target          = aws_sns_topic.feedback
  override_during = plan
  values = {
    arn = "arn:aws:sns:us-east-1:123456789012:petshots-test-ses-feedback"
  }
}

override_resource {
  target          = aws_sqs_queue.feedback
  override_during = plan
  values = {
    arn = "arn:aws:sqs:us-east-1:123456789012:petshots-test-ses-feedback"
  }
}

variables {
  name           = "petshots-test"
  domain_name    = "petshots.example"
  hosted_zone_id = "Z0123456789ABCDEFGHIJ"
  kms_key_arn    = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
}

run "easy_dkim_and_mail_from_in_route53" {
  command = plan

  assert {
    condition     = [for r in aws_route53_record.dkim : r.name] == ["tokena._domainkey.petshots.example", "tokenb._domainkey.petshots.example", "tokenc._domainkey.petshots.example"]
    error_message = "three DKIM CNAMEs, one per Easy DKIM token"
  }

  assert {
    condition     = aws_route53_record.dkim[0].records == toset(["tokena.dkim.amazonses.com"])
    error_message = "DKIM CNAMEs point at amazonses.com"
  }

  assert {
    condition     = aws_sesv2_email_identity_mail_from_attributes.this.mail_from_domain == "mail.petshots.example"
    error_message = "MAIL FROM is mail.<domain>"
  }

  assert {
    condition     = aws_route53_record.mail_from_mx.records == toset(["10 feedback-smtp.us-east-1.amazonses.com"])
    error_message = "MAIL FROM MX points at SES feedback in the region"
  }

  assert {
    condition     = output.identity_arn == "arn:aws:ses:us-east-1:123456789012:identity/petshots.example"
    error_message = "the identity ARN is handed out by the verification waiter"
  }

  assert {
    condition     = output.from_address == "no-reply@petshots.example"
    error_message = "mail comes from no-reply@<domain>"
  }
}

run "bounces_and_complaints_reach_the_queue" {
  command = plan

  assert {
    condition     = aws_sesv2_configuration_set_event_destination.feedback.event_destination[0].matching_event_types == toset(["BOUNCE", "COMPLAINT"])
    error_message = "bounce and complaint events are published"
  }

  assert {
    condition     = aws_sesv2_configuration_set_event_destination.feedback.event_destination[0].sns_destination[0].topic_arn == "arn:aws:sns:us-east-1:123456789012:petshots-test-ses-feedback"
    error_message = "events go to the feedback topic"
  }

  assert {
    condition     = aws_sns_topic_subscription.feedback.protocol == "sqs" && aws_sns_topic_subscription.feedback.endpoint == "arn:aws:sqs:us-east-1:123456789012:petshots-test-ses-feedback"
    error_message = "the topic feeds the worker's queue"
  }

  assert {
    condition     = aws_sesv2_configuration_set.this.delivery_options[0].tls_policy == "REQUIRE"
    error_message = "mail is only delivered over TLS"
  }
}

run "no_dmarc_record_when_the_zone_owner_has_one" {
  command = plan

  variables {
    dmarc_policy = null
  }

  assert {
    condition     = length(aws_route53_record.dmarc) == 0
    error_message = "DMARC is optional"
  }
}
