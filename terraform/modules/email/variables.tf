variable "name" {
  description = "Name of the configuration set and prefix of the topic and queues, e.g. petshots-prod."
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
  description = "Customer-managed KMS key of the feedback topic (its key policy must let ses.amazonaws.com use it: the kms module's does)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]{36}$", var.kms_key_arn))
    error_message = "kms_key_arn must be the full ARN of a KMS key."
  }
}

################################################################################
# Domain identity with Easy DKIM
################################################################################

variable "domain_name" {
  description = "The product's domain, verified as the SES identity, e.g. petshots.app."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.domain_name))
    error_message = "domain_name must be a lowercase DNS name such as petshots.app."
  }
}

variable "hosted_zone_id" {
  description = "Route 53 public hosted zone of domain_name (DKIM, MAIL FROM and DMARC records go there)."
  type        = string

  validation {
    condition     = can(regex("^Z[A-Z0-9]{4,31}$", var.hosted_zone_id))
    error_message = "hosted_zone_id must be a Route 53 zone id (Z...)."
  }
}

variable "from_local_part" {
  description = "Local part of the sender address (<from_local_part>@<domain_name>)."
  type        = string
  default     = "no-reply"

  validation {
    condition     = can(regex("^[a-z0-9._+-]+$", var.from_local_part))
    error_message = "from_local_part must be a plain local part such as no-reply."
  }
}

################################################################################
# Custom MAIL FROM domain (SPF aligned with the From domain) and DMARC
################################################################################

variable "mail_from_subdomain" {
  description = "Subdomain used as MAIL FROM (bounce) domain: <mail_from_subdomain>.<domain_name>."
  type        = string
  default     = "mail"

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.mail_from_subdomain))
    error_message = "mail_from_subdomain must be a single DNS label such as mail."
  }
}

variable "dmarc_policy" {
  description = "DMARC policy to publish at _dmarc.<domain_name>, or null to leave DMARC to whoever owns the zone."
  type        = string
  default     = "quarantine"

  validation {
    condition     = var.dmarc_policy == null || contains(["none", "quarantine", "reject"], coalesce(var.dmarc_policy, "none"))
    error_message = "dmarc_policy must be none, quarantine, reject or null."
  }
}

variable "dmarc_report_address" {
  description = "Mailbox for DMARC aggregate reports (rua), or null for none."
  type        = string
  default     = null

  validation {
    condition     = var.dmarc_report_address == null || can(regex("^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$", coalesce(var.dmarc_report_address, "x@y.zz")))
    error_message = "dmarc_report_address must be an e-mail address or null."
  }
}

################################################################################
# Feedback path: SNS topic -> SQS queue (read by the reminders worker) with a dead-letter queue
################################################################################

variable "feedback_retention_seconds" {
  description = "How long an unread bounce or complaint waits in the queue."
  type        = number
  default     = 1209600

  validation {
    condition     = var.feedback_retention_seconds >= 3600 && var.feedback_retention_seconds <= 1209600
    error_message = "feedback_retention_seconds must be between 3600 (1 h) and 1209600 (14 days)."
  }
}
