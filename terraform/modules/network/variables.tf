variable "name" {
  description = "Name prefix and Name tag of every resource, e.g. petshots-prod."
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
  description = "Customer-managed KMS key for the flow-log group (the kms module's key_arn)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]{36}$", var.kms_key_arn))
    error_message = "kms_key_arn must be the full ARN of a KMS key."
  }
}

################################################################################
# VPC
################################################################################

variable "cidr" {
  description = "The VPC's IPv4 block. Petshots uses 10.0.0.0/16 (RFC 1918)."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrsubnet(var.cidr, 0, 0)) && try(cidrsubnet(var.cidr, 0, 0) == var.cidr, false) && endswith(var.cidr, "/16")
    error_message = "cidr must be a /16 IPv4 block, e.g. 10.0.0.0/16."
  }
}

variable "azs" {
  description = "Exactly two availability zones, e.g. [\"us-east-1a\", \"us-east-1b\"]."
  type        = list(string)

  validation {
    condition     = length(var.azs) == 2 && length(distinct(var.azs)) == 2
    error_message = "azs must list exactly two different availability zones."
  }
}

################################################################################
# Subnets: public (IGW), app (egress through the NAT instance), data (isolated)
################################################################################

variable "public_subnets" {
  description = "One /24 per AZ for the public tier (NAT instance, internet-facing ALB)."
  type        = list(string)
  default     = ["10.0.0.0/24", "10.0.1.0/24"]

  validation {
    condition     = length(var.public_subnets) == 2 && alltrue([for c in var.public_subnets : can(cidrhost(c, 0)) && endswith(c, "/24")])
    error_message = "public_subnets must be two /24 blocks, one per AZ."
  }
}

variable "app_subnets" {
  description = "One /24 per AZ for the app tier (EKS nodes and pods), private with egress through the NAT instance."
  type        = list(string)
  default     = ["10.0.2.0/24", "10.0.3.0/24"]

  validation {
    condition     = length(var.app_subnets) == 2 && alltrue([for c in var.app_subnets : can(cidrhost(c, 0)) && endswith(c, "/24")])
    error_message = "app_subnets must be two /24 blocks, one per AZ."
  }
}

variable "data_subnets" {
  description = "One /24 per AZ for the data tier (Aurora, Valkey): isolated, no route to the internet."
  type        = list(string)
  default     = ["10.0.4.0/24", "10.0.5.0/24"]

  validation {
    condition     = length(var.data_subnets) == 2 && alltrue([for c in var.data_subnets : can(cidrhost(c, 0)) && endswith(c, "/24")])
    error_message = "data_subnets must be two /24 blocks, one per AZ."
  }

  validation {
    condition     = length(distinct(concat(var.public_subnets, var.app_subnets, var.data_subnets))) == 6
    error_message = "the six tier subnets must all be different blocks."
  }

  validation {
    condition = alltrue([
      for c in concat(var.public_subnets, var.app_subnets, var.data_subnets) :
      cidrsubnet(c, 0, 0) == c && join(".", slice(split(".", c), 0, 2)) == join(".", slice(split(".", var.cidr), 0, 2))
    ])
    error_message = "every tier subnet must be a canonical /24 inside the VPC's /16."
  }
}

################################################################################
# NAT instance (fck-nat on t4g.nano in an auto scaling group of one)
################################################################################

variable "nat_instance_type" {
  description = "Instance type of the NAT instance; an ARM (Graviton) type because the fck-nat AMI chosen is arm64."
  type        = string
  default     = "t4g.nano"

  validation {
    condition     = can(regex("^[a-z]+[0-9]+g[a-z]*\\.[a-z0-9]+$", var.nat_instance_type))
    error_message = "nat_instance_type must be a Graviton (ARM) type such as t4g.nano."
  }
}

variable "nat_ami_id" {
  description = "AMI for the NAT instance; null = the newest fck-nat AL2023 arm64 AMI of nat_ami_owner. Pin it in production to control when the NAT is replaced."
  type        = string
  default     = null

  validation {
    condition     = var.nat_ami_id == null || can(regex("^ami-[0-9a-f]{8,17}$", var.nat_ami_id))
    error_message = "nat_ami_id must be null or an AMI id (ami-...)."
  }
}

variable "nat_ami_owner" {
  description = "AWS account that publishes the fck-nat AMIs."
  type        = string
  default     = "568608671756"

  validation {
    condition     = can(regex("^[0-9]{12}$", var.nat_ami_owner))
    error_message = "nat_ami_owner must be a 12-digit AWS account id."
  }
}

variable "nat_ssm_access" {
  description = "Attach AmazonSSMManagedInstanceCore so operators can open a Session Manager shell on the NAT instance."
  type        = bool
  default     = false
}

variable "nat_detailed_monitoring" {
  description = "1-minute CloudWatch metrics for the NAT instance (about $2/month extra)."
  type        = bool
  default     = false
}

################################################################################
# VPC endpoints
################################################################################

variable "enable_interface_endpoints" {
  description = "Create interface endpoints (PrivateLink) for interface_endpoint_services in both app subnets. Off by default: about $7.30 per service per AZ per month; see the README."
  type        = bool
  default     = false
}

variable "interface_endpoint_services" {
  description = "AWS services reached through interface endpoints when enable_interface_endpoints is true."
  type        = list(string)
  default     = ["ecr.api", "ecr.dkr", "sts", "secretsmanager", "logs"]

  validation {
    condition     = alltrue([for s in var.interface_endpoint_services : can(regex("^[a-z0-9.-]+$", s))]) && !contains(var.interface_endpoint_services, "s3")
    error_message = "interface_endpoint_services are service suffixes like ecr.api; s3 already has the free gateway endpoint."
  }
}

################################################################################
# Flow logs (optional)
################################################################################

variable "enable_flow_logs" {
  description = "Send VPC flow logs (all traffic, 10-minute aggregation) to an encrypted CloudWatch log group."
  type        = bool
  default     = false
}

variable "flow_logs_retention_in_days" {
  description = "Retention of the flow-log group."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_logs_retention_in_days)
    error_message = "flow_logs_retention_in_days must be a retention CloudWatch Logs accepts (e.g. 30, 90, 365)."
  }
}
