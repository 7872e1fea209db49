data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
  tags       = merge({ Name = var.name }, var.tags)

  oidc_issuer = trimprefix(aws_eks_cluster.this.identity[0].oidc[0].issuer, "https://")

  uploads_objects = "${var.uploads_bucket_arn}/users/*"

  # The only Cognito calls of the auth service that IAM authorizes: every admin_* call in
  # services/auth/src/petshots_auth/backends/cognito.py. Its other calls (SignUp, InitiateAuth,
  # RespondToAuthChallenge, ConfirmSignUp, ForgotPassword, RevokeToken, ...) are public APIs
  # guarded by the client secret. tests/terraform checks this list against the code.
  auth_cognito_admin_actions = ["cognito-idp:AdminDeleteUser"]

  service_accounts = {
    auth      = { namespace = var.namespace, name = var.service_account_names.auth }
    records   = { namespace = var.namespace, name = var.service_account_names.records }
    passport  = { namespace = var.namespace, name = var.service_account_names.passport }
    reminders = { namespace = var.namespace, name = var.service_account_names.reminders }
    # The controller that turns the chart's Ingress into the ALB.
    aws-load-balancer-controller = { namespace = "kube-system", name = "aws-load-balancer-controller" }
    # The External Secrets Operator, which copies the app secret into the chart's Secret.
    external-secrets = {
      namespace = var.external_secrets_service_account.namespace
      name      = var.external_secrets_service_account.name
    }
  }

  service_policies = {
    auth                         = data.aws_iam_policy_document.auth.json
    records                      = data.aws_iam_policy_document.records.json
    passport                     = data.aws_iam_policy_document.passport.json
    reminders                    = data.aws_iam_policy_document.reminders.json
    aws-load-balancer-controller = data.aws_iam_policy_document.load_balancer_controller.json
    external-secrets             = data.aws_iam_policy_document.external_secrets.json
  }
}

################################################################################
# Control plane
################################################################################

data "aws_iam_policy_document" "cluster_assume" {
  statement {
    actions = ["sts:AssumeRole", "sts:TagSession"]

    principals {
      type        = "Service"
      identifiers = ["eks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "cluster" {
  name               = "${var.name}-eks-cluster"
  description        = "EKS control plane of ${var.name}"
  assume_role_policy = data.aws_iam_policy_document.cluster_assume.json

  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "cluster" {
  role       = aws_iam_role.cluster.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AmazonEKSClusterPolicy"
}

# Created before the cluster so the control-plane logs land encrypted and expire.
resource "aws_cloudwatch_log_group" "cluster" {
  name              = "/aws/eks/${var.name}/cluster"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.kms_key_arn

  tags = local.tags
}

resource "aws_eks_cluster" "this" {
  #checkov:skip=CKV_AWS_39:Operators run helm from outside the VPC; the public endpoint is limited to endpoint_public_access_cidrs (validated: never 0.0.0.0/0) and every call needs an IAM access entry.
  name     = var.name
  version  = var.kubernetes_version
  role_arn = aws_iam_role.cluster.arn

  enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]

  vpc_config {
    subnet_ids              = var.app_subnet_ids
    endpoint_private_access = true
    endpoint_public_access  = length(var.endpoint_public_access_cidrs) > 0
    public_access_cidrs     = length(var.endpoint_public_access_cidrs) > 0 ? var.endpoint_public_access_cidrs : null
  }

  access_config {
    authentication_mode                         = "API"
    bootstrap_cluster_creator_admin_permissions = false
  }

  encryption_config {
    resources = ["secrets"]

    provider {
      key_arn = var.kms_key_arn
    }
  }

  # Extended support costs six times the standard rate: upgrade instead.
  upgrade_policy {
    support_type = "STANDARD"
  }

  tags = local.tags

  depends_on = [
    aws_iam_role_policy_attachment.cluster,
    aws_cloudwatch_log_group.cluster,
  ]
}

resource "aws_eks_access_entry" "admin" {
  for_each = toset(var.admin_principal_arns)

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = each.key
  type          = "STANDARD"

  tags = local.tags
}

resource "aws_eks_access_policy_association" "admin" {
  for_each = toset(var.admin_principal_arns)

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = aws_eks_access_entry.admin[each.key].principal_arn
  policy_arn    = "arn:${local.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"

  access_scope {
    type = "cluster"
  }
}

################################################################################
# Managed node group (Graviton, app subnets)
################################################################################

data "aws_iam_policy_document" "node_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "node" {
  name               = "${var.name}-eks-node"
  description        = "EKS worker nodes of ${var.name} (pods get their own IRSA roles)"
  assume_role_policy = data.aws_iam_policy_document.node_assume.json

  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "node" {
  for_each = toset([
    "AmazonEKSWorkerNodePolicy",
    "AmazonEKS_CNI_Policy",
    "AmazonEC2ContainerRegistryReadOnly",
  ])

  role       = aws_iam_role.node.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/${each.key}"
}

resource "aws_launch_template" "node" {
  name_prefix = "${var.name}-node-"
  description = "EKS nodes of ${var.name}: IMDSv2 with hop limit 1 (pods use IRSA, not the node role)"

  vpc_security_group_ids = [
    aws_eks_cluster.this.vpc_config[0].cluster_security_group_id,
    var.app_security_group_id,
  ]

  block_device_mappings {
    device_name = "/dev/xvda"

    ebs {
      volume_size           = var.node_disk_size_gib
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
    enabled = false
  }

  tag_specifications {
    resource_type = "instance"
    tags          = merge({ Name = "${var.name}-node" }, var.tags)
  }

  tags = local.tags
}

resource "aws_eks_node_group" "this" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "${var.name}-graviton"
  node_role_arn   = aws_iam_role.node.arn
  subnet_ids      = var.app_subnet_ids
  ami_type        = "AL2023_ARM_64_STANDARD"
  capacity_type   = var.node_capacity_type
  instance_types  = var.node_instance_types

  scaling_config {
    min_size     = var.node_min_size
    max_size     = var.node_max_size
    desired_size = var.node_desired_size
  }

  update_config {
    max_unavailable = 1
  }

  launch_template {
    id      = aws_launch_template.node.id
    version = aws_launch_template.node.latest_version
  }

  node_repair_config {
    enabled = true
  }

  tags = local.tags

  depends_on = [aws_iam_role_policy_attachment.node]

  lifecycle {
    # A cluster autoscaler may move the desired size; Terraform owns min and max.
    ignore_changes = [scaling_config[0].desired_size]
  }
}

resource "aws_eks_addon" "this" {
  for_each = toset(["vpc-cni", "kube-proxy", "coredns"])

  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = each.key
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "PRESERVE"

  tags = local.tags

  # coredns needs nodes to become healthy.
  depends_on = [aws_eks_node_group.this]
}

################################################################################
# Load balancer security groups (the chart's Ingress names alb_security_group_id)
################################################################################

data "aws_ec2_managed_prefix_list" "cloudfront_origin_facing" {
  name = "com.amazonaws.global.cloudfront.origin-facing"
}

resource "aws_security_group" "alb" {
  #checkov:skip=CKV2_AWS_5:Attached by the AWS Load Balancer Controller to the ALB it creates (Ingress annotation alb.ingress.kubernetes.io/security-groups).
  name        = "${var.name}-alb"
  description = "Petshots ALB: HTTPS from CloudFront's origin-facing addresses only"
  vpc_id      = var.vpc_id

  tags = merge({ Name = "${var.name}-alb" }, var.tags)
}

resource "aws_vpc_security_group_ingress_rule" "alb_https_from_cloudfront" {
  security_group_id = aws_security_group.alb.id
  description       = "HTTPS from CloudFront edge locations"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = data.aws_ec2_managed_prefix_list.cloudfront_origin_facing.id
}

resource "aws_vpc_security_group_egress_rule" "alb_to_pods" {
  security_group_id            = aws_security_group.alb.id
  description                  = "To the services' pods (target type ip)"
  ip_protocol                  = "tcp"
  from_port                    = var.service_port_range.from
  to_port                      = var.service_port_range.to
  referenced_security_group_id = var.app_security_group_id
}

resource "aws_vpc_security_group_ingress_rule" "pods_from_alb" {
  security_group_id            = var.app_security_group_id
  description                  = "Service ports from the ALB"
  ip_protocol                  = "tcp"
  from_port                    = var.service_port_range.from
  to_port                      = var.service_port_range.to
  referenced_security_group_id = aws_security_group.alb.id
}

################################################################################
# Container images
################################################################################

resource "aws_ecr_repository" "this" {
  for_each = toset(var.ecr_repositories)

  name                 = "${var.name}/${each.key}"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.kms_key_arn
  }

  tags = merge({ Name = "${var.name}/${each.key}" }, var.tags)
}

resource "aws_ecr_lifecycle_policy" "this" {
  for_each = aws_ecr_repository.this

  repository = each.value.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep the newest ${var.ecr_keep_images} images"
      selection = {
        tagStatus   = "any"
        countType   = "imageCountMoreThan"
        countNumber = var.ecr_keep_images
      }
      action = { type = "expire" }
    }]
  })
}

################################################################################
# IRSA: OIDC provider and one least-privilege role per service account
################################################################################

resource "aws_iam_openid_connect_provider" "this" {
  url            = aws_eks_cluster.this.identity[0].oidc[0].issuer
  client_id_list = ["sts.amazonaws.com"]

  tags = local.tags
}

data "aws_iam_policy_document" "irsa_assume" {
  for_each = local.service_accounts

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.this.arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer}:sub"
      values   = ["system:serviceaccount:${each.value.namespace}:${each.value.name}"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "service" {
  for_each = local.service_accounts

  name               = "${var.name}-${each.key}"
  description        = "IRSA role of ${each.value.namespace}/${each.value.name}"
  assume_role_policy = data.aws_iam_policy_document.irsa_assume[each.key].json

  tags = merge({ Name = "${var.name}-${each.key}" }, var.tags)
}

resource "aws_iam_role_policy" "service" {
  for_each = local.service_accounts

  name   = "${var.name}-${each.key}"
  role   = aws_iam_role.service[each.key].id
  policy = local.service_policies[each.key]
}

# records: the owner's own files, under users/ only (presigned POST, head, ranged GET, delete).
data "aws_iam_policy_document" "records" {
  statement {
    sid       = "OwnerFilesReadWriteDelete"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = [local.uploads_objects]
  }

  # SSE-KMS: uploads through a presigned POST and downloads through a presigned GET run with
  # the signer's permissions, so the signer needs the key, and only through S3.
  statement {
    sid       = "UploadsKeyThroughS3"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [var.kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.amazonaws.com"]
    }
  }
}

# passport: reads (presigned GET links for facility staff), nothing else.
data "aws_iam_policy_document" "passport" {
  statement {
    sid       = "OwnerFilesReadOnly"
    actions   = ["s3:GetObject"]
    resources = [local.uploads_objects]
  }

  statement {
    sid       = "UploadsKeyDecryptThroughS3"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.amazonaws.com"]
    }
  }
}

# reminders (the arq worker): digests through SES from the verified identity, the purge of a
# deleted owner's files (every version under users/<prefix>/), and the bounce/complaint queue.
data "aws_iam_policy_document" "reminders" {
  statement {
    sid       = "SendFromTheVerifiedIdentity"
    actions   = ["ses:SendEmail"]
    resources = [var.ses_identity_arn, var.ses_configuration_set_arn]

    condition {
      test     = "StringEquals"
      variable = "ses:FromAddress"
      values   = [var.mail_from_address]
    }
  }

  statement {
    sid       = "ListVersionsUnderUsers"
    actions   = ["s3:ListBucketVersions"]
    resources = [var.uploads_bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["users/*"]
    }
  }

  statement {
    sid       = "PurgeOwnerFiles"
    actions   = ["s3:DeleteObject", "s3:DeleteObjectVersion"]
    resources = [local.uploads_objects]
  }

  statement {
    sid = "ConsumeBouncesAndComplaints"
    actions = [
      "sqs:ReceiveMessage",
      "sqs:DeleteMessage",
      "sqs:ChangeMessageVisibility",
      "sqs:GetQueueAttributes",
    ]
    resources = [var.feedback_queue_arn]
  }
}

# auth: the Cognito admin calls it makes on this pool, and the Turnstile secret by complete ARN
# (a partial ARN or a name with a wildcard would not match the ARN the SDK sends).
data "aws_iam_policy_document" "auth" {
  statement {
    sid       = "CognitoAdminCallsOnThisPool"
    actions   = local.auth_cognito_admin_actions
    resources = [var.user_pool_arn]
  }

  statement {
    sid       = "ReadTheTurnstileSecret"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [var.turnstile_secret_arn]
  }

  statement {
    sid       = "SecretKeyThroughSecretsManager"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${local.region}.amazonaws.com"]
    }
  }
}

# external-secrets: reads the one app secret (its complete ARN) and nothing else.
data "aws_iam_policy_document" "external_secrets" {
  statement {
    sid       = "ReadTheAppSecret"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [aws_secretsmanager_secret.app.arn]
  }

  statement {
    sid       = "AppSecretKeyThroughSecretsManager"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${local.region}.amazonaws.com"]
    }
  }
}

################################################################################
# App secret: the services' secret settings, copied into Kubernetes by External Secrets
################################################################################

# One JSON secret whose keys are the chart's secret settings (PETSHOTS_DATABASE_URL,
# PETSHOTS_REDIS_URL, PETSHOTS_AUTH_SECRET, ...). Terraform creates the container only; the
# value is put once by an operator (docs/deploy.md), so it never lands in Terraform state.
resource "aws_secretsmanager_secret" "app" {
  #checkov:skip=CKV2_AWS_57:The secret bundles settings with different owners (database role password, Valkey token, signing keys); each is rotated by its own procedure in docs/deploy.md and the JSON is then updated.
  name                    = "${var.name}/app"
  description             = "Secret settings of the Petshots services (JSON, one key per PETSHOTS_* setting)"
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = 30

  tags = local.tags

  lifecycle {
    prevent_destroy = true
  }
}

################################################################################
# AWS Load Balancer Controller IAM policy (AWS's published policy, v2.x, as a document)
################################################################################

locals {
  elb_arn     = "arn:${local.partition}:elasticloadbalancing:${local.region}:${local.account_id}"
  ec2_sg_arn  = "arn:${local.partition}:ec2:${local.region}:${local.account_id}:security-group/*"
  cluster_tag = "elbv2.k8s.aws/cluster"
}

data "aws_iam_policy_document" "load_balancer_controller" {
  #checkov:skip=CKV_AWS_111:The controller creates load balancers, target groups and security groups whose ARNs do not exist yet; writes are conditioned on the elbv2.k8s.aws/cluster tag as in AWS's published policy.
  #checkov:skip=CKV_AWS_356:Describe*/Get* calls and the create calls of the controller support no resource-level permissions; AWS's published policy uses "*" for them.
  #checkov:skip=CKV_AWS_109:iam:CreateServiceLinkedRole is limited by iam:AWSServiceName to the Elastic Load Balancing role.
  statement {
    sid       = "CreateElbServiceLinkedRole"
    actions   = ["iam:CreateServiceLinkedRole"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "iam:AWSServiceName"
      values   = ["elasticloadbalancing.amazonaws.com"]
    }
  }

  statement {
    sid = "DescribeNetworkAndLoadBalancers"
    actions = [
      "ec2:DescribeAccountAttributes",
      "ec2:DescribeAddresses",
      "ec2:DescribeAvailabilityZones",
      "ec2:DescribeInternetGateways",
      "ec2:DescribeVpcs",
      "ec2:DescribeVpcPeeringConnections",
      "ec2:DescribeSubnets",
      "ec2:DescribeSecurityGroups",
      "ec2:DescribeInstances",
      "ec2:DescribeNetworkInterfaces",
      "ec2:DescribeTags",
      "ec2:DescribeRouteTables",
      "ec2:DescribeIpamPools",
      "ec2:GetCoipPoolUsage",
      "ec2:DescribeCoipPools",
      "ec2:GetSecurityGroupsForVpc",
      "elasticloadbalancing:DescribeLoadBalancers",
      "elasticloadbalancing:DescribeLoadBalancerAttributes",
      "elasticloadbalancing:DescribeListeners",
      "elasticloadbalancing:DescribeListenerCertificates",
      "elasticloadbalancing:DescribeListenerAttributes",
      "elasticloadbalancing:DescribeSSLPolicies",
      "elasticloadbalancing:DescribeRules",
      "elasticloadbalancing:DescribeTargetGroups",
      "elasticloadbalancing:DescribeTargetGroupAttributes",
      "elasticloadbalancing:DescribeTargetHealth",
      "elasticloadbalancing:DescribeTags",
      "elasticloadbalancing:DescribeTrustStores",
      "elasticloadbalancing:DescribeCapacityReservation",
    ]
    resources = ["*"]
  }

  statement {
    sid = "ReadCertificatesWafShieldAndCognito"
    actions = [
      "cognito-idp:DescribeUserPoolClient",
      "acm:ListCertificates",
      "acm:DescribeCertificate",
      "iam:ListServerCertificates",
      "iam:GetServerCertificate",
      "waf-regional:GetWebACL",
      "waf-regional:GetWebACLForResource",
      "waf-regional:AssociateWebACL",
      "waf-regional:DisassociateWebACL",
      "wafv2:GetWebACL",
      "wafv2:GetWebACLForResource",
      "wafv2:AssociateWebACL",
      "wafv2:DisassociateWebACL",
      "shield:GetSubscriptionState",
      "shield:DescribeProtection",
      "shield:CreateProtection",
      "shield:DeleteProtection",
    ]
    resources = ["*"]
  }

  statement {
    sid = "ManageSecurityGroupRules"
    actions = [
      "ec2:AuthorizeSecurityGroupIngress",
      "ec2:RevokeSecurityGroupIngress",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "CreateSecurityGroup"
    actions   = ["ec2:CreateSecurityGroup"]
    resources = ["*"]
  }

  statement {
    sid       = "TagNewSecurityGroups"
    actions   = ["ec2:CreateTags"]
    resources = [local.ec2_sg_arn]

    condition {
      test     = "StringEquals"
      variable = "ec2:CreateAction"
      values   = ["CreateSecurityGroup"]
    }

    condition {
      test     = "Null"
      variable = "aws:RequestTag/${local.cluster_tag}"
      values   = ["false"]
    }
  }

  statement {
    sid       = "RetagOwnSecurityGroups"
    actions   = ["ec2:CreateTags", "ec2:DeleteTags"]
    resources = [local.ec2_sg_arn]

    condition {
      test     = "Null"
      variable = "aws:RequestTag/${local.cluster_tag}"
      values   = ["true"]
    }

    condition {
      test     = "Null"
      variable = "aws:ResourceTag/${local.cluster_tag}"
      values   = ["false"]
    }
  }

  statement {
    sid = "ManageOwnSecurityGroups"
    actions = [
      "ec2:AuthorizeSecurityGroupIngress",
      "ec2:RevokeSecurityGroupIngress",
      "ec2:DeleteSecurityGroup",
    ]
    resources = ["*"]

    condition {
      test     = "Null"
      variable = "aws:ResourceTag/${local.cluster_tag}"
      values   = ["false"]
    }
  }

  statement {
    sid = "CreateTaggedLoadBalancersAndTargetGroups"
    actions = [
      "elasticloadbalancing:CreateLoadBalancer",
      "elasticloadbalancing:CreateTargetGroup",
    ]
    resources = ["*"]

    condition {
      test     = "Null"
      variable = "aws:RequestTag/${local.cluster_tag}"
      values   = ["false"]
    }
  }

  statement {
    sid = "ManageListenersAndRules"
    actions = [
      "elasticloadbalancing:CreateListener",
      "elasticloadbalancing:DeleteListener",
      "elasticloadbalancing:CreateRule",
      "elasticloadbalancing:DeleteRule",
    ]
    resources = ["*"]
  }

  statement {
    sid     = "RetagOwnLoadBalancersAndTargetGroups"
    actions = ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"]
    resources = [
      "${local.elb_arn}:targetgroup/*/*",
      "${local.elb_arn}:loadbalancer/net/*/*",
      "${local.elb_arn}:loadbalancer/app/*/*",
    ]

    condition {
      test     = "Null"
      variable = "aws:RequestTag/${local.cluster_tag}"
      values   = ["true"]
    }

    condition {
      test     = "Null"
      variable = "aws:ResourceTag/${local.cluster_tag}"
      values   = ["false"]
    }
  }

  statement {
    sid     = "TagListenersAndRules"
    actions = ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"]
    resources = [
      "${local.elb_arn}:listener/net/*/*/*",
      "${local.elb_arn}:listener/app/*/*/*",
      "${local.elb_arn}:listener-rule/net/*/*/*",
      "${local.elb_arn}:listener-rule/app/*/*/*",
    ]
  }

  statement {
    sid = "ModifyOwnLoadBalancersAndTargetGroups"
    actions = [
      "elasticloadbalancing:ModifyLoadBalancerAttributes",
      "elasticloadbalancing:SetIpAddressType",
      "elasticloadbalancing:SetSecurityGroups",
      "elasticloadbalancing:SetSubnets",
      "elasticloadbalancing:DeleteLoadBalancer",
      "elasticloadbalancing:ModifyTargetGroup",
      "elasticloadbalancing:ModifyTargetGroupAttributes",
      "elasticloadbalancing:DeleteTargetGroup",
      "elasticloadbalancing:ModifyListenerAttributes",
      "elasticloadbalancing:ModifyCapacityReservation",
      "elasticloadbalancing:ModifyIpPools",
    ]
    resources = ["*"]

    condition {
      test     = "Null"
      variable = "aws:ResourceTag/${local.cluster_tag}"
      values   = ["false"]
    }
  }

  statement {
    sid     = "TagOnCreate"
    actions = ["elasticloadbalancing:AddTags"]
    resources = [
      "${local.elb_arn}:targetgroup/*/*",
      "${local.elb_arn}:loadbalancer/net/*/*",
      "${local.elb_arn}:loadbalancer/app/*/*",
    ]

    condition {
      test     = "StringEquals"
      variable = "elasticloadbalancing:CreateAction"
      values   = ["CreateTargetGroup", "CreateLoadBalancer"]
    }

    condition {
      test     = "Null"
      variable = "aws:RequestTag/${local.cluster_tag}"
      values   = ["false"]
    }
  }

  statement {
    sid = "RegisterTargets"
    actions = [
      "elasticloadbalancing:RegisterTargets",
      "elasticloadbalancing:DeregisterTargets",
    ]
    resources = ["${local.elb_arn}:targetgroup/*/*"]
  }

  statement {
    sid = "ManageListenerSettings"
    actions = [
      "elasticloadbalancing:SetWebAcl",
      "elasticloadbalancing:ModifyListener",
      "elasticloadbalancing:AddListenerCertificates",
      "elasticloadbalancing:RemoveListenerCertificates",
      "elasticloadbalancing:ModifyRule",
      "elasticloadbalancing:SetRulePriorities",
    ]
    resources = ["*"]
  }
}
