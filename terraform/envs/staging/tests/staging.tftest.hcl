# The whole staging wiring, planned against mocked AWS: every module's validations must
# accept what the others hand it, and the outputs must have the shape docs/deploy.md promises.

mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

mock_provider "aws" {
  alias = "us_east_1"
}

override_resource {
  target          = module.stack.module.email.aws_ses_domain_identity_verification.this
  override_during = plan
  values = {
    arn = "arn:aws:ses:us-east-1:123456789012:identity/petshots.example"
  }
}

override_resource {
  target          = module.stack.module.kms.aws_kms_key.this
  override_during = plan
  values = {
    arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
  }
}

override_resource {
  target          = module.stack.module.network.aws_vpc.this
  override_during = plan
  values = {
    id = "vpc-0123456789abcdef0"
  }
}

override_resource {
  target          = module.stack.module.network.aws_subnet.app
  override_during = plan
  values = {
    id = "subnet-00000000000000a00"
  }
}

override_resource {
  target          = module.stack.module.network.aws_subnet.data
  override_during = plan
  values = {
    id = "subnet-00000000000000d00"
  }
}

override_resource {
  target          = module.stack.module.network.aws_security_group.app
  override_during = plan
  values = {
    id = "sg-0000000000000a990"
  }
}

override_resource {
  target          = module.stack.module.storage.aws_s3_bucket.this
  override_during = plan
  values = {
    id  = "petshots-staging-uploads-123456789012"
    arn = "arn:aws:s3:::petshots-staging-uploads-123456789012"
  }
}

override_resource {
  target          = module.stack.module.email.aws_sesv2_email_identity.this
  override_during = plan
  values = {
    arn = "arn:aws:ses:us-east-1:123456789012:identity/petshots.example"
    dkim_signing_attributes = {
      tokens = ["tokena", "tokenb", "tokenc"]
    }
  }
}

override_resource {
  target          = module.stack.module.email.aws_sesv2_configuration_set.this
  override_during = plan
  values = {
    arn = "arn:aws:ses:us-east-1:123456789012:configuration-set/petshots-staging"
  }
}

override_resource {
  target          = module.stack.module.email.aws_sqs_queue.feedback
  override_during = plan
  values = {
    arn = "arn:aws:sqs:us-east-1:123456789012:petshots-staging-ses-feedback"
  }
}

override_resource {
  target          = module.stack.module.identity.aws_cognito_user_pool.this
  override_during = plan
  values = {
    id       = "us-east-1_Staging"
    arn      = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Staging"
    endpoint = "cognito-idp.us-east-1.amazonaws.com/us-east-1_Staging"
  }
}

override_resource {
  target          = module.stack.module.identity.aws_secretsmanager_secret.turnstile
  override_during = plan
  values = {
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:petshots-staging/turnstile-secret-key-AbC123"
  }
}

override_resource {
  target          = module.stack.module.cluster.aws_eks_cluster.this
  override_during = plan
  values = {
    name = "petshots-staging"
    identity = [{
      oidc = [{ issuer = "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE" }]
    }]
    vpc_config = {
      cluster_security_group_id = "sg-0000000000000c100"
    }
  }
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
    condition     = output.helm_values.config["PETSHOTS_CAPTCHA_SECRET_ARN"] == "arn:aws:secretsmanager:us-east-1:123456789012:secret:petshots-staging/turnstile-secret-key-AbC123"
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
