# The stack's guards, planned against mocked AWS: the choices that protect the passport path
# cannot be configured away by an environment. The environments' own suites (envs/*/tests)
# plan the whole wiring with their real choices and check every output.

mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

mock_provider "aws" {
  alias = "us_east_1"
}

# A passport-serving environment with production's choices; each run below changes one.
variables {
  environment        = "prod"
  serves_passports   = true
  aws_account_id     = "123456789012"
  region             = "us-east-1"
  azs                = ["us-east-1a", "us-east-1b"]
  domain_name        = "petshots.example"
  hosted_zone_id     = "Z0123456789ABCDEFGHIJ"
  turnstile_site_key = "0x4AAAAAAAtestsitekey"

  enable_interface_endpoints = false
  enable_flow_logs           = true

  database_scale_to_zero         = false
  database_min_acu               = 0.5
  database_max_acu               = 4
  database_instance_count        = 1
  database_backup_retention_days = 14

  cache_node_type          = "cache.t4g.micro"
  cache_nodes              = 2
  eks_admin_principal_arns = ["arn:aws:iam::123456789012:role/platform-admin"]
  eks_public_access_cidrs  = []
  node_instance_types      = ["t4g.medium"]
  node_min_size            = 2
  node_max_size            = 4
  node_desired_size        = 2
}

run "passport_serving_environment_never_pauses" {
  command = plan

  assert {
    condition     = output.app_secret_inputs.database_scales_to_zero == false
    error_message = "Aurora keeps a floor where passports are served"
  }

  assert {
    condition     = output.helm_values.ingress.alb.groupName == "petshots-prod" && output.helm_values.config["PETSHOTS_ENV"] == "production"
    error_message = "names and settings follow the environment"
  }
}

run "scale_to_zero_refused_where_passports_are_served" {
  command = plan

  variables {
    database_scale_to_zero = true
    database_min_acu       = 0
  }

  expect_failures = [var.database_scale_to_zero]
}

run "min_acu_zero_refused_where_passports_are_served" {
  command = plan

  variables {
    database_min_acu = 0
  }

  expect_failures = [var.database_min_acu]
}

run "min_acu_zero_refused_without_scale_to_zero" {
  command = plan

  variables {
    environment      = "demo"
    serves_passports = false
    database_min_acu = 0
  }

  expect_failures = [var.database_min_acu]
}

run "prod_cannot_disown_the_passports" {
  command = plan

  variables {
    serves_passports       = false
    database_scale_to_zero = true
    database_min_acu       = 0
  }

  expect_failures = [var.serves_passports]
}

run "passport_backups_kept_two_weeks" {
  command = plan

  variables {
    database_backup_retention_days = 7
  }

  expect_failures = [var.database_backup_retention_days]
}

run "an_environment_without_passports_may_pause" {
  command = plan

  variables {
    environment                    = "staging"
    serves_passports               = false
    database_scale_to_zero         = true
    database_min_acu               = 0
    database_backup_retention_days = 7
  }

  assert {
    condition     = output.app_secret_inputs.database_scales_to_zero == true
    error_message = "staging's Aurora pauses when idle"
  }
}
