mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

override_resource {
  target          = aws_security_group.this
  override_during = plan
  values = {
    id = "sg-0000000000000db00"
  }
}

variables {
  name                  = "petshots-test"
  vpc_id                = "vpc-0123456789abcdef0"
  data_subnet_ids       = ["subnet-0000000000000000a", "subnet-0000000000000000b"]
  app_security_group_id = "sg-0000000000000a990"
  kms_key_arn           = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
}

run "serverless_v2_postgres_that_cannot_be_deleted" {
  command = plan

  assert {
    condition     = aws_rds_cluster.this.engine == "aurora-postgresql" && aws_rds_cluster_instance.this[0].instance_class == "db.serverless"
    error_message = "Aurora PostgreSQL Serverless v2"
  }

  assert {
    condition     = aws_rds_cluster.this.deletion_protection && !aws_rds_cluster.this.skip_final_snapshot
    error_message = "deletion protection on, final snapshot kept"
  }

  assert {
    condition     = aws_rds_cluster.this.manage_master_user_password && aws_rds_cluster.this.storage_encrypted
    error_message = "master password in Secrets Manager, storage encrypted"
  }

  assert {
    condition     = aws_rds_cluster.this.backup_retention_period >= 7
    error_message = "at least a week of point-in-time restore"
  }

  assert {
    condition     = aws_rds_cluster.this.serverlessv2_scaling_configuration[0].min_capacity == 0.5 && output.scales_to_zero == false
    error_message = "by default the cluster never pauses"
  }
}

run "postgres_only_from_the_app_security_group" {
  command = plan

  assert {
    condition = (
      aws_vpc_security_group_ingress_rule.postgres_from_app.from_port == 5432 &&
      aws_vpc_security_group_ingress_rule.postgres_from_app.to_port == 5432 &&
      aws_vpc_security_group_ingress_rule.postgres_from_app.referenced_security_group_id == "sg-0000000000000a990" &&
      aws_vpc_security_group_ingress_rule.postgres_from_app.cidr_ipv4 == null
    )
    error_message = "5432 is open to the app security group and nothing else"
  }

  assert {
    condition     = aws_rds_cluster.this.vpc_security_group_ids == toset(["sg-0000000000000db00"])
    error_message = "the cluster uses its own security group only"
  }
}

run "scale_to_zero_when_explicitly_allowed" {
  command = plan

  variables {
    allow_scale_to_zero = true
    min_capacity        = 0
  }

  assert {
    condition     = aws_rds_cluster.this.serverlessv2_scaling_configuration[0].min_capacity == 0 && aws_rds_cluster.this.serverlessv2_scaling_configuration[0].seconds_until_auto_pause == 1800 && output.scales_to_zero
    error_message = "min 0 pauses after the idle period"
  }
}

run "refuses_scale_to_zero_by_default" {
  command = plan

  variables {
    min_capacity = 0
  }

  expect_failures = [var.min_capacity]
}

run "refuses_a_short_backup_retention" {
  command = plan

  variables {
    backup_retention_period = 1
  }

  expect_failures = [var.backup_retention_period]
}
