locals {
  tags = merge({ Name = var.name }, var.tags)
}

################################################################################
# User pool
################################################################################

resource "aws_cognito_user_pool" "this" {
  name                     = var.name
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]
  mfa_configuration        = "OFF"
  deletion_protection      = "ACTIVE"
  user_pool_tier           = var.user_pool_tier

  username_configuration {
    case_sensitive = false
  }

  password_policy {
    minimum_length                   = var.password_minimum_length
    require_uppercase                = true
    require_lowercase                = true
    require_numbers                  = true
    require_symbols                  = false
    temporary_password_validity_days = 7
  }

  verification_message_template {
    default_email_option = "CONFIRM_WITH_CODE"
    email_subject        = "Your Petshots code"
    email_message        = "Your Petshots verification code is {####}. It expires in 24 hours."
  }

  # A changed e-mail address stays unverified (and unused for sign-in) until its code is entered.
  user_attribute_update_settings {
    attributes_require_verification_before_update = ["email"]
  }

  account_recovery_setting {
    recovery_mechanism {
      name     = "verified_email"
      priority = 1
    }
  }

  admin_create_user_config {
    allow_admin_create_user_only = false
  }

  # Codes and password resets go out through our verified SES identity (no-reply@<domain>),
  # with the configuration set that routes bounces and complaints to the worker's queue.
  email_configuration {
    email_sending_account = "DEVELOPER"
    source_arn            = var.ses_identity_arn
    from_email_address    = var.from_email_address
    configuration_set     = var.ses_configuration_set_name
  }

  tags = local.tags

  lifecycle {
    prevent_destroy = true
  }
}

################################################################################
# App client (one, with a secret: only the auth service can call Cognito)
################################################################################

resource "aws_cognito_user_pool_client" "this" {
  name         = "${var.name}-auth-service"
  user_pool_id = aws_cognito_user_pool.this.id

  # Every unauthenticated call (SignUp, InitiateAuth, ...) needs the SECRET_HASH only the auth
  # service can compute, so no one signs up around the CAPTCHA by calling Cognito directly.
  generate_secret = true

  explicit_auth_flows           = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
  prevent_user_existence_errors = "ENABLED"
  enable_token_revocation       = true

  access_token_validity  = 1
  id_token_validity      = 1
  refresh_token_validity = 30

  token_validity_units {
    access_token  = "hours"
    id_token      = "hours"
    refresh_token = "days"
  }

  allowed_oauth_flows_user_pool_client = false
  supported_identity_providers         = ["COGNITO"]
  read_attributes                      = ["email", "email_verified"]
  write_attributes                     = ["email"]

  lifecycle {
    prevent_destroy = true
  }
}

################################################################################
# Turnstile secret (the value is put out of band, so it never lands in Terraform state)
################################################################################

resource "aws_secretsmanager_secret" "turnstile" {
  #checkov:skip=CKV2_AWS_57:The Turnstile secret key is issued by Cloudflare; it is rotated in the Cloudflare dashboard and then put here (README), not by a Lambda.
  name                    = "${var.name}/turnstile-secret-key"
  description             = "Cloudflare Turnstile secret key of the sign-up CAPTCHA (read by the auth service by complete ARN)"
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = 30

  tags = local.tags

  lifecycle {
    prevent_destroy = true
  }
}
