################################################################################
# VPC
################################################################################

output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr_block" {
  description = "IPv4 block of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "azs" {
  description = "The two availability zones, in subnet order."
  value       = var.azs
}

################################################################################
# Subnets: public (IGW), app (egress through the NAT instance), data (isolated)
################################################################################

output "public_subnet_ids" {
  description = "Public subnets, one per AZ."
  value       = aws_subnet.public[*].id
}

output "app_subnet_ids" {
  description = "App subnets (EKS nodes and pods), one per AZ."
  value       = aws_subnet.app[*].id
}

output "data_subnet_ids" {
  description = "Isolated data subnets (Aurora, Valkey), one per AZ."
  value       = aws_subnet.data[*].id
}

output "public_subnet_cidrs" {
  description = "CIDRs of the public subnets (where the ALB's addresses are: trusted proxies, NetworkPolicy sources)."
  value       = var.public_subnets
}

output "app_subnet_cidrs" {
  description = "CIDRs of the app subnets."
  value       = var.app_subnets
}

output "data_subnet_cidrs" {
  description = "CIDRs of the data subnets (NetworkPolicy egress to Postgres and Valkey)."
  value       = var.data_subnets
}

################################################################################
# Route tables
################################################################################

output "public_route_table_id" {
  description = "Route table of the public tier."
  value       = aws_route_table.public.id
}

output "app_route_table_id" {
  description = "Route table of the app tier (default route to the NAT instance's static ENI)."
  value       = aws_route_table.app.id
}

output "data_route_table_id" {
  description = "Route table of the data tier (no default route)."
  value       = aws_route_table.data.id
}

################################################################################
# App security group (EKS nodes and pods): the only source the database and cache accept
################################################################################

output "app_security_group_id" {
  description = "Security group of the app-tier workloads; the database and cache admit only this group."
  value       = aws_security_group.app.id
}

################################################################################
# NAT instance (fck-nat on t4g.nano in an auto scaling group of one)
################################################################################

output "nat_network_interface_id" {
  description = "The NAT's static ENI: the app tier's default-route target."
  value       = aws_network_interface.nat.id
}

output "nat_autoscaling_group_name" {
  description = "Auto scaling group that keeps exactly one NAT instance running."
  value       = aws_autoscaling_group.nat.name
}

output "nat_security_group_id" {
  description = "Security group of the NAT instance."
  value       = aws_security_group.nat.id
}

################################################################################
# VPC endpoints
################################################################################

output "s3_endpoint_id" {
  description = "The S3 gateway endpoint (on the app and data route tables)."
  value       = aws_vpc_endpoint.s3.id
}

output "interface_endpoint_ids" {
  description = "Interface endpoints by service (empty unless enable_interface_endpoints)."
  value       = { for service, endpoint in aws_vpc_endpoint.interface : service => endpoint.id }
}

################################################################################
# Flow logs (optional)
################################################################################

output "flow_log_group_name" {
  description = "CloudWatch log group of the VPC flow logs, or null when they are off."
  value       = try(aws_cloudwatch_log_group.flow_logs[0].name, null)
}
