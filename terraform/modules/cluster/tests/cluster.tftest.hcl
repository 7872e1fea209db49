mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

override_resource {
  target          = aws_eks_cluster.this
  override_during = plan
  values = {
    name = "petshots-test"
    identity = [{
      oidc = [{ issuer = "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE" }]
    }]
    vpc_config = {
      cluster_security_group_id = "sg-0000000000000c100"
    }
  }
}

override_resource {
  target          = aws_security_group.alb
  override_during = plan
  values = {
    id = "sg-0000000000000a1b0"
  }
}

variables {
  name                      = "petshots-test"
  vpc_id                    = "vpc-0123456789abcdef0"
  app_subnet_ids            = ["subnet-0000000000000000a", "subnet-0000000000000000b"]
  app_security_group_id     = "sg-0000000000000a990"
  kms_key_arn               = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
  uploads_bucket_arn        = "arn:aws:s3:::petshots-test-uploads"
  ses_identity_arn          = "arn:aws:ses:us-east-1:123456789012:identity/petshots.example"
  ses_configuration_set_arn = "arn:aws:ses:us-east-1:123456789012:configuration-set/petshots-test"
  mail_from_address         = "no-reply@petshots.example"
  feedback_queue_arn        = "arn:aws:sqs:us-east-1:123456789012:petshots-test-ses-feedback"
  user_pool_arn             = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Test"
  turnstile_secret_arn      = "arn:aws:secretsmanager:us-east-1:123456789012:secret:petshots-test/turnstile-secret-key-AbC123"
}

run "graviton_nodes_in_the_app_subnets" {
  command = plan

  assert {
    condition     = aws_eks_node_group.this.ami_type == "AL2023_ARM_64_STANDARD" && aws_eks_node_group.this.instance_types == tolist(["t4g.medium"])
    error_message = "a Graviton managed node group"
  }

  assert {
    condition     = aws_eks_node_group.this.subnet_ids == toset(["subnet-0000000000000000a", "subnet-0000000000000000b"])
    error_message = "nodes live in the app subnets"
  }

  assert {
    condition     = aws_launch_template.node.vpc_security_group_ids == toset(["sg-0000000000000c100", "sg-0000000000000a990"])
    error_message = "nodes carry the cluster security group and the app security group"
  }

  assert {
    condition     = aws_launch_template.node.metadata_options[0].http_tokens == "required" && aws_launch_template.node.metadata_options[0].http_put_response_hop_limit == 1
    error_message = "pods cannot borrow the node role through IMDS"
  }

  assert {
    condition     = aws_eks_cluster.this.encryption_config[0].resources == toset(["secrets"])
    error_message = "Kubernetes secrets are envelope-encrypted"
  }

  assert {
    condition     = aws_eks_cluster.this.vpc_config[0].endpoint_public_access == false
    error_message = "no public API endpoint unless CIDRs are given"
  }
}

run "one_irsa_role_per_service_account" {
  command = plan

  assert {
    condition     = toset(keys(aws_iam_role.service)) == toset(["auth", "records", "passport", "reminders", "aws-load-balancer-controller", "external-secrets"])
    error_message = "one role per service plus the load balancer controller and External Secrets"
  }

  assert {
    condition     = output.service_accounts["records"] == { namespace = "petshots", name = "petshots-records" }
    error_message = "records trusts petshots/petshots-records"
  }

  assert {
    condition     = aws_iam_openid_connect_provider.this.client_id_list == toset(["sts.amazonaws.com"])
    error_message = "IRSA audience is STS"
  }
}

run "alb_accepts_cloudfront_only" {
  command = plan

  assert {
    condition     = aws_vpc_security_group_ingress_rule.alb_https_from_cloudfront.from_port == 443 && aws_vpc_security_group_ingress_rule.alb_https_from_cloudfront.cidr_ipv4 == null
    error_message = "HTTPS from the CloudFront prefix list, no CIDR"
  }

  assert {
    condition     = aws_vpc_security_group_ingress_rule.pods_from_alb.security_group_id == "sg-0000000000000a990" && aws_vpc_security_group_ingress_rule.pods_from_alb.referenced_security_group_id == "sg-0000000000000a1b0"
    error_message = "pods accept service ports from the ALB"
  }
}

run "refuses_a_partial_secret_arn" {
  command = plan

  variables {
    turnstile_secret_arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:petshots-test/turnstile-secret-key"
  }

  expect_failures = [var.turnstile_secret_arn]
}

run "refuses_an_open_api_endpoint" {
  command = plan

  variables {
    endpoint_public_access_cidrs = ["0.0.0.0/0"]
  }

  expect_failures = [var.endpoint_public_access_cidrs]
}

run "refuses_x86_nodes" {
  command = plan

  variables {
    node_instance_types = ["m6i.large"]
  }

  expect_failures = [var.node_instance_types]
}
