################################################################################
# The environment and what it promises
################################################################################

variable "environment" {
  description = "Short name of the environment (prod, staging); resources are named petshots-<environment>."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,15}$", var.environment))
    error_message = "environment must be 2-16 lowercase letters or digits, starting with a letter."
  }
}

variable "serves_passports" {
  description = "Whether facilities open this environment's passport pages (/p/{token}) at the door: true for production. Such an environment never lets Aurora pause and keeps at least 14 days of backups."
  type        = bool

  # The flag is what the database guards below key on, so production may not switch it off.
  validation {
    condition     = var.serves_passports || var.environment != "prod"
    error_message = "prod serves the passports facilities open at the door: serves_passports must be true there."
  }
}

################################################################################
# Account, region, domain
################################################################################

variable "aws_account_id" {
  description = "The environment's AWS account; part of the globally unique bucket names."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.aws_account_id))
    error_message = "aws_account_id must be 12 digits."
  }
}

variable "region" {
  description = "Region of everything except the CloudFront certificate (the services' region settings)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region such as us-east-1."
  }
}

variable "azs" {
  description = "The two availability zones of the VPC (validated by the network module)."
  type        = list(string)
}

variable "domain_name" {
  description = "The environment's apex domain, e.g. petshots.app (validated by the email and cdn modules)."
  type        = string
}

variable "hosted_zone_id" {
  description = "Route 53 public hosted zone of domain_name (validated by the email and cdn modules)."
  type        = string
}

variable "turnstile_site_key" {
  description = "Cloudflare Turnstile site key (public; the secret key goes into Secrets Manager out of band)."
  type        = string

  validation {
    condition     = can(regex("^0x[0-9A-Za-z_-]{10,}$", var.turnstile_site_key))
    error_message = "turnstile_site_key must be a Turnstile site key (0x...)."
  }
}

variable "web_acl_id" {
  description = "Optional WAFv2 web ACL (CLOUDFRONT scope) for the distribution (validated by the cdn module)."
  type        = string
  default     = null
}

variable "alb" {
  description = "The ALB the load balancer controller created for the chart's Ingress, or null until the first helm install (validated by the cdn module)."
  type = object({
    dns_name = string
    zone_id  = string
  })
  default = null
}

################################################################################
# Network
################################################################################

variable "nat_ami_id" {
  description = "Pinned fck-nat AMI, or null for the newest published one (validated by the network module)."
  type        = string
  default     = null
}

variable "enable_interface_endpoints" {
  description = "Interface VPC endpoints (about $73/month for the default five services in two AZs)."
  type        = bool
}

variable "enable_flow_logs" {
  description = "VPC flow logs to CloudWatch Logs."
  type        = bool
}

################################################################################
# Database: the choices that protect the passport path are enforced here
################################################################################

variable "database_scale_to_zero" {
  description = "Let Aurora pause when idle (min 0 ACU; the first request after a pause waits ~15 s). Refused where serves_passports."
  type        = bool

  validation {
    condition     = !(var.database_scale_to_zero && var.serves_passports)
    error_message = "an environment that serves passports at the door never lets Aurora pause: a resume takes ~15 s and breaks the seconds-at-the-door promise (terraform/README.md, \"Aurora scale-to-zero\")."
  }
}

variable "database_min_acu" {
  description = "Minimum Aurora capacity per instance; 0 only with database_scale_to_zero, never where serves_passports."
  type        = number

  validation {
    condition     = var.database_min_acu >= 0.5 || (var.database_scale_to_zero && !var.serves_passports)
    error_message = "database_min_acu must be at least 0.5: 0 pauses Aurora, allowed only with database_scale_to_zero in an environment that does not serve passports."
  }
}

variable "database_max_acu" {
  description = "Maximum Aurora capacity per instance (validated by the database module)."
  type        = number
}

variable "database_seconds_until_auto_pause" {
  description = "Idle time before a scale-to-zero Aurora pauses; ignored unless database_min_acu is 0 (validated by the database module)."
  type        = number
  default     = 1800
}

variable "database_instance_count" {
  description = "Aurora instances: 1 writer; 2 adds a reader in the other AZ (validated by the database module)."
  type        = number
}

variable "database_backup_retention_days" {
  description = "Days of point-in-time restore; at least 14 where serves_passports (the database module allows 7-35)."
  type        = number

  validation {
    condition     = var.database_backup_retention_days >= 14 || !var.serves_passports
    error_message = "an environment that serves passports keeps at least 14 days of Aurora backups."
  }
}

################################################################################
# Cache and cluster sizes
################################################################################

variable "cache_node_type" {
  description = "ElastiCache node type (validated by the cache module)."
  type        = string
}

variable "cache_nodes" {
  description = "Valkey nodes: 1 = no replica, 2 = primary + replica with automatic failover (validated by the cache module)."
  type        = number
}

variable "eks_admin_principal_arns" {
  description = "IAM roles (operators, CI) with cluster-admin access entries (validated by the cluster module)."
  type        = list(string)
}

variable "eks_public_access_cidrs" {
  description = "CIDRs that may reach the Kubernetes API from outside the VPC, never 0.0.0.0/0 (validated by the cluster module)."
  type        = list(string)
}

variable "node_instance_types" {
  description = "Graviton instance types of the node group (validated by the cluster module)."
  type        = list(string)
}

variable "node_min_size" {
  description = "Minimum nodes (validated by the cluster module)."
  type        = number
}

variable "node_max_size" {
  description = "Maximum nodes (validated by the cluster module)."
  type        = number
}

variable "node_desired_size" {
  description = "Initial nodes (validated by the cluster module)."
  type        = number
}
