################################################################################
# Account and region
################################################################################

variable "aws_account_id" {
  description = "The staging AWS account (ideally not the production one); the provider refuses any other."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.aws_account_id))
    error_message = "aws_account_id must be 12 digits."
  }
}

variable "region" {
  description = "Region of everything except the CloudFront certificate (always us-east-1)."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region such as us-east-1."
  }
}

variable "azs" {
  description = "The two availability zones of the VPC."
  type        = list(string)
  default     = ["us-east-1a", "us-east-1b"]

  validation {
    condition     = length(var.azs) == 2
    error_message = "azs must list exactly two availability zones."
  }
}

################################################################################
# Domain
################################################################################

variable "domain_name" {
  description = "Staging's domain, e.g. staging.petshots.app (its own apex for CloudFront, SES and Cognito)."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.domain_name))
    error_message = "domain_name must be a lowercase DNS name."
  }
}

variable "hosted_zone_id" {
  description = "Route 53 public hosted zone of domain_name."
  type        = string

  validation {
    condition     = can(regex("^Z[A-Z0-9]{4,31}$", var.hosted_zone_id))
    error_message = "hosted_zone_id must be a Route 53 zone id (Z...)."
  }
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
  description = "Optional WAFv2 web ACL (CLOUDFRONT scope) for the distribution."
  type        = string
  default     = null
}

variable "alb" {
  description = "The ALB the load balancer controller created for the chart's Ingress; null until the first helm install (docs/deploy.md)."
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
  description = "Pinned fck-nat AMI; null = newest published (pin it after the first apply)."
  type        = string
  default     = null
}

variable "enable_interface_endpoints" {
  description = "Interface VPC endpoints (about $73/month for the default five services in two AZs)."
  type        = bool
  default     = false
}

variable "enable_flow_logs" {
  description = "VPC flow logs to CloudWatch Logs."
  type        = bool
  default     = false
}

################################################################################
# Database and cache sizes
################################################################################

variable "database_min_acu" {
  description = "Minimum Aurora capacity; 0 lets staging pause when idle (~15 s resume)."
  type        = number
  default     = 0
}

variable "database_max_acu" {
  description = "Maximum Aurora capacity."
  type        = number
  default     = 2
}

variable "cache_node_type" {
  description = "ElastiCache node type."
  type        = string
  default     = "cache.t4g.micro"
}

variable "cache_nodes" {
  description = "Valkey nodes (1: no replica in staging)."
  type        = number
  default     = 1
}

################################################################################
# Cluster
################################################################################

variable "eks_admin_principal_arns" {
  description = "IAM roles (operators, CI) with cluster-admin access entries."
  type        = list(string)
}

variable "eks_public_access_cidrs" {
  description = "CIDRs that may reach the Kubernetes API from outside the VPC (never 0.0.0.0/0)."
  type        = list(string)
  default     = []
}

variable "node_instance_types" {
  description = "Graviton instance types of the node group."
  type        = list(string)
  default     = ["t4g.medium"]
}

variable "node_min_size" {
  description = "Minimum nodes."
  type        = number
  default     = 1
}

variable "node_max_size" {
  description = "Maximum nodes."
  type        = number
  default     = 3
}

variable "node_desired_size" {
  description = "Initial nodes."
  type        = number
  default     = 1
}
