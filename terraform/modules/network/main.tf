data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
  tags       = merge({ Name = var.name }, var.tags)

  nat_ami_id = var.nat_ami_id != null ? var.nat_ami_id : data.aws_ami.fck_nat[0].id
  # Tag on the NAT instance, its primary ENI and the static ENI: the instance role may only
  # touch network interfaces and instances carrying it.
  nat_tag_key = "petshots:nat"
}

################################################################################
# VPC
################################################################################

resource "aws_vpc" "this" {
  #checkov:skip=CKV2_AWS_11:Flow logs are behind enable_flow_logs (off in staging for cost, on in prod); the aws_flow_log below attaches them.
  cidr_block           = var.cidr
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = local.tags
}

# Nothing uses the default security group; with no rules it denies everything.
resource "aws_default_security_group" "this" {
  vpc_id = aws_vpc.this.id

  tags = merge({ Name = "${var.name}-default-deny" }, var.tags)
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id

  tags = local.tags
}

################################################################################
# Subnets: public (IGW), app (egress through the NAT instance), data (isolated)
################################################################################

resource "aws_subnet" "public" {
  count = length(var.azs)

  vpc_id                  = aws_vpc.this.id
  availability_zone       = var.azs[count.index]
  cidr_block              = var.public_subnets[count.index]
  map_public_ip_on_launch = false

  tags = merge(
    { Name = "${var.name}-public-${var.azs[count.index]}", "petshots:tier" = "public" },
    var.tags,
    # The AWS Load Balancer Controller places internet-facing ALBs here.
    { "kubernetes.io/role/elb" = "1" },
  )
}

resource "aws_subnet" "app" {
  count = length(var.azs)

  vpc_id            = aws_vpc.this.id
  availability_zone = var.azs[count.index]
  cidr_block        = var.app_subnets[count.index]

  tags = merge(
    { Name = "${var.name}-app-${var.azs[count.index]}", "petshots:tier" = "app" },
    var.tags,
    { "kubernetes.io/role/internal-elb" = "1" },
  )
}

resource "aws_subnet" "data" {
  count = length(var.azs)

  vpc_id            = aws_vpc.this.id
  availability_zone = var.azs[count.index]
  cidr_block        = var.data_subnets[count.index]

  tags = merge(
    { Name = "${var.name}-data-${var.azs[count.index]}", "petshots:tier" = "data" },
    var.tags,
  )
}

################################################################################
# Route tables
################################################################################

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.this.id

  tags = merge({ Name = "${var.name}-public" }, var.tags)
}

resource "aws_route" "public_internet" {
  route_table_id         = aws_route_table.public.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this.id
}

resource "aws_route_table_association" "public" {
  count = length(var.azs)

  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

# One NAT instance serves both AZs, so one app route table is enough.
resource "aws_route_table" "app" {
  vpc_id = aws_vpc.this.id

  tags = merge({ Name = "${var.name}-app" }, var.tags)
}

# The target is the static ENI, not an instance: a replacement NAT instance attaches the same
# ENI at boot, so this route never changes and never points at a dead instance for long.
resource "aws_route" "app_internet_via_nat" {
  route_table_id         = aws_route_table.app.id
  destination_cidr_block = "0.0.0.0/0"
  network_interface_id   = aws_network_interface.nat.id
}

resource "aws_route_table_association" "app" {
  count = length(var.azs)

  subnet_id      = aws_subnet.app[count.index].id
  route_table_id = aws_route_table.app.id
}

# No default route at all: the data tier reaches nothing outside the VPC but S3 (gateway endpoint).
resource "aws_route_table" "data" {
  vpc_id = aws_vpc.this.id

  tags = merge({ Name = "${var.name}-data" }, var.tags)
}

resource "aws_route_table_association" "data" {
  count = length(var.azs)

  subnet_id      = aws_subnet.data[count.index].id
  route_table_id = aws_route_table.data.id
}

################################################################################
# App security group (EKS nodes and pods): the only source the database and cache accept
################################################################################

resource "aws_security_group" "app" {
  #checkov:skip=CKV2_AWS_5:Attached by the cluster module to the EKS node group's launch template (and so to every pod on those nodes).
  name        = "${var.name}-app"
  description = "Petshots workloads in the app tier (EKS nodes and pods)"
  vpc_id      = aws_vpc.this.id

  tags = merge({ Name = "${var.name}-app" }, var.tags)
}

resource "aws_vpc_security_group_egress_rule" "app_all" {
  #checkov:skip=CKV_AWS_382:Workloads call AWS APIs, Cognito, SES, Turnstile and ECR through the NAT instance; their destinations are not a fixed CIDR list.
  security_group_id = aws_security_group.app.id
  description       = "Workloads reach AWS APIs and the internet through the NAT instance"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

################################################################################
# NAT instance (fck-nat on t4g.nano in an auto scaling group of one)
################################################################################

data "aws_ami" "fck_nat" {
  count = var.nat_ami_id == null ? 1 : 0

  most_recent = true
  owners      = [var.nat_ami_owner]

  filter {
    name   = "name"
    values = ["fck-nat-al2023-*-arm64-ebs"]
  }

  filter {
    name   = "architecture"
    values = ["arm64"]
  }
}

resource "aws_security_group" "nat" {
  name        = "${var.name}-nat"
  description = "NAT instance: forwards traffic from the private app subnets only"
  vpc_id      = aws_vpc.this.id

  tags = merge({ Name = "${var.name}-nat" }, var.tags)
}

resource "aws_vpc_security_group_ingress_rule" "nat_from_app" {
  for_each = toset(var.app_subnets)

  security_group_id = aws_security_group.nat.id
  description       = "Traffic to translate, from the private app subnet ${each.key}"
  ip_protocol       = "-1"
  cidr_ipv4         = each.key
}

resource "aws_vpc_security_group_egress_rule" "nat_internet" {
  #checkov:skip=CKV_AWS_382:A NAT forwards any protocol to any destination on behalf of the app tier; that is its job.
  security_group_id = aws_security_group.nat.id
  description       = "Translated traffic to the internet"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

# The route target. It lives in the first AZ's public subnet; the instance must be in that AZ too.
resource "aws_network_interface" "nat" {
  subnet_id         = aws_subnet.public[0].id
  security_groups   = [aws_security_group.nat.id]
  source_dest_check = false
  description       = "${var.name} NAT static ENI (route target of the app tier)"

  tags = merge({ Name = "${var.name}-nat", (local.nat_tag_key) = var.name }, var.tags)
}

data "aws_iam_policy_document" "nat_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "nat" {
  name               = "${var.name}-nat"
  description        = "fck-nat instance: attaches the static ENI and turns off source/dest check at boot"
  assume_role_policy = data.aws_iam_policy_document.nat_assume.json

  tags = local.tags
}

data "aws_iam_policy_document" "nat" {
  # The ASG creates the instance and its primary ENI, so their IDs are unknown here: the
  # statements are narrowed by the tag the launch template puts on both.
  statement {
    sid     = "AttachTheStaticEni"
    actions = ["ec2:AttachNetworkInterface"]
    resources = [
      aws_network_interface.nat.arn,
      "arn:${local.partition}:ec2:${local.region}:${local.account_id}:instance/*",
    ]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/${local.nat_tag_key}"
      values   = [var.name]
    }
  }

  statement {
    sid       = "DisableSourceDestCheckOnOwnEni"
    actions   = ["ec2:ModifyNetworkInterfaceAttribute"]
    resources = ["arn:${local.partition}:ec2:${local.region}:${local.account_id}:network-interface/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/${local.nat_tag_key}"
      values   = [var.name]
    }
  }
}

resource "aws_iam_role_policy" "nat" {
  name   = "fck-nat"
  role   = aws_iam_role.nat.id
  policy = data.aws_iam_policy_document.nat.json
}

resource "aws_iam_role_policy_attachment" "nat_ssm" {
  count = var.nat_ssm_access ? 1 : 0

  role       = aws_iam_role.nat.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

resource "aws_iam_instance_profile" "nat" {
  name = "${var.name}-nat"
  role = aws_iam_role.nat.name

  tags = local.tags
}

resource "aws_launch_template" "nat" {
  #checkov:skip=CKV_AWS_88:A NAT instance needs a public address to reach the internet; it accepts traffic from the private app subnets only.
  name_prefix   = "${var.name}-nat-"
  description   = "fck-nat ${var.nat_instance_type}"
  image_id      = local.nat_ami_id
  instance_type = var.nat_instance_type

  iam_instance_profile {
    arn = aws_iam_instance_profile.nat.arn
  }

  network_interfaces {
    device_index                = 0
    associate_public_ip_address = true
    security_groups             = [aws_security_group.nat.id]
    delete_on_termination       = true
  }

  block_device_mappings {
    device_name = "/dev/xvda"

    ebs {
      volume_type           = "gp3"
      encrypted             = true
      delete_on_termination = true
    }
  }

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  monitoring {
    enabled = var.nat_detailed_monitoring
  }

  credit_specification {
    cpu_credits = "standard"
  }

  # fck-nat's service reads /etc/fck-nat.conf at start: with eni_id set it turns off
  # source/dest check on the primary ENI and attaches the static ENI as eth1.
  user_data = base64encode(<<-EOT
    #!/bin/sh
    echo "eni_id=${aws_network_interface.nat.id}" > /etc/fck-nat.conf
    service fck-nat restart
  EOT
  )

  tag_specifications {
    resource_type = "instance"
    tags          = merge({ Name = "${var.name}-nat", (local.nat_tag_key) = var.name }, var.tags)
  }

  tag_specifications {
    resource_type = "network-interface"
    tags          = merge({ Name = "${var.name}-nat-primary", (local.nat_tag_key) = var.name }, var.tags)
  }

  tags = local.tags
}

resource "aws_autoscaling_group" "nat" {
  #checkov:skip=CKV2_AWS_15:The NAT instance is behind no load balancer; EC2 status checks replace a failed instance.
  name                      = "${var.name}-nat"
  min_size                  = 1
  max_size                  = 1
  desired_capacity          = 1
  vpc_zone_identifier       = [aws_subnet.public[0].id]
  health_check_type         = "EC2"
  health_check_grace_period = 60

  launch_template {
    id      = aws_launch_template.nat.id
    version = aws_launch_template.nat.latest_version
  }

  # A new launch template version (new AMI, new type) replaces the instance: a short egress gap.
  instance_refresh {
    strategy = "Rolling"

    preferences {
      min_healthy_percentage = 0
    }
  }

  dynamic "tag" {
    for_each = merge({ Name = "${var.name}-nat" }, var.tags)

    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = false
    }
  }
}

################################################################################
# VPC endpoints
################################################################################

# Free; keeps S3 traffic (uploads, ECR image layers) off the NAT instance. The data tier gets it
# too, so nothing there needs a route to the internet.
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.${local.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.app.id, aws_route_table.data.id]

  tags = merge({ Name = "${var.name}-s3" }, var.tags)
}

resource "aws_security_group" "endpoints" {
  count = var.enable_interface_endpoints ? 1 : 0

  name        = "${var.name}-endpoints"
  description = "Interface VPC endpoints: HTTPS from the VPC"
  vpc_id      = aws_vpc.this.id

  tags = merge({ Name = "${var.name}-endpoints" }, var.tags)
}

resource "aws_vpc_security_group_ingress_rule" "endpoints_https" {
  count = var.enable_interface_endpoints ? 1 : 0

  security_group_id = aws_security_group.endpoints[0].id
  description       = "HTTPS to AWS APIs from inside the VPC"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = var.cidr
}

resource "aws_vpc_endpoint" "interface" {
  for_each = var.enable_interface_endpoints ? toset(var.interface_endpoint_services) : toset([])

  vpc_id              = aws_vpc.this.id
  service_name        = "com.amazonaws.${local.region}.${each.key}"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = aws_subnet.app[*].id
  security_group_ids  = [aws_security_group.endpoints[0].id]
  private_dns_enabled = true

  tags = merge({ Name = "${var.name}-${each.key}" }, var.tags)
}

################################################################################
# Flow logs (optional)
################################################################################

resource "aws_cloudwatch_log_group" "flow_logs" {
  count = var.enable_flow_logs ? 1 : 0

  name              = "/aws/vpc/${var.name}/flow-logs"
  retention_in_days = var.flow_logs_retention_in_days
  kms_key_id        = var.kms_key_arn

  tags = local.tags
}

data "aws_iam_policy_document" "flow_logs_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["vpc-flow-logs.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "flow_logs" {
  count = var.enable_flow_logs ? 1 : 0

  name               = "${var.name}-flow-logs"
  description        = "VPC flow logs delivery to CloudWatch Logs"
  assume_role_policy = data.aws_iam_policy_document.flow_logs_assume.json

  tags = local.tags
}

data "aws_iam_policy_document" "flow_logs" {
  count = var.enable_flow_logs ? 1 : 0

  statement {
    sid = "DeliverToTheFlowLogGroup"
    actions = [
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "logs:DescribeLogGroups",
      "logs:DescribeLogStreams",
    ]
    resources = [
      aws_cloudwatch_log_group.flow_logs[0].arn,
      "${aws_cloudwatch_log_group.flow_logs[0].arn}:log-stream:*",
    ]
  }
}

resource "aws_iam_role_policy" "flow_logs" {
  count = var.enable_flow_logs ? 1 : 0

  name   = "flow-logs"
  role   = aws_iam_role.flow_logs[0].id
  policy = data.aws_iam_policy_document.flow_logs[0].json
}

resource "aws_flow_log" "this" {
  count = var.enable_flow_logs ? 1 : 0

  vpc_id                   = aws_vpc.this.id
  traffic_type             = "ALL"
  log_destination_type     = "cloud-watch-logs"
  log_destination          = aws_cloudwatch_log_group.flow_logs[0].arn
  iam_role_arn             = aws_iam_role.flow_logs[0].arn
  max_aggregation_interval = 600

  tags = local.tags
}
