variable "name" {
  description = "Name prefix of the edge resources, e.g. petshots-prod."
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

variable "domain_name" {
  description = "The product's apex domain, e.g. petshots.app (www.<domain> redirects to it)."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.domain_name))
    error_message = "domain_name must be a lowercase DNS name such as petshots.app."
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

################################################################################
# SPA bucket (private; CloudFront reads it through Origin Access Control)
################################################################################

variable "spa_bucket_name" {
  description = "Globally unique name of the bucket holding the built SPA."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.spa_bucket_name)) && !strcontains(var.spa_bucket_name, "--")
    error_message = "spa_bucket_name must be 3-63 lowercase letters, digits or hyphens."
  }
}

################################################################################
# Certificates: us-east-1 for CloudFront, the ALB's region for the origin
################################################################################

variable "origin_subdomain" {
  description = "Label of the ALB's name under domain_name (<origin_subdomain>.<domain_name>); CloudFront connects to it over TLS."
  type        = string
  default     = "origin"

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.origin_subdomain)) && var.origin_subdomain != "www"
    error_message = "origin_subdomain must be a single DNS label other than www."
  }
}

################################################################################
# Policies: security headers and the SPA router
################################################################################

variable "hsts_include_subdomains" {
  description = "Send includeSubDomains with HSTS (every subdomain must then serve HTTPS)."
  type        = bool
  default     = true
}

variable "hsts_preload" {
  description = "Send preload with HSTS. Harmless for a .app domain (the whole TLD is preloaded); for other TLDs, submitting to the preload list is a commitment that takes months to undo."
  type        = bool
  default     = true
}

################################################################################
# Distribution
################################################################################

variable "api_path_patterns" {
  description = "CloudFront path patterns served by the services behind the ALB (uncached, Authorization forwarded); everything else is the SPA. Mirrors the edge routing table (tools/devstack edge_routes.py): /api itself answers the API's JSON 404."
  type        = list(string)
  default     = ["/api", "/api/*", "/auth/*", "/p/*"]

  validation {
    condition     = length(var.api_path_patterns) >= 1 && alltrue([for p in var.api_path_patterns : can(regex("^/[a-z0-9._-]+(/\\*)?$", p))])
    error_message = "api_path_patterns must look like /api or /api/* (one leading segment, optionally followed by /*)."
  }
}

variable "price_class" {
  description = "CloudFront price class (edge locations used)."
  type        = string
  default     = "PriceClass_100"

  validation {
    condition     = contains(["PriceClass_100", "PriceClass_200", "PriceClass_All"], var.price_class)
    error_message = "price_class must be PriceClass_100, PriceClass_200 or PriceClass_All."
  }
}

variable "web_acl_id" {
  description = "ARN of a WAFv2 web ACL (scope CLOUDFRONT) to attach, or null."
  type        = string
  default     = null

  validation {
    condition     = var.web_acl_id == null || can(regex("^arn:aws[a-z-]*:wafv2:us-east-1:[0-9]{12}:global/webacl/.+$", coalesce(var.web_acl_id, "-")))
    error_message = "web_acl_id must be the ARN of a global (CLOUDFRONT) WAFv2 web ACL."
  }
}

variable "access_logs_bucket" {
  description = "Domain name of an ACL-enabled bucket for CloudFront standard logs (e.g. logs-bucket.s3.amazonaws.com), or null."
  type        = string
  default     = null

  validation {
    condition     = var.access_logs_bucket == null || can(regex("\\.s3\\.amazonaws\\.com$", coalesce(var.access_logs_bucket, "-")))
    error_message = "access_logs_bucket must be a bucket domain name ending in .s3.amazonaws.com."
  }
}

################################################################################
# DNS: alias records for the apex and www, and the origin name of the ALB
################################################################################

variable "alb" {
  description = "The ALB the AWS Load Balancer Controller created for the chart's Ingress (DNS name and canonical hosted zone), or null before the first Helm install."
  type = object({
    dns_name = string
    zone_id  = string
  })
  default = null

  validation {
    condition     = var.alb == null || can(regex("\\.elb\\.amazonaws\\.com$", try(var.alb.dns_name, "")))
    error_message = "alb.dns_name must be the ALB's *.elb.amazonaws.com name."
  }
}
