# What the environments hand on (envs/*/outputs.tf passes each through under the same name).
# `helm_values` is a values file for charts/petshots in the chart's own shape (JSON is YAML),
# layered after values-prod.yaml; it carries no secret: secrets live in Secrets Manager
# (app_secret_inputs says where). docs/deploy.md ("Provision with Terraform") documents every key.

locals {
  components = ["auth", "records", "passport", "reminders"]

  # Non-secret settings every service reads (docs/configuration.md); tests/terraform checks
  # that each name is a real PETSHOTS_* setting.
  service_env = {
    PETSHOTS_ENV                   = "production" # staging runs the production code paths too
    PETSHOTS_PUBLIC_BASE_URL       = module.cdn.app_origin
    PETSHOTS_S3_REGION             = var.region
    PETSHOTS_UPLOADS_BUCKET        = module.storage.bucket_name
    PETSHOTS_IDENTITY_BACKEND      = "cognito"
    PETSHOTS_USER_POOL_ID          = module.identity.user_pool_id
    PETSHOTS_APP_CLIENT_ID         = module.identity.client_id
    PETSHOTS_COGNITO_REGION        = var.region
    PETSHOTS_TOKEN_CLIENT_IDS      = module.identity.client_id
    PETSHOTS_TOKEN_ISSUER          = module.identity.issuer
    PETSHOTS_JWKS_URL              = module.identity.jwks_url
    PETSHOTS_CAPTCHA_SITE_KEY      = var.turnstile_site_key
    PETSHOTS_CAPTCHA_SECRET_ARN    = module.identity.turnstile_secret_arn
    PETSHOTS_CAPTCHA_HOSTNAME      = var.domain_name
    PETSHOTS_SECRETS_REGION        = var.region
    PETSHOTS_MAIL_TRANSPORT        = "ses"
    PETSHOTS_MAIL_FROM             = "Petshots <${module.email.from_address}>"
    PETSHOTS_SES_REGION            = var.region
    PETSHOTS_SES_CONFIGURATION_SET = module.email.configuration_set_name
    PETSHOTS_BOUNCE_QUEUE_URL      = module.email.feedback_queue_url
    # The ALB (public subnets) is the peer the services trust; CloudFront states the viewer's
    # address in CloudFront-Viewer-Address (the cdn module's API origin request policy).
    PETSHOTS_TRUSTED_PROXY_ADDRESSES = join(",", module.network.public_subnet_cidrs)
    PETSHOTS_CLIENT_ADDRESS_HEADER   = "CloudFront-Viewer-Address"
  }
}

output "helm_values" {
  description = "Values for charts/petshots in the chart's shape, straight from this stack (docs/deploy.md)."
  value = {
    image = {
      registry         = module.cluster.ecr_registry
      repositoryPrefix = module.cluster.ecr_repository_prefix
    }

    config = local.service_env

    secrets = {
      existingSecret = ""
      externalSecrets = {
        enabled  = true
        dataFrom = [{ extract = { key = module.cluster.app_secret_name } }]
      }
    }

    auth = {
      serviceAccount = {
        name    = module.cluster.service_accounts["auth"].name
        roleArn = module.cluster.service_account_role_arns["auth"]
      }
    }
    records = {
      serviceAccount = {
        name    = module.cluster.service_accounts["records"].name
        roleArn = module.cluster.service_account_role_arns["records"]
      }
    }
    passport = {
      serviceAccount = {
        name    = module.cluster.service_accounts["passport"].name
        roleArn = module.cluster.service_account_role_arns["passport"]
      }
    }
    reminders = {
      serviceAccount = {
        name    = module.cluster.service_accounts["reminders"].name
        roleArn = module.cluster.service_account_role_arns["reminders"]
      }
    }

    ingress = {
      controller = "alb"
      className  = "alb"
      annotations = {
        # HTTPS from CloudFront's origin-facing ranges only; the pods' rule is Terraform's.
        "alb.ingress.kubernetes.io/security-groups"                     = module.cluster.alb_security_group_id
        "alb.ingress.kubernetes.io/manage-backend-security-group-rules" = "false"
      }
      alb = {
        scheme         = "internet-facing"
        groupName      = local.name
        certificateArn = module.cdn.origin_certificate_arn
      }
    }

    networkPolicy = {
      enabled     = true
      ingressFrom = [for cidr in module.network.public_subnet_cidrs : { ipBlock = { cidr = cidr } }]
      egress = {
        postgres = { cidrs = module.network.data_subnet_cidrs, port = module.database.port }
        redis    = { cidrs = module.network.data_subnet_cidrs, port = module.cache.port }
      }
    }
  }
}

output "app_secret_inputs" {
  description = "Where each secret setting of the app secret comes from (docs/deploy.md builds the JSON from these)."
  value = {
    app_secret_name         = module.cluster.app_secret_name
    app_secret_arn          = module.cluster.app_secret_arn
    database_host           = module.database.endpoint
    database_port           = module.database.port
    database_name           = module.database.database_name
    database_master_user    = module.database.master_username
    database_master_secret  = module.database.master_user_secret_arn
    database_scales_to_zero = module.database.scales_to_zero
    redis_host              = module.cache.primary_endpoint_address
    redis_port              = module.cache.port
    redis_auth_token_secret = module.cache.auth_token_secret_arn
  }
}

output "cognito_client_secret" {
  description = "App client secret (PETSHOTS_COGNITO_CLIENT_SECRET in the app secret; never in a values file)."
  value       = module.identity.client_secret
  sensitive   = true
}

output "aws_load_balancer_controller_values" {
  description = "Values for the eks/aws-load-balancer-controller chart (kube-system)."
  value = {
    clusterName = module.cluster.cluster_name
    region      = var.region
    vpcId       = module.network.vpc_id
    serviceAccount = {
      name = module.cluster.service_accounts["aws-load-balancer-controller"].name
      annotations = {
        "eks.amazonaws.com/role-arn" = module.cluster.service_account_role_arns["aws-load-balancer-controller"]
      }
    }
  }
}

output "external_secrets_values" {
  description = "Values for the external-secrets chart (its service account's IRSA role)."
  value = {
    serviceAccount = {
      name = module.cluster.service_accounts["external-secrets"].name
      annotations = {
        "eks.amazonaws.com/role-arn" = module.cluster.service_account_role_arns["external-secrets"]
      }
    }
  }
}

output "cluster_name" {
  description = "aws eks update-kubeconfig --name <cluster_name> --region <region>."
  value       = module.cluster.cluster_name
}

output "spa_bucket_name" {
  description = "Where the built SPA goes (aws s3 sync web/dist s3://<bucket>)."
  value       = module.cdn.spa_bucket_name
}

output "distribution_id" {
  description = "CloudFront distribution to invalidate after an SPA deploy."
  value       = module.cdn.distribution_id
}

output "api_origin_domain" {
  description = "Host name CloudFront uses to reach the ALB (aliased to it once `alb` is set)."
  value       = module.cdn.api_origin_domain
}

output "nat_autoscaling_group_name" {
  description = "ASG of the NAT instance (start an instance refresh after pinning a new AMI)."
  value       = module.network.nat_autoscaling_group_name
}
