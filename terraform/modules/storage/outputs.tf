################################################################################
# Bucket: private, owner-enforced, never destroyed with the stack
################################################################################

output "bucket_name" {
  description = "Name of the uploads bucket (PETSHOTS_UPLOADS_BUCKET)."
  value       = aws_s3_bucket.this.id
}

output "bucket_arn" {
  description = "ARN of the uploads bucket."
  value       = aws_s3_bucket.this.arn
}

output "bucket_regional_domain_name" {
  description = "Regional domain name of the bucket (the host of presigned URLs)."
  value       = aws_s3_bucket.this.bucket_regional_domain_name
}
