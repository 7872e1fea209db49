terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.80, < 6.0"
      # The cdn module's certificate must be issued in us-east-1; the environment passes it in.
      configuration_aliases = [aws.us_east_1]
    }
  }
}
