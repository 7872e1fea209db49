################################################################################
# Network: data subnets, security group 5432 from the app security group only
################################################################################

output "security_group_id" {
  description = "Security group of the cluster."
  value       = aws_security_group.this.id
}

################################################################################
# Cluster (Aurora PostgreSQL Serverless v2)
################################################################################

output "cluster_identifier" {
  description = "Identifier of the Aurora cluster."
  value       = aws_rds_cluster.this.cluster_identifier
}

output "cluster_arn" {
  description = "ARN of the Aurora cluster."
  value       = aws_rds_cluster.this.arn
}

output "endpoint" {
  description = "Writer endpoint (host name) the services connect to."
  value       = aws_rds_cluster.this.endpoint
}

output "reader_endpoint" {
  description = "Reader endpoint (the writer itself while instance_count = 1)."
  value       = aws_rds_cluster.this.reader_endpoint
}

output "port" {
  description = "PostgreSQL port."
  value       = aws_rds_cluster.this.port
}

output "database_name" {
  description = "The app's database."
  value       = aws_rds_cluster.this.database_name
}

output "master_username" {
  description = "Master user name (its password lives only in Secrets Manager)."
  value       = aws_rds_cluster.this.master_username
}

output "master_user_secret_arn" {
  description = "Complete ARN of the RDS-managed Secrets Manager secret holding the master password."
  value       = try(aws_rds_cluster.this.master_user_secret[0].secret_arn, null)
}

output "scales_to_zero" {
  description = "Whether the cluster pauses when idle (min_capacity = 0)."
  value       = local.pauses
}
