mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

override_resource {
  target          = aws_cognito_user_pool.this
  override_during = plan
  values = {
    id       = "us-east-1_Test"
    arn      = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Test"
    endpoint = "cognito-idp.us-east-1.amazonaws.com/us-east-1_Test"
  }
}

variables {
  name                       = "petshots-test"
  kms_key_arn                = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
  ses_identity_arn           = "arn:aws:ses:us-east-1:123456789012:identity/petshots.example"
  from_email_address         = "Petshots <no-reply@petshots.example>"
  ses_configuration_set_name = "petshots-test"
}

run "email_usernames_verified_by_code" {
  command = plan

  assert {
    condition     = aws_cognito_user_pool.this.username_attributes == toset(["email"]) && aws_cognito_user_pool.this.auto_verified_attributes == toset(["email"])
    error_message = "e-mail is the username and is verified"
  }

  assert {
    condition     = aws_cognito_user_pool.this.verification_message_template[0].default_email_option == "CONFIRM_WITH_CODE"
    error_message = "verification by code, not link"
  }

  assert {
    condition = (
      aws_cognito_user_pool.this.password_policy[0].minimum_length >= 8 &&
      aws_cognito_user_pool.this.password_policy[0].require_uppercase &&
      aws_cognito_user_pool.this.password_policy[0].require_lowercase &&
      aws_cognito_user_pool.this.password_policy[0].require_numbers
    )
    error_message = "passwords: 8+ characters with upper, lower and digit"
  }

  assert {
    condition     = aws_cognito_user_pool.this.deletion_protection == "ACTIVE"
    error_message = "the pool has deletion protection"
  }

  assert {
    condition     = aws_cognito_user_pool.this.email_configuration[0].email_sending_account == "DEVELOPER" && aws_cognito_user_pool.this.email_configuration[0].source_arn == var.ses_identity_arn
    error_message = "Cognito sends through our SES identity"
  }
}

run "one_secret_client_srp_and_refresh_only" {
  command = plan

  assert {
    condition     = aws_cognito_user_pool_client.this.generate_secret
    error_message = "the client has a secret"
  }

  assert {
    condition     = aws_cognito_user_pool_client.this.explicit_auth_flows == toset(["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    error_message = "SRP and refresh only (no USER_PASSWORD_AUTH)"
  }

  assert {
    condition     = aws_cognito_user_pool_client.this.prevent_user_existence_errors == "ENABLED"
    error_message = "no user enumeration through Cognito's errors"
  }

  assert {
    condition = (
      aws_cognito_user_pool_client.this.access_token_validity == 1 &&
      aws_cognito_user_pool_client.this.token_validity_units[0].access_token == "hours" &&
      aws_cognito_user_pool_client.this.refresh_token_validity == 30 &&
      aws_cognito_user_pool_client.this.token_validity_units[0].refresh_token == "days"
    )
    error_message = "access tokens live 1 h, refresh tokens 30 days"
  }
}

run "issuer_and_jwks_from_the_pool" {
  command = plan

  assert {
    condition     = output.issuer == "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Test"
    error_message = "issuer is the pool's endpoint"
  }

  assert {
    condition     = output.jwks_url == "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Test/.well-known/jwks.json"
    error_message = "JWKS under the issuer"
  }
}

run "refuses_short_passwords" {
  command = plan

  variables {
    password_minimum_length = 6
  }

  expect_failures = [var.password_minimum_length]
}
