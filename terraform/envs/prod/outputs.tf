# The stack's outputs under the names docs/deploy.md and the Helm steps use. For example
#   terraform output -json helm_values > petshots-<env>.generated.json
# is a values file for charts/petshots, layered after values-prod.yaml (JSON is YAML):
#   helm upgrade --install petshots charts/petshots -n petshots \
#     -f charts/petshots/values-prod.yaml -f petshots-<env>.generated.json

output "helm_values" {
  description = "Values for charts/petshots in the chart's shape, straight from this environment (docs/deploy.md)."
  value       = module.stack.helm_values
}

output "app_secret_inputs" {
  description = "Where each secret setting of the app secret comes from (docs/deploy.md builds the JSON from these)."
  value       = module.stack.app_secret_inputs
}

output "cognito_client_secret" {
  description = "App client secret (PETSHOTS_COGNITO_CLIENT_SECRET in the app secret; never in a values file)."
  value       = module.stack.cognito_client_secret
  sensitive   = true
}

output "aws_load_balancer_controller_values" {
  description = "Values for the eks/aws-load-balancer-controller chart (kube-system)."
  value       = module.stack.aws_load_balancer_controller_values
}

output "external_secrets_values" {
  description = "Values for the external-secrets chart (its service account's IRSA role)."
  value       = module.stack.external_secrets_values
}

output "cluster_name" {
  description = "aws eks update-kubeconfig --name <cluster_name> --region <region>."
  value       = module.stack.cluster_name
}

output "spa_bucket_name" {
  description = "Where the built SPA goes (aws s3 sync web/dist s3://<bucket>)."
  value       = module.stack.spa_bucket_name
}

output "distribution_id" {
  description = "CloudFront distribution to invalidate after an SPA deploy."
  value       = module.stack.distribution_id
}

output "api_origin_domain" {
  description = "Host name CloudFront uses to reach the ALB (aliased to it once `alb` is set)."
  value       = module.stack.api_origin_domain
}

output "nat_autoscaling_group_name" {
  description = "ASG of the NAT instance (start an instance refresh after pinning a new AMI)."
  value       = module.stack.nat_autoscaling_group_name
}
