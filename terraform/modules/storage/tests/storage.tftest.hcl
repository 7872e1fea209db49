mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

variables {
  bucket_name          = "petshots-test-uploads"
  cors_allowed_origins = ["https://petshots.example"]
  kms_key_arn          = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
}

run "private_encrypted_versioned" {
  command = plan

  assert {
    condition = (
      aws_s3_bucket_public_access_block.this.block_public_acls &&
      aws_s3_bucket_public_access_block.this.block_public_policy &&
      aws_s3_bucket_public_access_block.this.ignore_public_acls &&
      aws_s3_bucket_public_access_block.this.restrict_public_buckets
    )
    error_message = "all public access is blocked"
  }

  assert {
    condition     = aws_s3_bucket_versioning.this.versioning_configuration[0].status == "Enabled"
    error_message = "versioning is on"
  }

  assert {
    condition     = one([for r in aws_s3_bucket_server_side_encryption_configuration.this.rule : r.apply_server_side_encryption_by_default[0].sse_algorithm]) == "aws:kms"
    error_message = "SSE-KMS by default"
  }

  assert {
    condition     = aws_s3_bucket.this.force_destroy == false
    error_message = "objects are never force-destroyed"
  }

  assert {
    condition     = length(aws_s3_bucket_logging.this) == 0
    error_message = "access logs are optional and off by default"
  }
}

run "cors_from_the_app_origin_only" {
  command = plan

  assert {
    condition     = alltrue([for r in aws_s3_bucket_cors_configuration.this.cors_rule : r.allowed_origins == toset(["https://petshots.example"])])
    error_message = "only the app's origin may upload or fetch"
  }

  assert {
    condition     = contains(flatten([for r in aws_s3_bucket_cors_configuration.this.cors_rule : tolist(r.allowed_methods)]), "POST")
    error_message = "the presigned POST is allowed"
  }

  assert {
    condition     = !contains(flatten([for r in aws_s3_bucket_cors_configuration.this.cors_rule : tolist(r.allowed_methods)]), "PUT")
    error_message = "no PUT or DELETE from browsers"
  }
}

run "lifecycle_cleans_versions_and_uploads" {
  command = plan

  assert {
    condition     = length([for r in aws_s3_bucket_lifecycle_configuration.this.rule : r if length(r.noncurrent_version_expiration) > 0]) == 1
    error_message = "noncurrent versions expire"
  }

  assert {
    condition     = length([for r in aws_s3_bucket_lifecycle_configuration.this.rule : r if length(r.abort_incomplete_multipart_upload) > 0]) == 1
    error_message = "incomplete multipart uploads are aborted"
  }
}

run "access_logs_when_asked" {
  command = plan

  variables {
    access_logs = { bucket = "petshots-test-logs" }
  }

  assert {
    condition     = aws_s3_bucket_logging.this[0].target_prefix == "s3/uploads/"
    error_message = "logs go to the given bucket under the default prefix"
  }
}

run "refuses_a_wildcard_origin" {
  command = plan

  variables {
    cors_allowed_origins = ["*"]
  }

  expect_failures = [var.cors_allowed_origins]
}
