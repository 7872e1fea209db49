variable "name" {
  description = "Cluster name and prefix of its roles, e.g. petshots-prod."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,30}$", var.name))
    error_message = "name must be 3-31 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "tags" {
  description = "Tags for every resource of the module (merged after Name)."
  type        = map(string)
  default     = {}
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key: Kubernetes secrets envelope encryption, logs, images, and the data the services read (uploads, secrets)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]{36}$", var.kms_key_arn))
    error_message = "kms_key_arn must be the full ARN of a KMS key."
  }
}

################################################################################
# Control plane
################################################################################

variable "kubernetes_version" {
  description = "EKS Kubernetes version (a version in standard support: extended support is six times the price)."
  type        = string
  default     = "1.34"

  validation {
    condition     = can(regex("^1\\.(29|3[0-9])$", var.kubernetes_version))
    error_message = "kubernetes_version must be a minor version such as 1.34."
  }
}

variable "vpc_id" {
  description = "VPC of the cluster."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must be a VPC id (vpc-...)."
  }
}

variable "app_subnet_ids" {
  description = "The private app subnets (two AZs): control-plane ENIs, nodes and pods."
  type        = list(string)

  validation {
    condition     = length(var.app_subnet_ids) >= 2 && alltrue([for s in var.app_subnet_ids : can(regex("^subnet-[0-9a-f]+$", s))])
    error_message = "app_subnet_ids must list at least two subnet ids."
  }
}

variable "app_security_group_id" {
  description = "The network module's app security group; nodes carry it, so pods are the only clients the database and cache admit."
  type        = string

  validation {
    condition     = can(regex("^sg-[0-9a-f]+$", var.app_security_group_id))
    error_message = "app_security_group_id must be a security group id (sg-...)."
  }
}

variable "endpoint_public_access_cidrs" {
  description = "CIDRs allowed to reach the public Kubernetes API endpoint (operators, CI). Empty = private endpoint only (then run helm from inside the VPC)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.endpoint_public_access_cidrs : can(cidrhost(c, 0)) && c != "0.0.0.0/0" && !endswith(c, "/0")])
    error_message = "endpoint_public_access_cidrs must be IPv4 CIDRs narrower than /0 (never 0.0.0.0/0)."
  }
}

variable "admin_principal_arns" {
  description = "IAM roles or users granted cluster-admin through EKS access entries (the cluster creator gets nothing implicitly)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.admin_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/.+$", a))])
    error_message = "admin_principal_arns must be IAM role or user ARNs."
  }
}

variable "log_retention_in_days" {
  description = "Retention of the control-plane log group."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be a retention CloudWatch Logs accepts (e.g. 30, 90, 365)."
  }
}

################################################################################
# Managed node group (Graviton, app subnets)
################################################################################

variable "node_instance_types" {
  description = "Graviton instance types of the node group (AL2023 arm64 AMI)."
  type        = list(string)
  default     = ["t4g.medium"]

  validation {
    condition     = length(var.node_instance_types) >= 1 && alltrue([for t in var.node_instance_types : can(regex("^[a-z]+[0-9]+g[a-z]*\\.[a-z0-9]+$", t))])
    error_message = "node_instance_types must be Graviton (ARM) types such as t4g.medium or m7g.large."
  }
}

variable "node_capacity_type" {
  description = "ON_DEMAND or SPOT."
  type        = string
  default     = "ON_DEMAND"

  validation {
    condition     = contains(["ON_DEMAND", "SPOT"], var.node_capacity_type)
    error_message = "node_capacity_type must be ON_DEMAND or SPOT."
  }
}

variable "node_min_size" {
  description = "Minimum number of nodes."
  type        = number
  default     = 2

  validation {
    condition     = var.node_min_size >= 1
    error_message = "node_min_size must be at least 1."
  }
}

variable "node_max_size" {
  description = "Maximum number of nodes."
  type        = number
  default     = 4

  validation {
    condition     = var.node_max_size >= var.node_min_size && var.node_max_size <= 50
    error_message = "node_max_size must be between node_min_size and 50."
  }
}

variable "node_desired_size" {
  description = "Initial number of nodes (a cluster autoscaler may change it later)."
  type        = number
  default     = 2

  validation {
    condition     = var.node_desired_size >= var.node_min_size && var.node_desired_size <= var.node_max_size
    error_message = "node_desired_size must be between node_min_size and node_max_size."
  }
}

variable "node_disk_size_gib" {
  description = "Root volume size of each node (images and logs)."
  type        = number
  default     = 20

  validation {
    condition     = var.node_disk_size_gib >= 20 && var.node_disk_size_gib <= 500
    error_message = "node_disk_size_gib must be between 20 and 500."
  }
}

################################################################################
# Load balancer security groups (the chart's Ingress names alb_security_group_id)
################################################################################

variable "service_port_range" {
  description = "Container ports of the HTTP services (the ALB targets pod IPs on these ports)."
  type = object({
    from = number
    to   = number
  })
  default = { from = 8000, to = 8099 }

  validation {
    condition     = var.service_port_range.from >= 1024 && var.service_port_range.to <= 65535 && var.service_port_range.from <= var.service_port_range.to
    error_message = "service_port_range must be an unprivileged range with from <= to."
  }
}

################################################################################
# Container images
################################################################################

variable "ecr_repositories" {
  description = "One ECR repository per image (<name>/<repository>)."
  type        = list(string)
  default     = ["auth", "records", "passport", "reminders"]

  validation {
    condition     = alltrue([for r in var.ecr_repositories : can(regex("^[a-z0-9][a-z0-9_-]*$", r))])
    error_message = "ecr_repositories must be lowercase repository names."
  }
}

variable "ecr_keep_images" {
  description = "Images kept per repository (older ones expire)."
  type        = number
  default     = 30

  validation {
    condition     = var.ecr_keep_images >= 5
    error_message = "ecr_keep_images must be at least 5 (room to roll back)."
  }
}

################################################################################
# IRSA: OIDC provider and one least-privilege role per service account
################################################################################

variable "namespace" {
  description = "Kubernetes namespace of the Petshots chart."
  type        = string
  default     = "petshots"

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.namespace))
    error_message = "namespace must be a DNS label."
  }
}

variable "service_account_names" {
  description = "Kubernetes service accounts of the chart, one per service; each is trusted by its own role only."
  type = object({
    auth      = optional(string, "petshots-auth")
    records   = optional(string, "petshots-records")
    passport  = optional(string, "petshots-passport")
    reminders = optional(string, "petshots-reminders")
  })
  default = {}

  validation {
    condition     = length(distinct(values(var.service_account_names))) == 4
    error_message = "each service needs its own service account."
  }
}

variable "external_secrets_service_account" {
  description = "Namespace and name of the External Secrets Operator's service account."
  type = object({
    namespace = optional(string, "external-secrets")
    name      = optional(string, "external-secrets")
  })
  default = {}

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.external_secrets_service_account.namespace)) && can(regex("^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$", var.external_secrets_service_account.name))
    error_message = "external_secrets_service_account needs a DNS-label namespace and a valid service account name."
  }
}

variable "uploads_bucket_arn" {
  description = "ARN of the uploads bucket (the storage module's bucket_arn)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.uploads_bucket_arn))
    error_message = "uploads_bucket_arn must be an S3 bucket ARN."
  }
}

variable "ses_identity_arn" {
  description = "ARN of the verified SES domain identity the worker sends from."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:ses:[a-z0-9-]+:[0-9]{12}:identity/.+$", var.ses_identity_arn))
    error_message = "ses_identity_arn must be the ARN of an SES identity."
  }
}

variable "ses_configuration_set_arn" {
  description = "ARN of the SES configuration set the worker's messages use."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:ses:[a-z0-9-]+:[0-9]{12}:configuration-set/.+$", var.ses_configuration_set_arn))
    error_message = "ses_configuration_set_arn must be the ARN of an SES configuration set."
  }
}

variable "mail_from_address" {
  description = "The one address the worker may send from (ses:FromAddress), e.g. no-reply@petshots.app."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9._+-]+@[a-z0-9.-]+\\.[a-z]{2,}$", var.mail_from_address))
    error_message = "mail_from_address must be a bare e-mail address."
  }
}

variable "feedback_queue_arn" {
  description = "ARN of the SQS queue of SES bounces and complaints."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:sqs:[a-z0-9-]+:[0-9]{12}:.+$", var.feedback_queue_arn))
    error_message = "feedback_queue_arn must be an SQS queue ARN."
  }
}

variable "user_pool_arn" {
  description = "ARN of the Cognito user pool the auth service administers."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:[0-9]{12}:userpool/[a-z0-9-]+_[0-9A-Za-z]+$", var.user_pool_arn))
    error_message = "user_pool_arn must be a Cognito user pool ARN."
  }
}

variable "turnstile_secret_arn" {
  description = "COMPLETE ARN of the Turnstile secret, with the 6-character suffix Secrets Manager appends (a partial ARN does not match what the SDK sends)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$", var.turnstile_secret_arn))
    error_message = "turnstile_secret_arn must be the complete secret ARN ending in -XXXXXX, not a name or partial ARN."
  }
}
