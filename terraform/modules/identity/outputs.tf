################################################################################
# User pool
################################################################################

output "user_pool_id" {
  description = "User pool id (PETSHOTS_USER_POOL_ID)."
  value       = aws_cognito_user_pool.this.id
}

output "user_pool_arn" {
  description = "User pool ARN (scope of the auth service's admin permissions)."
  value       = aws_cognito_user_pool.this.arn
}

output "issuer" {
  description = "Token issuer (PETSHOTS_TOKEN_ISSUER)."
  value       = "https://${aws_cognito_user_pool.this.endpoint}"
}

output "jwks_url" {
  description = "Where access-token keys are published (PETSHOTS_JWKS_URL)."
  value       = "https://${aws_cognito_user_pool.this.endpoint}/.well-known/jwks.json"
}

################################################################################
# App client (one, with a secret: only the auth service can call Cognito)
################################################################################

output "client_id" {
  description = "The app client id (PETSHOTS_APP_CLIENT_ID and PETSHOTS_TOKEN_CLIENT_IDS)."
  value       = aws_cognito_user_pool_client.this.id
}

output "client_secret" {
  description = "The app client secret (PETSHOTS_COGNITO_CLIENT_SECRET; goes into a Kubernetes Secret, never into values files)."
  value       = aws_cognito_user_pool_client.this.client_secret
  sensitive   = true
}

################################################################################
# Turnstile secret (the value is put out of band, so it never lands in Terraform state)
################################################################################

output "turnstile_secret_arn" {
  description = "Complete ARN (with its random suffix) of the Turnstile secret (PETSHOTS_CAPTCHA_SECRET_ARN)."
  value       = aws_secretsmanager_secret.turnstile.arn
}
