################################################################################
# SPA bucket (private; CloudFront reads it through Origin Access Control)
################################################################################

output "spa_bucket_name" {
  description = "Bucket to upload the built SPA to (aws s3 sync web/dist s3://<bucket> --delete)."
  value       = aws_s3_bucket.spa.id
}

output "spa_bucket_arn" {
  description = "ARN of the SPA bucket."
  value       = aws_s3_bucket.spa.arn
}

################################################################################
# Certificates: us-east-1 for CloudFront, the ALB's region for the origin
################################################################################

output "certificate_arn" {
  description = "The distribution's certificate (us-east-1) for the apex and www."
  value       = aws_acm_certificate.this.arn
}

output "origin_certificate_arn" {
  description = "Certificate for the ALB listener (apex, www and the origin name): the chart's ingress.alb.certificateArn."
  value       = aws_acm_certificate.origin.arn
}

output "api_origin_domain" {
  description = "Host name CloudFront uses to reach the ALB."
  value       = local.api_origin_domain
}

################################################################################
# Distribution
################################################################################

output "distribution_id" {
  description = "CloudFront distribution id (for invalidations after an SPA deploy)."
  value       = aws_cloudfront_distribution.this.id
}

output "distribution_arn" {
  description = "CloudFront distribution ARN."
  value       = aws_cloudfront_distribution.this.arn
}

output "distribution_domain_name" {
  description = "The distribution's *.cloudfront.net name."
  value       = aws_cloudfront_distribution.this.domain_name
}

output "app_origin" {
  description = "The app's one origin (https://<domain_name>): CORS and public base URL."
  value       = "https://${var.domain_name}"
}
