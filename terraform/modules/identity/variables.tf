variable "name" {
  description = "Name of the user pool and prefix of the client and secret, e.g. petshots-prod."
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
  description = "Customer-managed KMS key of the Turnstile secret."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]{36}$", var.kms_key_arn))
    error_message = "kms_key_arn must be the full ARN of a KMS key."
  }
}

################################################################################
# User pool
################################################################################

variable "user_pool_tier" {
  description = "Cognito feature plan. ESSENTIALS covers e-mail codes, SRP and token revocation."
  type        = string
  default     = "ESSENTIALS"

  validation {
    condition     = contains(["LITE", "ESSENTIALS", "PLUS"], var.user_pool_tier)
    error_message = "user_pool_tier must be LITE, ESSENTIALS or PLUS."
  }
}

variable "password_minimum_length" {
  description = "Minimum password length (upper, lower and digit are always required)."
  type        = number
  default     = 8

  validation {
    condition     = var.password_minimum_length >= 8 && var.password_minimum_length <= 99
    error_message = "password_minimum_length must be between 8 and 99."
  }
}

variable "ses_identity_arn" {
  description = "ARN of the verified SES domain identity Cognito sends from (the email module's identity_arn)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:ses:[a-z0-9-]+:[0-9]{12}:identity/.+$", var.ses_identity_arn))
    error_message = "ses_identity_arn must be the ARN of an SES identity."
  }
}

variable "from_email_address" {
  description = "From address of Cognito's e-mails, e.g. \"Petshots <no-reply@petshots.app>\"; its domain must be the SES identity."
  type        = string

  validation {
    condition     = can(regex("^([^<>]+ <)?[a-z0-9._+-]+@[a-z0-9.-]+\\.[a-z]{2,}>?$", var.from_email_address))
    error_message = "from_email_address must be an address, optionally with a display name: Name <local@domain>."
  }
}

variable "ses_configuration_set_name" {
  description = "SES configuration set for Cognito's e-mails (bounce and complaint events), or null."
  type        = string
  default     = null

  validation {
    condition     = var.ses_configuration_set_name == null || can(regex("^[A-Za-z0-9_-]{1,64}$", coalesce(var.ses_configuration_set_name, "-")))
    error_message = "ses_configuration_set_name must be an SES configuration set name (letters, digits, _ and -) or null."
  }
}
