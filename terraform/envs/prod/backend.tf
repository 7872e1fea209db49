# Remote state in S3, locked with an S3 lock file (no DynamoDB table). The bucket is created
# once per account (terraform/README.md, "State") and given at init:
#   terraform init -backend-config="bucket=<state bucket>"
terraform {
  backend "s3" {
    key          = "petshots/prod/terraform.tfstate"
    region       = "us-east-1"
    encrypt      = true
    use_lockfile = true
  }
}
