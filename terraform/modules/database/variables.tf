variable "name" {
  description = "Cluster identifier and name prefix, e.g. petshots-prod."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,40}$", var.name))
    error_message = "name must be 3-41 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "tags" {
  description = "Tags for every resource of the module (merged after Name)."
  type        = map(string)
  default     = {}
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key for storage, the managed master secret, Performance Insights and logs."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]{36}$", var.kms_key_arn))
    error_message = "kms_key_arn must be the full ARN of a KMS key."
  }
}

################################################################################
# Network: data subnets, security group 5432 from the app security group only
################################################################################

variable "vpc_id" {
  description = "VPC of the cluster."
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
  description = "Security group of the app tier: the only source allowed to reach 5432."
  type        = string

  validation {
    condition     = can(regex("^sg-[0-9a-f]+$", var.app_security_group_id))
    error_message = "app_security_group_id must be a security group id (sg-...)."
  }
}

################################################################################
# Parameters and logs
################################################################################

variable "log_min_duration_statement_ms" {
  description = "Log the text of statements slower than this (ms)."
  type        = number
  default     = 1000

  validation {
    condition     = var.log_min_duration_statement_ms >= 100
    error_message = "log_min_duration_statement_ms must be at least 100 (logging every statement would log personal data)."
  }
}

variable "log_retention_in_days" {
  description = "Retention of the PostgreSQL log group."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be a retention CloudWatch Logs accepts (e.g. 30, 90, 365)."
  }
}

variable "monitoring_interval" {
  description = "Enhanced Monitoring interval in seconds (0 = off)."
  type        = number
  default     = 60

  validation {
    condition     = contains([0, 1, 5, 10, 15, 30, 60], var.monitoring_interval)
    error_message = "monitoring_interval must be one of 0, 1, 5, 10, 15, 30, 60."
  }
}

################################################################################
# Cluster (Aurora PostgreSQL Serverless v2)
################################################################################

variable "engine_version" {
  description = "Aurora PostgreSQL version (scale to zero needs 13.15+, 14.12+, 15.7+ or 16.3+)."
  type        = string
  default     = "16.6"

  validation {
    condition     = can(regex("^1[3-7]\\.[0-9]+$", var.engine_version))
    error_message = "engine_version must be an Aurora PostgreSQL major.minor version such as 16.6."
  }
}

variable "database_name" {
  description = "Database created with the cluster (the app's single database)."
  type        = string
  default     = "petshots"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.database_name))
    error_message = "database_name must be a lowercase PostgreSQL identifier."
  }
}

variable "master_username" {
  description = "Master user; its password is generated and rotated by RDS in Secrets Manager."
  type        = string
  default     = "petshots_admin"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,15}$", var.master_username)) && !contains(["admin", "postgres", "rdsadmin"], var.master_username)
    error_message = "master_username must be a lowercase identifier of at most 16 characters, not a reserved name."
  }
}

variable "instance_count" {
  description = "Serverless v2 instances: 1 = writer only, 2 = writer + a reader in the other AZ for fast failover."
  type        = number
  default     = 1

  validation {
    condition     = var.instance_count >= 1 && var.instance_count <= 3
    error_message = "instance_count must be 1, 2 or 3."
  }
}

variable "allow_scale_to_zero" {
  description = "Allow min_capacity = 0 (Aurora pauses when idle and needs about 15 s to resume). Never for an environment that serves passports at the door: see the README."
  type        = bool
  default     = false
}

variable "min_capacity" {
  description = "Minimum ACUs per instance (0.5 steps). 0 pauses the cluster when idle and is accepted only with allow_scale_to_zero."
  type        = number
  default     = 0.5

  validation {
    condition     = var.min_capacity >= 0 && var.min_capacity <= 256 && floor(var.min_capacity * 2) == var.min_capacity * 2
    error_message = "min_capacity must be between 0 and 256 in steps of 0.5."
  }

  validation {
    condition     = var.min_capacity > 0 || var.allow_scale_to_zero
    error_message = "min_capacity = 0 pauses the database (~15 s resume) and breaks the passport's seconds-at-the-door budget; set allow_scale_to_zero = true only for an environment without that promise (staging)."
  }
}

variable "max_capacity" {
  description = "Maximum ACUs per instance."
  type        = number
  default     = 4

  validation {
    condition     = var.max_capacity >= 1 && var.max_capacity <= 256 && floor(var.max_capacity * 2) == var.max_capacity * 2 && var.max_capacity >= var.min_capacity
    error_message = "max_capacity must be between 1 and 256 in steps of 0.5, and at least min_capacity."
  }
}

variable "seconds_until_auto_pause" {
  description = "Idle time before a cluster with min_capacity = 0 pauses."
  type        = number
  default     = 1800

  validation {
    condition     = var.seconds_until_auto_pause >= 300 && var.seconds_until_auto_pause <= 86400
    error_message = "seconds_until_auto_pause must be between 300 and 86400."
  }
}

variable "backup_retention_period" {
  description = "Days of continuous backups (point-in-time restore)."
  type        = number
  default     = 14

  validation {
    condition     = var.backup_retention_period >= 7 && var.backup_retention_period <= 35
    error_message = "backup_retention_period must be between 7 and 35 days."
  }
}

variable "preferred_backup_window" {
  description = "Daily backup window (UTC), hh24:mi-hh24:mi."
  type        = string
  default     = "03:00-04:00"

  validation {
    condition     = can(regex("^[0-2][0-9]:[0-5][0-9]-[0-2][0-9]:[0-5][0-9]$", var.preferred_backup_window))
    error_message = "preferred_backup_window must look like 03:00-04:00."
  }
}

variable "preferred_maintenance_window" {
  description = "Weekly maintenance window (UTC), ddd:hh24:mi-ddd:hh24:mi; outside the backup window and the 09:00 UTC reminder run."
  type        = string
  default     = "sun:04:30-sun:05:30"

  validation {
    condition     = can(regex("^(mon|tue|wed|thu|fri|sat|sun):[0-2][0-9]:[0-5][0-9]-(mon|tue|wed|thu|fri|sat|sun):[0-2][0-9]:[0-5][0-9]$", var.preferred_maintenance_window))
    error_message = "preferred_maintenance_window must look like sun:04:30-sun:05:30."
  }
}
