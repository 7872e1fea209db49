# The prod root as it was before modules/stack (commit 489cbb2), kept to prove the move:
# tests/migration applies this with mocked AWS, then plans the current root over that state.
# Only the module sources differ (this file sits three directories deeper). Never edit it to
# make that test pass: it stands for the state that exists in the real account.

# Production: thin wiring of the modules. Sizes come from variables; the choices that protect the
# product (no scale-to-zero on the passport path, deletion protection, retained data) are fixed
# here or in the modules, not variables.

locals {
  environment = "prod"
  name        = "petshots-${local.environment}"
}

module "kms" {
  source = "../../../../../modules/kms"

  name = local.name
}

module "network" {
  source = "../../../../../modules/network"

  name                       = local.name
  azs                        = var.azs
  kms_key_arn                = module.kms.key_arn
  nat_ami_id                 = var.nat_ami_id
  enable_interface_endpoints = var.enable_interface_endpoints
  enable_flow_logs           = var.enable_flow_logs
}

module "database" {
  source = "../../../../../modules/database"

  name                  = local.name
  vpc_id                = module.network.vpc_id
  data_subnet_ids       = module.network.data_subnet_ids
  app_security_group_id = module.network.app_security_group_id
  kms_key_arn           = module.kms.key_arn

  # The passport page at the door must answer in seconds; a paused Aurora needs ~15 s to
  # resume. Production never scales to zero (README: "Aurora scale-to-zero").
  allow_scale_to_zero     = false
  min_capacity            = var.database_min_acu
  max_capacity            = var.database_max_acu
  instance_count          = var.database_instance_count
  backup_retention_period = 14
}

module "cache" {
  source = "../../../../../modules/cache"

  name                  = local.name
  vpc_id                = module.network.vpc_id
  data_subnet_ids       = module.network.data_subnet_ids
  app_security_group_id = module.network.app_security_group_id
  kms_key_arn           = module.kms.key_arn
  node_type             = var.cache_node_type
  num_cache_clusters    = var.cache_nodes
}

module "storage" {
  source = "../../../../../modules/storage"

  bucket_name          = "${local.name}-uploads-${var.aws_account_id}"
  cors_allowed_origins = [module.cdn.app_origin]
  kms_key_arn          = module.kms.key_arn
}

module "email" {
  source = "../../../../../modules/email"

  name           = local.name
  domain_name    = var.domain_name
  hosted_zone_id = var.hosted_zone_id
  kms_key_arn    = module.kms.key_arn
}

module "identity" {
  source = "../../../../../modules/identity"

  name                       = local.name
  kms_key_arn                = module.kms.key_arn
  ses_identity_arn           = module.email.identity_arn
  from_email_address         = "Petshots <${module.email.from_address}>"
  ses_configuration_set_name = module.email.configuration_set_name
}

module "cdn" {
  source = "../../../../../modules/cdn"

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
  source = "../../../../../modules/cluster"

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
