mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

mock_provider "aws" {
  alias = "us_east_1"
}

override_resource {
  target          = aws_cloudfront_origin_access_control.spa
  override_during = plan
  values = {
    id = "E2OACTEST"
  }
}

override_resource {
  target          = aws_cloudfront_origin_request_policy.api
  override_during = plan
  values = {
    id = "api-origin-request-policy"
  }
}

override_resource {
  target          = aws_cloudfront_function.spa_router
  override_during = plan
  values = {
    arn = "arn:aws:cloudfront::123456789012:function/petshots-test-spa-router"
  }
}

variables {
  name            = "petshots-test"
  domain_name     = "petshots.example"
  hosted_zone_id  = "Z0123456789ABCDEFGHIJ"
  spa_bucket_name = "petshots-test-spa"
}

run "spa_behind_oac_with_the_router_function" {
  command = plan

  assert {
    condition     = one([for o in aws_cloudfront_distribution.this.origin : o.origin_access_control_id if o.origin_id == "spa-s3"]) == "E2OACTEST"
    error_message = "the SPA origin is read through Origin Access Control"
  }

  assert {
    condition     = alltrue([for o in aws_cloudfront_distribution.this.origin : length(o.s3_origin_config) == 0])
    error_message = "no origin access identity (legacy OAI)"
  }

  assert {
    condition     = aws_cloudfront_distribution.this.default_root_object == "index.html"
    error_message = "the root serves index.html"
  }

  assert {
    condition     = one([for f in aws_cloudfront_distribution.this.default_cache_behavior[0].function_association : f.function_arn if f.event_type == "viewer-request"]) == "arn:aws:cloudfront::123456789012:function/petshots-test-spa-router"
    error_message = "client-side routes are rewritten to /index.html on the SPA behaviour"
  }

  assert {
    condition     = length(aws_cloudfront_distribution.this.custom_error_response) == 0
    error_message = "no distribution-wide error rewriting (it would hide API errors)"
  }
}

run "api_paths_go_uncached_to_the_alb" {
  command = plan

  assert {
    condition     = [for b in aws_cloudfront_distribution.this.ordered_cache_behavior : b.path_pattern] == ["/api", "/api/*", "/auth/*", "/p/*"]
    error_message = "/api, /auth/ and /p/ go to the ALB"
  }

  assert {
    condition = alltrue([
      for b in aws_cloudfront_distribution.this.ordered_cache_behavior :
      b.target_origin_id == "api-alb" &&
      b.cache_policy_id == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" &&
      b.origin_request_policy_id == "api-origin-request-policy" &&
      length(b.function_association) == 0
    ])
    error_message = "API behaviours: ALB origin, CachingDisabled, the API origin request policy, no SPA router"
  }

  assert {
    condition = (
      aws_cloudfront_origin_request_policy.api.headers_config[0].header_behavior == "allViewerAndWhitelistCloudFront" &&
      aws_cloudfront_origin_request_policy.api.headers_config[0].headers[0].items == toset(["CloudFront-Viewer-Address"])
    )
    error_message = "every viewer header (Authorization) plus the viewer's address"
  }

  assert {
    condition     = aws_acm_certificate.origin.domain_name == "petshots.example" && aws_acm_certificate.origin.subject_alternative_names == toset(["www.petshots.example", "origin.petshots.example"])
    error_message = "the ALB's certificate matches the forwarded Host (apex or www) and the origin name"
  }

  assert {
    condition     = one([for o in aws_cloudfront_distribution.this.origin : o.custom_origin_config[0].origin_protocol_policy if o.origin_id == "api-alb"]) == "https-only"
    error_message = "CloudFront reaches the ALB over TLS only"
  }
}

run "tls_ipv6_and_security_headers" {
  command = plan

  assert {
    condition     = aws_cloudfront_distribution.this.viewer_certificate[0].minimum_protocol_version == "TLSv1.2_2021"
    error_message = "TLS 1.2 or newer"
  }

  assert {
    condition     = aws_cloudfront_distribution.this.is_ipv6_enabled
    error_message = "IPv6 on"
  }

  assert {
    condition = (
      aws_cloudfront_response_headers_policy.security.security_headers_config[0].strict_transport_security[0].access_control_max_age_sec >= 31536000 &&
      aws_cloudfront_response_headers_policy.security.security_headers_config[0].frame_options[0].frame_option == "DENY" &&
      length(aws_cloudfront_response_headers_policy.security.security_headers_config[0].content_type_options) == 1 &&
      strcontains(aws_cloudfront_response_headers_policy.security.security_headers_config[0].content_security_policy[0].content_security_policy, "frame-ancestors 'none'") &&
      aws_cloudfront_response_headers_policy.security.security_headers_config[0].referrer_policy[0].referrer_policy != ""
    )
    error_message = "HSTS, nosniff, frame-ancestors and a referrer policy"
  }
}

run "certificate_in_us_east_1_and_alias_records" {
  command = plan

  assert {
    condition     = aws_acm_certificate.this.domain_name == "petshots.example" && aws_acm_certificate.this.subject_alternative_names == toset(["www.petshots.example"]) && aws_acm_certificate.this.validation_method == "DNS"
    error_message = "one DNS-validated certificate for the apex and www"
  }

  assert {
    condition     = toset([for r in aws_route53_record.alias : "${r.name}/${r.type}"]) == toset(["petshots.example/A", "petshots.example/AAAA", "www.petshots.example/A", "www.petshots.example/AAAA"])
    error_message = "alias A and AAAA records for the apex and www"
  }

  assert {
    condition     = length(aws_route53_record.api_origin) == 0
    error_message = "no origin record before the ALB exists"
  }
}

run "origin_record_once_the_alb_exists" {
  command = plan

  variables {
    alb = {
      dns_name = "k8s-petshots-0123456789-1234567890.us-east-1.elb.amazonaws.com"
      zone_id  = "Z35SXDOTRQ7X7K"
    }
  }

  assert {
    condition     = aws_route53_record.api_origin[0].name == "origin.petshots.example"
    error_message = "origin.<domain> aliases the ALB"
  }
}
