variable "tags" {
  description = "Tags for every resource of the module (merged after Name)."
  type        = map(string)
  default     = {}
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key for default encryption (SSE-KMS with a bucket key)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]{36}$", var.kms_key_arn))
    error_message = "kms_key_arn must be the full ARN of a KMS key."
  }
}

################################################################################
# Bucket: private, owner-enforced, never destroyed with the stack
################################################################################

variable "bucket_name" {
  description = "Globally unique name of the uploads bucket, e.g. petshots-prod-uploads-123456789012."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.bucket_name)) && !strcontains(var.bucket_name, "--") && !startswith(var.bucket_name, "xn--")
    error_message = "bucket_name must be 3-63 lowercase letters, digits or hyphens (no dots: virtual-host TLS must work for presigned URLs)."
  }
}

################################################################################
# CORS: the browser's presigned POST (upload) and GET (offline copies) from the app's origin
################################################################################

variable "cors_allowed_origins" {
  description = "Origins allowed to POST uploads and GET files from the browser: the app's https origin(s), never *."
  type        = list(string)

  validation {
    condition     = length(var.cors_allowed_origins) >= 1 && alltrue([for o in var.cors_allowed_origins : can(regex("^https://[a-z0-9.-]+(:[0-9]+)?$", o))])
    error_message = "cors_allowed_origins must be https origins without a path or wildcard, e.g. https://petshots.app."
  }
}

################################################################################
# Lifecycle: noncurrent versions and incomplete uploads
################################################################################

variable "noncurrent_version_expiration_days" {
  description = "Days a replaced or deleted object version is kept (the window to undo an accidental delete)."
  type        = number
  default     = 30

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1 && var.noncurrent_version_expiration_days <= 365
    error_message = "noncurrent_version_expiration_days must be between 1 and 365."
  }
}

variable "abort_incomplete_multipart_upload_days" {
  description = "Days before parts of an unfinished multipart upload are removed."
  type        = number
  default     = 1

  validation {
    condition     = var.abort_incomplete_multipart_upload_days >= 1 && var.abort_incomplete_multipart_upload_days <= 30
    error_message = "abort_incomplete_multipart_upload_days must be between 1 and 30."
  }
}

################################################################################
# Access logs (optional)
################################################################################

variable "access_logs" {
  description = "Server access logging target (an existing log bucket and a key prefix), or null for none."
  type = object({
    bucket = string
    prefix = optional(string, "s3/uploads/")
  })
  default = null
}
