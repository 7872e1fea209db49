# Computed values a mocked apply gives resources of these types. Plans (every test but
# tests/migration) leave computed values unknown, so only an apply uses them: the values the
# modules check or iterate over must look real.

mock_resource "aws_acm_certificate" {
  defaults = {
    arn = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
    domain_validation_options = [
      { domain_name = "petshots.example", resource_record_name = "_a.petshots.example.", resource_record_type = "CNAME", resource_record_value = "_a.acm-validations.aws." },
      { domain_name = "www.petshots.example", resource_record_name = "_b.www.petshots.example.", resource_record_type = "CNAME", resource_record_value = "_b.acm-validations.aws." },
      { domain_name = "origin.petshots.example", resource_record_name = "_c.origin.petshots.example.", resource_record_type = "CNAME", resource_record_value = "_c.acm-validations.aws." },
    ]
  }
}

mock_resource "aws_iam_role" {
  defaults = {
    arn = "arn:aws:iam::123456789012:role/petshots-mock"
  }
}

mock_resource "aws_iam_instance_profile" {
  defaults = {
    arn = "arn:aws:iam::123456789012:instance-profile/petshots-mock"
  }
}

mock_resource "aws_sns_topic" {
  defaults = {
    arn = "arn:aws:sns:us-east-1:123456789012:petshots-mock"
  }
}

mock_resource "aws_cloudwatch_log_group" {
  defaults = {
    arn = "arn:aws:logs:us-east-1:123456789012:log-group:petshots-mock"
  }
}

mock_resource "aws_cloudfront_function" {
  defaults = {
    arn = "arn:aws:cloudfront::123456789012:function/petshots-mock"
  }
}

mock_resource "aws_launch_template" {
  defaults = {
    id = "lt-0123456789abcdef0"
  }
}
