mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

override_resource {
  target          = aws_security_group.this
  override_during = plan
  values = {
    id = "sg-0000000000000ca00"
  }
}

variables {
  name                  = "petshots-test"
  vpc_id                = "vpc-0123456789abcdef0"
  data_subnet_ids       = ["subnet-0000000000000000a", "subnet-0000000000000000b"]
  app_security_group_id = "sg-0000000000000a990"
  kms_key_arn           = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
}

run "valkey_with_tls_and_auth" {
  command = plan

  assert {
    condition     = aws_elasticache_replication_group.this.engine == "valkey"
    error_message = "Valkey"
  }

  assert {
    condition     = aws_elasticache_replication_group.this.transit_encryption_enabled && aws_elasticache_replication_group.this.transit_encryption_mode == "required"
    error_message = "TLS is required"
  }

  assert {
    condition     = aws_elasticache_replication_group.this.at_rest_encryption_enabled == "true"
    error_message = "encrypted at rest"
  }

  assert {
    condition     = nonsensitive(length(aws_elasticache_replication_group.this.auth_token)) == 64
    error_message = "an AUTH token from Secrets Manager"
  }

  assert {
    condition     = aws_elasticache_replication_group.this.security_group_ids == toset(["sg-0000000000000ca00"])
    error_message = "the cache uses its own security group only"
  }

  assert {
    condition     = aws_elasticache_replication_group.this.automatic_failover_enabled == false
    error_message = "a single node has no failover"
  }
}

run "cache_only_from_the_app_security_group" {
  command = plan

  assert {
    condition = (
      aws_vpc_security_group_ingress_rule.valkey_from_app.from_port == 6379 &&
      aws_vpc_security_group_ingress_rule.valkey_from_app.referenced_security_group_id == "sg-0000000000000a990" &&
      aws_vpc_security_group_ingress_rule.valkey_from_app.cidr_ipv4 == null
    )
    error_message = "6379 is open to the app security group and nothing else"
  }
}

run "two_nodes_fail_over_across_azs" {
  command = plan

  variables {
    num_cache_clusters = 2
  }

  assert {
    condition     = aws_elasticache_replication_group.this.automatic_failover_enabled && aws_elasticache_replication_group.this.multi_az_enabled
    error_message = "a replica means automatic multi-AZ failover"
  }
}
