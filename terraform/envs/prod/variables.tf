# The operator's inputs (terraform.tfvars) with this environment's defaults. modules/stack
# and the modules it calls validate every one of them, once for all environments;
# the scale-to-zero guard below is production's own, so the refusal names this input.

################################################################################
# Account and region
################################################################################

variable "aws_account_id" {
  description = "The production AWS account; the provider refuses to touch any other."
  type        = string
}

variable "region" {
  description = "Region of everything except the CloudFront certificate (always us-east-1)."
  type        = string
  default     = "us-east-1"
}

variable "azs" {
  description = "The two availability zones of the VPC."
  type        = list(string)
  default     = ["us-east-1a", "us-east-1b"]
}

################################################################################
# Domain
################################################################################

variable "domain_name" {
  description = "The product's apex domain, e.g. petshots.app."
  type        = string
}

variable "hosted_zone_id" {
  description = "Route 53 public hosted zone of domain_name."
  type        = string
}

variable "turnstile_site_key" {
  description = "Cloudflare Turnstile site key (public; the secret key goes into Secrets Manager out of band)."
  type        = string
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
  default     = true
}

################################################################################
# Database and cache sizes
################################################################################

variable "database_min_acu" {
  description = "Minimum Aurora capacity per instance; at least 0.5 in production (never paused)."
  type        = number
  default     = 0.5

  validation {
    condition     = var.database_min_acu >= 0.5
    error_message = "production never scales Aurora to zero: database_min_acu must be at least 0.5."
  }
}

variable "database_max_acu" {
  description = "Maximum Aurora capacity per instance."
  type        = number
  default     = 4
}

variable "database_instance_count" {
  description = "Aurora instances (1 writer; 2 adds a reader in the other AZ for faster failover, doubling the ACU floor)."
  type        = number
  default     = 1
}

variable "cache_node_type" {
  description = "ElastiCache node type."
  type        = string
  default     = "cache.t4g.micro"
}

variable "cache_nodes" {
  description = "Valkey nodes (2 = primary + replica with automatic failover)."
  type        = number
  default     = 2
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
  description = "Minimum nodes (2 keeps a node per AZ)."
  type        = number
  default     = 2
}

variable "node_max_size" {
  description = "Maximum nodes."
  type        = number
  default     = 4
}

variable "node_desired_size" {
  description = "Initial nodes."
  type        = number
  default     = 2
}
