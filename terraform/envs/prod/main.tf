# Production: the stack (modules/stack) with production's choices. The ones that protect the
# product are literals here and enforced by the stack's validations, so an edit cannot slip
# them: no scale-to-zero on the passport path (a paused Aurora needs ~15 s to resume; README:
# "Aurora scale-to-zero"), 14 days of backups. Deletion protection and prevent_destroy live in
# the modules and have no switch at all. Sizes come from variables.tf.

locals {
  environment = "prod"
}

module "stack" {
  source = "../../modules/stack"

  providers = {
    aws           = aws
    aws.us_east_1 = aws.us_east_1
  }

  environment      = local.environment
  serves_passports = true

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

  database_scale_to_zero         = false
  database_min_acu               = var.database_min_acu
  database_max_acu               = var.database_max_acu
  database_instance_count        = var.database_instance_count
  database_backup_retention_days = 14

  cache_node_type = var.cache_node_type
  cache_nodes     = var.cache_nodes

  eks_admin_principal_arns = var.eks_admin_principal_arns
  eks_public_access_cidrs  = var.eks_public_access_cidrs
  node_instance_types      = var.node_instance_types
  node_min_size            = var.node_min_size
  node_max_size            = var.node_max_size
  node_desired_size        = var.node_desired_size
}
