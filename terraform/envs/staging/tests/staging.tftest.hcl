# The whole staging wiring, planned against mocked AWS: every module's validations must
# accept what the others hand it, and the outputs must have the shape docs/deploy.md promises.
#
# The mocked AWS (data sources, and the ids the modules hand each other at plan time) is the
# one every test shares: terraform/tests/mocks/aws, a path from this root. Its ids name no
# environment.

mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

mock_provider "aws" {
  alias = "us_east_1"
}

variables {
  aws_account_id           = "123456789012"
  domain_name              = "petshots.example"
  hosted_zone_id           = "Z0123456789ABCDEFGHIJ"
  turnstile_site_key       = "0x4AAAAAAAtestsitekey"
  eks_admin_principal_arns = ["arn:aws:iam::123456789012:role/platform-admin"]
}

run "staging_wiring_plans" {
  command = plan

  assert {
    condition     = output.helm_values.config["PETSHOTS_CAPTCHA_SECRET_ARN"] == "arn:aws:secretsmanager:us-east-1:123456789012:secret:petshots-mock/turnstile-secret-key-AbC123"
    error_message = "the auth service reads the Turnstile secret by its complete ARN"
  }

  assert {
    condition     = output.app_secret_inputs.database_scales_to_zero == true
    error_message = "staging Aurora pauses when idle (min 0 ACU)"
  }

  assert {
    condition     = alltrue([for c in ["auth", "records", "passport", "reminders"] : startswith(output.helm_values[c].serviceAccount.name, "petshots-")])
    error_message = "a service account and role for every component"
  }

  assert {
    condition     = output.helm_values.networkPolicy.egress.postgres.cidrs == tolist(["10.0.4.0/24", "10.0.5.0/24"]) && output.helm_values.networkPolicy.egress.postgres.port == 5432
    error_message = "pods may reach Postgres in the data subnets only"
  }

  assert {
    condition     = output.helm_values.config["PETSHOTS_TRUSTED_PROXY_ADDRESSES"] == "10.0.0.0/24,10.0.1.0/24"
    error_message = "the services trust the ALB's subnets"
  }

  assert {
    condition     = output.helm_values.image.registry == "123456789012.dkr.ecr.us-east-1.amazonaws.com" && output.helm_values.image.repositoryPrefix == "petshots-staging"
    error_message = "images come from this account's ECR"
  }
}
