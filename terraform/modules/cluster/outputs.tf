################################################################################
# Control plane
################################################################################

output "cluster_name" {
  description = "EKS cluster name (aws eks update-kubeconfig --name <cluster_name>)."
  value       = aws_eks_cluster.this.name
}

output "cluster_arn" {
  description = "EKS cluster ARN."
  value       = aws_eks_cluster.this.arn
}

output "cluster_endpoint" {
  description = "Kubernetes API endpoint."
  value       = aws_eks_cluster.this.endpoint
}

output "cluster_certificate_authority_data" {
  description = "Base64 CA bundle of the Kubernetes API."
  value       = try(aws_eks_cluster.this.certificate_authority[0].data, null)
}

output "cluster_security_group_id" {
  description = "The EKS-managed cluster security group (on the nodes too)."
  value       = try(aws_eks_cluster.this.vpc_config[0].cluster_security_group_id, null)
}

################################################################################
# Managed node group (Graviton, app subnets)
################################################################################

output "node_group_name" {
  description = "Name of the managed node group."
  value       = aws_eks_node_group.this.node_group_name
}

################################################################################
# Load balancer security groups (the chart's Ingress names alb_security_group_id)
################################################################################

output "alb_security_group_id" {
  description = "Security group for the ALB (alb.ingress.kubernetes.io/security-groups): HTTPS from CloudFront only."
  value       = aws_security_group.alb.id
}

################################################################################
# Container images
################################################################################

output "ecr_registry" {
  description = "The account's ECR registry host (the chart's image.registry)."
  value       = "${local.account_id}.dkr.ecr.${local.region}.amazonaws.com"
}

output "ecr_repository_prefix" {
  description = "Prefix of the repositories (<registry>/<prefix>/<image>): the chart's image.repositoryPrefix."
  value       = var.name
}

output "ecr_repository_urls" {
  description = "Image repository URL per image name."
  value       = { for name, repository in aws_ecr_repository.this : name => repository.repository_url }
}

################################################################################
# IRSA: OIDC provider and one least-privilege role per service account
################################################################################

output "oidc_provider_arn" {
  description = "ARN of the cluster's IAM OIDC provider (IRSA)."
  value       = aws_iam_openid_connect_provider.this.arn
}

output "service_account_role_arns" {
  description = "IRSA role ARN per service (eks.amazonaws.com/role-arn annotation of its service account)."
  value       = { for service, role in aws_iam_role.service : service => role.arn }
}

output "service_accounts" {
  description = "Namespace and name of the service account each role trusts."
  value       = local.service_accounts
}

################################################################################
# App secret: the services' secret settings, copied into Kubernetes by External Secrets
################################################################################

output "app_secret_name" {
  description = "Name of the app secret (the chart's secrets.externalSecrets dataFrom extract key)."
  value       = aws_secretsmanager_secret.app.name
}

output "app_secret_arn" {
  description = "Complete ARN of the app secret."
  value       = aws_secretsmanager_secret.app.arn
}
