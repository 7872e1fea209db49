# What every mocked AWS answers when a module reads a data source: one account in us-east-1.
# Every terraform test reads this directory through its mock provider's `source` (a path from
# the root under test); tests/terraform refuses a test file that repeats one of these.

mock_data "aws_partition" {
  defaults = {
    partition  = "aws"
    dns_suffix = "amazonaws.com"
  }
}

mock_data "aws_region" {
  defaults = {
    name = "us-east-1"
  }
}

mock_data "aws_caller_identity" {
  defaults = {
    account_id = "123456789012"
  }
}

mock_data "aws_iam_policy_document" {
  defaults = {
    json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
  }
}

mock_data "aws_ami" {
  defaults = {
    id = "ami-0123456789abcdef0"
  }
}

mock_data "aws_ec2_managed_prefix_list" {
  defaults = {
    id = "pl-3b927c52"
  }
}

# 64 characters: the cache module's AUTH token must look like the one AWS generates.
mock_data "aws_secretsmanager_random_password" {
  defaults = {
    random_password = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01"
  }
}
