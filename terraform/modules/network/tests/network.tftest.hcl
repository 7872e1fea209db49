mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

# Known ids at plan time, so the wiring between resources can be asserted.
override_resource {
  target          = aws_route_table.app
  override_during = plan
  values = {
    id = "rtb-app"
  }
}

override_resource {
  target          = aws_route_table.data
  override_during = plan
  values = {
    id = "rtb-data"
  }
}

override_resource {
  target          = aws_route_table.public
  override_during = plan
  values = {
    id = "rtb-public"
  }
}

override_resource {
  target          = aws_network_interface.nat
  override_during = plan
  values = {
    id  = "eni-nat"
    arn = "arn:aws:ec2:us-east-1:123456789012:network-interface/eni-nat"
  }
}

variables {
  name        = "petshots-test"
  azs         = ["us-east-1a", "us-east-1b"]
  kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
}

run "three_tiers_of_24s_in_a_16" {
  command = plan

  assert {
    condition     = aws_vpc.this.cidr_block == "10.0.0.0/16"
    error_message = "the VPC is 10.0.0.0/16"
  }

  assert {
    condition     = length(aws_subnet.public) == 2 && length(aws_subnet.app) == 2 && length(aws_subnet.data) == 2
    error_message = "two subnets per tier, one per AZ"
  }

  assert {
    condition     = alltrue([for s in concat(aws_subnet.public, aws_subnet.app, aws_subnet.data) : endswith(s.cidr_block, "/24")])
    error_message = "every tier subnet is a /24"
  }

  assert {
    condition     = [for s in aws_subnet.app : s.availability_zone] == ["us-east-1a", "us-east-1b"]
    error_message = "app subnets span both AZs"
  }

  assert {
    condition     = alltrue([for s in aws_subnet.public : !s.map_public_ip_on_launch])
    error_message = "nothing gets a public IP just by landing in a public subnet"
  }
}

run "public_and_app_tiers_have_their_default_routes" {
  command = plan

  assert {
    condition     = aws_route.public_internet.destination_cidr_block == "0.0.0.0/0"
    error_message = "the public tier routes to the internet gateway"
  }

  assert {
    condition     = aws_route.app_internet_via_nat.destination_cidr_block == "0.0.0.0/0" && aws_route.app_internet_via_nat.network_interface_id == "eni-nat" && aws_route.app_internet_via_nat.route_table_id == "rtb-app"
    error_message = "the app tier's default route goes to the NAT instance's static ENI"
  }
}

run "nat_instance_is_a_self_healing_graviton_of_one" {
  command = plan

  assert {
    condition     = aws_launch_template.nat.instance_type == "t4g.nano"
    error_message = "the NAT instance is a t4g.nano"
  }

  assert {
    condition     = aws_autoscaling_group.nat.min_size == 1 && aws_autoscaling_group.nat.max_size == 1 && aws_autoscaling_group.nat.desired_capacity == 1
    error_message = "the NAT ASG keeps exactly one instance"
  }

  assert {
    condition     = aws_network_interface.nat.source_dest_check == false
    error_message = "the static ENI forwards traffic (source/dest check off)"
  }

  assert {
    condition     = [for r in aws_vpc_security_group_ingress_rule.nat_from_app : r.cidr_ipv4] == ["10.0.2.0/24", "10.0.3.0/24"]
    error_message = "the NAT accepts traffic from the private app subnets only"
  }

  assert {
    condition     = aws_launch_template.nat.metadata_options[0].http_tokens == "required"
    error_message = "IMDSv2 only"
  }
}

run "s3_gateway_endpoint_serves_app_and_data" {
  command = plan

  assert {
    condition     = aws_vpc_endpoint.s3.vpc_endpoint_type == "Gateway"
    error_message = "S3 uses the free gateway endpoint"
  }

  assert {
    condition     = aws_vpc_endpoint.s3.route_table_ids == toset(["rtb-app", "rtb-data"])
    error_message = "the S3 endpoint is on the app and data route tables, not the public one"
  }

  assert {
    condition     = length(aws_vpc_endpoint.interface) == 0 && length(aws_flow_log.this) == 0
    error_message = "interface endpoints and flow logs are off by default"
  }
}

run "interface_endpoints_and_flow_logs_when_asked" {
  command = plan

  variables {
    enable_interface_endpoints = true
    enable_flow_logs           = true
  }

  assert {
    condition     = length(aws_vpc_endpoint.interface) == 5
    error_message = "one interface endpoint per listed service"
  }

  assert {
    condition     = length(aws_flow_log.this) == 1 && aws_cloudwatch_log_group.flow_logs[0].kms_key_id == var.kms_key_arn
    error_message = "flow logs go to a log group encrypted with the given key"
  }
}

run "rejects_a_third_az" {
  command = plan

  variables {
    azs = ["us-east-1a", "us-east-1b", "us-east-1c"]
  }

  expect_failures = [var.azs]
}

run "rejects_a_subnet_outside_the_vpc" {
  command = plan

  variables {
    data_subnets = ["10.0.4.0/24", "10.1.5.0/24"]
  }

  expect_failures = [var.data_subnets]
}

run "rejects_an_x86_nat" {
  command = plan

  variables {
    nat_instance_type = "t3.nano"
  }

  expect_failures = [var.nat_instance_type]
}
