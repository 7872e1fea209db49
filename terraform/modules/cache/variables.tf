variable "name" {
  description = "Replication group id and name prefix, e.g. petshots-prod (at most 40 characters)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,39}$", var.name)) && !endswith(var.name, "-") && !strcontains(var.name, "--")
    error_message = "name must be 3-40 lowercase letters, digits or single hyphens, starting with a letter."
  }
}

variable "tags" {
  description = "Tags for every resource of the module (merged after Name)."
  type        = map(string)
  default     = {}
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key for data at rest and the AUTH token secret."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]{36}$", var.kms_key_arn))
    error_message = "kms_key_arn must be the full ARN of a KMS key."
  }
}

################################################################################
# Network: data subnets, security group 6379 from the app security group only
################################################################################

variable "vpc_id" {
  description = "VPC of the cache."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must be a VPC id (vpc-...)."
  }
}

variable "data_subnet_ids" {
  description = "The isolated data subnets (two AZs)."
  type        = list(string)

  validation {
    condition     = length(var.data_subnet_ids) >= 2 && alltrue([for s in var.data_subnet_ids : can(regex("^subnet-[0-9a-f]+$", s))])
    error_message = "data_subnet_ids must list at least two subnet ids."
  }
}

variable "app_security_group_id" {
  description = "Security group of the app tier: the only source allowed to reach the cache."
  type        = string

  validation {
    condition     = can(regex("^sg-[0-9a-f]+$", var.app_security_group_id))
    error_message = "app_security_group_id must be a security group id (sg-...)."
  }
}

variable "port" {
  description = "Valkey port."
  type        = number
  default     = 6379

  validation {
    condition     = var.port >= 1024 && var.port <= 65535
    error_message = "port must be between 1024 and 65535."
  }
}

################################################################################
# Replication group (Valkey, cluster mode disabled: arq needs multi-key commands)
################################################################################

variable "engine_version" {
  description = "Valkey major.minor version."
  type        = string
  default     = "8.0"

  validation {
    condition     = can(regex("^[78]\\.[0-9]+$", var.engine_version))
    error_message = "engine_version must be a Valkey 7.x or 8.x version such as 8.0."
  }
}

variable "node_type" {
  description = "Cache node type; Graviton burstable types fit the idle-heavy load."
  type        = string
  default     = "cache.t4g.micro"

  validation {
    condition     = can(regex("^cache\\.[a-z]+[0-9]+g?[a-z]*\\.[a-z0-9]+$", var.node_type))
    error_message = "node_type must be an ElastiCache node type such as cache.t4g.micro."
  }
}

variable "num_cache_clusters" {
  description = "Nodes in the group: 1 = no replica; 2+ = a replica in the other AZ with automatic failover."
  type        = number
  default     = 1

  validation {
    condition     = var.num_cache_clusters >= 1 && var.num_cache_clusters <= 3
    error_message = "num_cache_clusters must be 1, 2 or 3."
  }
}

variable "snapshot_retention_limit" {
  description = "Days of daily snapshots (queued jobs survive a node loss that failover cannot cover)."
  type        = number
  default     = 1

  validation {
    condition     = var.snapshot_retention_limit >= 1 && var.snapshot_retention_limit <= 35
    error_message = "snapshot_retention_limit must be between 1 and 35."
  }
}

variable "snapshot_window" {
  description = "Daily snapshot window (UTC)."
  type        = string
  default     = "02:00-03:00"

  validation {
    condition     = can(regex("^[0-2][0-9]:[0-5][0-9]-[0-2][0-9]:[0-5][0-9]$", var.snapshot_window))
    error_message = "snapshot_window must look like 02:00-03:00."
  }
}

variable "maintenance_window" {
  description = "Weekly maintenance window (UTC); outside the snapshot window and the 09:00 UTC reminder run."
  type        = string
  default     = "sun:05:30-sun:06:30"

  validation {
    condition     = can(regex("^(mon|tue|wed|thu|fri|sat|sun):[0-2][0-9]:[0-5][0-9]-(mon|tue|wed|thu|fri|sat|sun):[0-2][0-9]:[0-5][0-9]$", var.maintenance_window))
    error_message = "maintenance_window must look like sun:05:30-sun:06:30."
  }
}
