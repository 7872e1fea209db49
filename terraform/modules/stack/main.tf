# The whole Petshots stack, wired once. Each environment (envs/*) calls this with its choices;
# the choices that protect the product are enforced by the validations in variables.tf, not
# left to the caller's defaults.

locals {
  name = "petshots-${var.environment}"
}

module "kms" {
  source = "../kms"

  name = local.name
}

module "network" {
  source = "../network"

  name                       = local.name
  azs                        = var.azs
  kms_key_arn                = module.kms.key_arn
  nat_ami_id                 = var.nat_ami_id
  enable_interface_endpoints = var.enable_interface_endpoints
  enable_flow_logs           = var.enable_flow_logs
}

module "database" {
  source = "../database"

  name                  = local.name
  vpc_id                = module.network.vpc_id
  data_subnet_ids       = module.network.data_subnet_ids
  app_security_group_id = module.network.app_security_group_id
  kms_key_arn           = module.kms.key_arn

  # May Aurora pause? Never where passports are served at the door (variables.tf refuses it):
  # a paused Aurora needs ~15 s to resume (README: "Aurora scale-to-zero").
  allow_scale_to_zero      = var.database_scale_to_zero
  min_capacity             = var.database_min_acu
  max_capacity             = var.database_max_acu
  seconds_until_auto_pause = var.database_seconds_until_auto_pause
  instance_count           = var.database_instance_count
  backup_retention_period  = var.database_backup_retention_days
}

module "cache" {
  source = "../cache"

  name                  = local.name
  vpc_id                = module.network.vpc_id
  data_subnet_ids       = module.network.data_subnet_ids
  app_security_group_id = module.network.app_security_group_id
  kms_key_arn           = module.kms.key_arn
  node_type             = var.cache_node_type
  num_cache_clusters    = var.cache_nodes
}

module "storage" {
  source = "../storage"

  bucket_name          = "${local.name}-uploads-${var.aws_account_id}"
  cors_allowed_origins = [module.cdn.app_origin]
  kms_key_arn          = module.kms.key_arn
}

module "email" {
  source = "../email"

  name           = local.name
  domain_name    = var.domain_name
  hosted_zone_id = var.hosted_zone_id
  kms_key_arn    = module.kms.key_arn
}

module "identity" {
  source = "../identity"

  name                       = local.name
  kms_key_arn                = module.kms.key_arn
  ses_identity_arn           = module.email.identity_arn
  from_email_address         = "Petshots <${module.email.from_address}>"
  ses_configuration_set_name = module.email.configuration_set_name
}

module "cdn" {
  source = "../cdn"

  providers = {
    aws           = aws
    aws.us_east_1 = aws.us_east_1
  }

  name            = local.name
  domain_name     = var.domain_name
  hosted_zone_id  = var.hosted_zone_id
  spa_bucket_name = "${local.name}-spa-${var.aws_account_id}"
  web_acl_id      = var.web_acl_id
  alb             = var.alb
}

module "cluster" {
  source = "../cluster"

  name                         = local.name
  kms_key_arn                  = module.kms.key_arn
  vpc_id                       = module.network.vpc_id
  app_subnet_ids               = module.network.app_subnet_ids
  app_security_group_id        = module.network.app_security_group_id
  endpoint_public_access_cidrs = var.eks_public_access_cidrs
  admin_principal_arns         = var.eks_admin_principal_arns
  node_instance_types          = var.node_instance_types
  node_min_size                = var.node_min_size
  node_max_size                = var.node_max_size
  node_desired_size            = var.node_desired_size

  uploads_bucket_arn        = module.storage.bucket_arn
  ses_identity_arn          = module.email.identity_arn
  ses_configuration_set_arn = module.email.configuration_set_arn
  mail_from_address         = module.email.from_address
  feedback_queue_arn        = module.email.feedback_queue_arn
  user_pool_arn             = module.identity.user_pool_arn
  turnstile_secret_arn      = module.identity.turnstile_secret_arn
}
