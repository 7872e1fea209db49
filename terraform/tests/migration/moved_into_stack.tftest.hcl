# State written by an environment's root before modules/stack existed must map onto the stack
# without replacing anything (a real operator applies this to live infrastructure). One file
# for every environment: tests/terraform (tf_migration.py) copies it, with forget/, into
# tests/migration of a temporary copy of each environment and writes two roots beside it:
#   pre-stack/         the environment's root at the last commit before the stack, read from
#                      git history (it stands for the state in the real account);
#   without-one-move/  the current root with one moved block left out.
# The first run applies pre-stack/ with mocked AWS; the second plans the current root over
# that same state (state_key) and compares every output; the third plans without-one-move/
# over it. tests/terraform runs this with -verbose and demands, of the second plan, a move for
# every resource and "Plan: 0 to add, 0 to change, 0 to destroy", and of the third, that the
# same checks fail on exactly the resources whose move was left out.
#
# Only mock providers: nothing here reaches AWS. A run with a module block configures the
# real provider unless it is handed the mocks, so every run names its providers. Both read
# the defaults every terraform test shares (terraform/tests/mocks/aws; the path is from the
# environment's root, where this runs), including the computed values an apply needs. The
# mocked ids name no environment: only the runs of one environment compare them.

mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

mock_provider "aws" {
  alias  = "us_east_1"
  source = "../../tests/mocks/aws"
}

variables {
  aws_account_id           = "123456789012"
  domain_name              = "petshots.example"
  hosted_zone_id           = "Z0123456789ABCDEFGHIJ"
  turnstile_site_key       = "0x4AAAAAAAtestsitekey"
  eks_admin_principal_arns = ["arn:aws:iam::123456789012:role/platform-admin"]
}

run "pre_stack" {
  command   = apply
  state_key = "pre_stack"

  providers = {
    aws           = aws
    aws.us_east_1 = aws.us_east_1
  }

  module {
    source = "./tests/migration/pre-stack"
  }

  override_resource {
    target = module.email.aws_ses_domain_identity_verification.this
    values = {
      arn = "arn:aws:ses:us-east-1:123456789012:identity/petshots.example"
    }
  }

  override_resource {
    target = module.kms.aws_kms_key.this
    values = {
      arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
    }
  }

  override_resource {
    target = module.network.aws_vpc.this
    values = {
      id = "vpc-0123456789abcdef0"
    }
  }

  override_resource {
    target = module.network.aws_subnet.app
    values = {
      id = "subnet-00000000000000a00"
    }
  }

  override_resource {
    target = module.network.aws_subnet.data
    values = {
      id = "subnet-00000000000000d00"
    }
  }

  override_resource {
    target = module.network.aws_security_group.app
    values = {
      id = "sg-0000000000000a990"
    }
  }

  override_resource {
    target = module.storage.aws_s3_bucket.this
    values = {
      id  = "petshots-mock-uploads-123456789012"
      arn = "arn:aws:s3:::petshots-mock-uploads-123456789012"
    }
  }

  override_resource {
    target = module.email.aws_sesv2_email_identity.this
    values = {
      arn = "arn:aws:ses:us-east-1:123456789012:identity/petshots.example"
      dkim_signing_attributes = {
        tokens = ["tokena", "tokenb", "tokenc"]
      }
    }
  }

  override_resource {
    target = module.email.aws_sesv2_configuration_set.this
    values = {
      arn = "arn:aws:ses:us-east-1:123456789012:configuration-set/petshots-mock"
    }
  }

  override_resource {
    target = module.email.aws_sqs_queue.feedback
    values = {
      arn = "arn:aws:sqs:us-east-1:123456789012:petshots-mock-ses-feedback"
    }
  }

  override_resource {
    target = module.identity.aws_cognito_user_pool.this
    values = {
      id       = "us-east-1_Mock"
      arn      = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Mock"
      endpoint = "cognito-idp.us-east-1.amazonaws.com/us-east-1_Mock"
    }
  }

  override_resource {
    target = module.identity.aws_secretsmanager_secret.turnstile
    values = {
      arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:petshots-mock/turnstile-secret-key-AbC123"
    }
  }

  override_resource {
    target = module.cluster.aws_eks_cluster.this
    values = {
      identity = [{
        oidc = [{ issuer = "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE" }]
      }]
      vpc_config = {
        cluster_security_group_id = "sg-0000000000000c100"
      }
    }
  }
}

run "stack_over_pre_stack_state" {
  command   = plan
  state_key = "pre_stack"

  providers = {
    aws           = aws
    aws.us_east_1 = aws.us_east_1
  }

  assert {
    condition     = output.helm_values == run.pre_stack.helm_values
    error_message = "helm_values changed (or something it names would be replaced)"
  }

  assert {
    condition     = output.app_secret_inputs == run.pre_stack.app_secret_inputs
    error_message = "app_secret_inputs changed (or the database or cache would be replaced)"
  }

  assert {
    condition     = output.cognito_client_secret == run.pre_stack.cognito_client_secret
    error_message = "the Cognito app client would be replaced"
  }

  assert {
    condition     = output.aws_load_balancer_controller_values == run.pre_stack.aws_load_balancer_controller_values && output.external_secrets_values == run.pre_stack.external_secrets_values
    error_message = "the controllers' values changed"
  }

  assert {
    condition = alltrue([
      output.cluster_name == run.pre_stack.cluster_name,
      output.spa_bucket_name == run.pre_stack.spa_bucket_name,
      output.distribution_id == run.pre_stack.distribution_id,
      output.api_origin_domain == run.pre_stack.api_origin_domain,
      output.nat_autoscaling_group_name == run.pre_stack.nat_autoscaling_group_name,
    ])
    error_message = "an operational output changed (or its resource would be replaced)"
  }
}

# Without the moved block of one module call (tf_migration.LEFT_OUT) the same state must
# not pass: this plan shows the proof can see a missing move. No assertions: tests/terraform
# reads the plan.
run "stack_without_one_move" {
  command   = plan
  state_key = "pre_stack"

  providers = {
    aws           = aws
    aws.us_east_1 = aws.us_east_1
  }

  module {
    source = "./tests/migration/without-one-move"
  }
}

# The pre-stack resources carry prevent_destroy, which would fail the test's clean-up: forget
# them (mock state only).
run "forget_the_mocked_state" {
  command   = apply
  state_key = "pre_stack"

  providers = {
    aws           = aws
    aws.us_east_1 = aws.us_east_1
  }

  module {
    source = "./tests/migration/forget"
  }
}
