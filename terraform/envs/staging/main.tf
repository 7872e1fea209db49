# Staging: the stack (modules/stack) with staging's choices. Differences from prod are
# deliberate and few: Aurora may pause when idle (nobody stands at a door waiting for a staging
# passport; the first request after a pause waits ~15 s, README: "Aurora scale-to-zero"), one
# Aurora instance, 7 days of backups, one cache node, one EKS node, no flow logs by default.
# The stack refuses scale-to-zero for an environment that serves passports: never copy this
# to one.

locals {
  environment = "staging"
}

module "stack" {
  source = "../../modules/stack"

  providers = {
    aws           = aws
    aws.us_east_1 = aws.us_east_1
  }

  environment      = local.environment
  serves_passports = false

  aws_account_id     = var.aws_account_id
  region             = var.region
  azs                = var.azs
  domain_name        = var.domain_name
  hosted_zone_id     = var.hosted_zone_id
  turnstile_site_key = var.turnstile_site_key
  web_acl_id         = var.web_acl_id
  alb                = var.alb

  nat_ami_id                 = var.nat_ami_id
  enable_interface_endpoints = var.enable_interface_endpoints
  enable_flow_logs           = var.enable_flow_logs

  database_scale_to_zero            = true
  database_min_acu                  = var.database_min_acu
  database_max_acu                  = var.database_max_acu
  database_seconds_until_auto_pause = 1800
  database_instance_count           = 1
  database_backup_retention_days    = 7

  cache_node_type = var.cache_node_type
  cache_nodes     = var.cache_nodes

  eks_admin_principal_arns = var.eks_admin_principal_arns
  eks_public_access_cidrs  = var.eks_public_access_cidrs
  node_instance_types      = var.node_instance_types
  node_min_size            = var.node_min_size
  node_max_size            = var.node_max_size
  node_desired_size        = var.node_desired_size
}
