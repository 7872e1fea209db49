locals {
  tags              = merge({ Name = var.name }, var.tags)
  www_domain        = "www.${var.domain_name}"
  api_origin_domain = "${var.origin_subdomain}.${var.domain_name}"
  spa_origin_id     = "spa-s3"
  api_origin_id     = "api-alb"

  # AWS-managed CloudFront policies: global, with fixed ids (CloudFront Developer Guide,
  # "Use managed cache policies" / "Use managed origin request policies").
  managed_cache_policy = {
    caching_optimized = "658327ea-f89d-4fab-a63d-7e88639e58f6"
    caching_disabled  = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
  }
}

################################################################################
# SPA bucket (private; CloudFront reads it through Origin Access Control)
################################################################################

resource "aws_s3_bucket" "spa" {
  #checkov:skip=CKV_AWS_144:The SPA is a build artefact: CI can rebuild and re-upload it, so a replica in a second region buys nothing.
  #checkov:skip=CKV2_AWS_62:No consumer of object events for static assets.
  #checkov:skip=CKV_AWS_18:Requests are logged at the edge (CloudFront) when spa_access_logs_bucket is set; S3 access logs would only show CloudFront itself.
  #checkov:skip=CKV_AWS_145:SSE-S3 on purpose: with a customer-managed key the key policy would have to trust this distribution before it exists, and the content is public web assets.
  bucket        = var.spa_bucket_name
  force_destroy = false

  tags = merge({ Name = var.spa_bucket_name }, var.tags)

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_s3_bucket_public_access_block" "spa" {
  bucket = aws_s3_bucket.spa.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "spa" {
  bucket = aws_s3_bucket.spa.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_versioning" "spa" {
  bucket = aws_s3_bucket.spa.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "spa" {
  bucket = aws_s3_bucket.spa.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "spa" {
  bucket = aws_s3_bucket.spa.id

  # Old builds stay a week for a quick rollback, then go.
  rule {
    id     = "expire-old-builds"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = 7
    }

    expiration {
      expired_object_delete_marker = true
    }
  }

  rule {
    id     = "abort-incomplete-multipart-uploads"
    status = "Enabled"

    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  depends_on = [aws_s3_bucket_versioning.spa]
}

resource "aws_cloudfront_origin_access_control" "spa" {
  name                              = "${var.name}-spa"
  description                       = "CloudFront signs its S3 requests (SigV4); the bucket trusts this distribution only"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

data "aws_iam_policy_document" "spa" {
  statement {
    sid       = "CloudFrontReadsThroughOac"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.spa.arn}/*"]

    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "AWS:SourceArn"
      values   = [aws_cloudfront_distribution.this.arn]
    }
  }

  statement {
    sid     = "DenyPlainHttp"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.spa.arn,
      "${aws_s3_bucket.spa.arn}/*",
    ]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "spa" {
  bucket = aws_s3_bucket.spa.id
  policy = data.aws_iam_policy_document.spa.json

  depends_on = [aws_s3_bucket_public_access_block.spa]
}

################################################################################
# Certificates: us-east-1 for CloudFront, the ALB's region for the origin
################################################################################

resource "aws_acm_certificate" "this" {
  provider = aws.us_east_1

  domain_name               = var.domain_name
  subject_alternative_names = [local.www_domain]
  validation_method         = "DNS"
  key_algorithm             = "EC_prime256v1"

  tags = local.tags

  lifecycle {
    create_before_destroy = true
  }
}

# The ALB's certificate (the ALB's region). CloudFront resolves <origin_subdomain>.<domain> to
# reach the ALB but forwards the viewer's Host (see the API origin request policy), and then
# checks the ALB's certificate against that Host: so it names the apex, www and the origin name.
resource "aws_acm_certificate" "origin" {
  domain_name               = var.domain_name
  subject_alternative_names = [local.www_domain, local.api_origin_domain]
  validation_method         = "DNS"
  key_algorithm             = "EC_prime256v1"

  tags = merge({ Name = "${var.name}-origin" }, var.tags)

  lifecycle {
    create_before_destroy = true
  }
}

# Keyed by name from the configuration (not from the certificate's computed options), so the
# plan knows the set of records before the certificates exist. ACM's validation record for a
# name is the same for every certificate of the account, so one record serves both.
resource "aws_route53_record" "certificate_validation" {
  for_each = toset([var.domain_name, local.www_domain, local.api_origin_domain])

  zone_id         = var.hosted_zone_id
  allow_overwrite = true
  ttl             = 300
  name = one([
    for o in setunion(aws_acm_certificate.this.domain_validation_options, aws_acm_certificate.origin.domain_validation_options) :
    o.resource_record_name if o.domain_name == each.key
  ])
  type = one([
    for o in setunion(aws_acm_certificate.this.domain_validation_options, aws_acm_certificate.origin.domain_validation_options) :
    o.resource_record_type if o.domain_name == each.key
  ])
  records = [one([
    for o in setunion(aws_acm_certificate.this.domain_validation_options, aws_acm_certificate.origin.domain_validation_options) :
    o.resource_record_value if o.domain_name == each.key
  ])]
}

resource "aws_acm_certificate_validation" "this" {
  provider = aws.us_east_1

  certificate_arn = aws_acm_certificate.this.arn
  validation_record_fqdns = [
    aws_route53_record.certificate_validation[var.domain_name].fqdn,
    aws_route53_record.certificate_validation[local.www_domain].fqdn,
  ]
}

resource "aws_acm_certificate_validation" "origin" {
  certificate_arn         = aws_acm_certificate.origin.arn
  validation_record_fqdns = [for record in aws_route53_record.certificate_validation : record.fqdn]
}

################################################################################
# Policies: security headers and the SPA router
################################################################################

resource "aws_cloudfront_response_headers_policy" "security" {
  name    = "${var.name}-security-headers"
  comment = "HSTS, nosniff, no framing, referrer policy (origin values win for CSP and Referrer-Policy)"

  security_headers_config {
    strict_transport_security {
      access_control_max_age_sec = 63072000
      include_subdomains         = var.hsts_include_subdomains
      preload                    = var.hsts_preload
      override                   = true
    }

    content_type_options {
      override = true
    }

    frame_options {
      frame_option = "DENY"
      override     = true
    }

    # The passport service sends its own stricter no-referrer and CSP; they are kept.
    referrer_policy {
      referrer_policy = "strict-origin-when-cross-origin"
      override        = false
    }

    content_security_policy {
      content_security_policy = "frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
      override                = false
    }
  }
}

# The services need the viewer's address (rate limits, passport view log). CloudFront states it
# in CloudFront-Viewer-Address, which only an origin request policy can add; with every viewer
# header (Authorization included: caching is disabled on these behaviours) that means Host is
# forwarded too, hence the origin certificate above.
resource "aws_cloudfront_origin_request_policy" "api" {
  name    = "${var.name}-api"
  comment = "Petshots API: all viewer headers, cookies and query strings, plus CloudFront-Viewer-Address"

  cookies_config {
    cookie_behavior = "all"
  }

  headers_config {
    header_behavior = "allViewerAndWhitelistCloudFront"

    headers {
      items = ["CloudFront-Viewer-Address"]
    }
  }

  query_strings_config {
    query_string_behavior = "all"
  }
}

resource "aws_cloudfront_function" "spa_router" {
  name    = "${var.name}-spa-router"
  runtime = "cloudfront-js-2.0"
  comment = "www -> apex redirect; client-side routes -> /index.html (SPA behaviour only)"
  publish = true
  code = templatefile("${path.module}/functions/viewer-request.js.tftpl", {
    redirect_host  = local.www_domain
    canonical_host = var.domain_name
  })
}

################################################################################
# Distribution
################################################################################

resource "aws_cloudfront_distribution" "this" {
  #checkov:skip=CKV_AWS_68:WAF is optional (web_acl_id): $5/month plus rules; the services rate-limit sign-up, login and passports themselves and the CAPTCHA guards sign-up.
  #checkov:skip=CKV2_AWS_47:Same: no WAF unless web_acl_id is set; no Java on the path (Log4j rule set).
  #checkov:skip=CKV_AWS_86:Access logs are optional (access_logs_bucket): they need an ACL-enabled bucket and cost per request.
  #checkov:skip=CKV_AWS_310:One ALB origin in one region; an origin group needs a second deployment to fail over to.
  #checkov:skip=CKV_AWS_374:Pet owners travel; passports are opened wherever the pet is. No geo restriction.
  comment             = "Petshots ${var.name}: SPA from S3, /api /auth /p to the ALB"
  enabled             = true
  is_ipv6_enabled     = true
  http_version        = "http2and3"
  price_class         = var.price_class
  aliases             = [var.domain_name, local.www_domain]
  default_root_object = "index.html"
  web_acl_id          = var.web_acl_id
  wait_for_deployment = false

  origin {
    origin_id                = local.spa_origin_id
    domain_name              = aws_s3_bucket.spa.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.spa.id
  }

  origin {
    origin_id   = local.api_origin_id
    domain_name = local.api_origin_domain

    custom_origin_config {
      http_port                = 80
      https_port               = 443
      origin_protocol_policy   = "https-only"
      origin_ssl_protocols     = ["TLSv1.2"]
      origin_read_timeout      = 30
      origin_keepalive_timeout = 5
    }
  }

  # The SPA. No custom error responses anywhere: they are distribution-wide in CloudFront and
  # would turn the API's 401/404/410 answers into index.html. The router function gives
  # client-side routes the app shell instead, on this behaviour only.
  default_cache_behavior {
    target_origin_id           = local.spa_origin_id
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD", "OPTIONS"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = local.managed_cache_policy.caching_optimized
    response_headers_policy_id = aws_cloudfront_response_headers_policy.security.id

    function_association {
      event_type   = "viewer-request"
      function_arn = aws_cloudfront_function.spa_router.arn
    }
  }

  # The services behind the ALB: never cached, every method, Authorization and the viewer's
  # address forwarded.
  dynamic "ordered_cache_behavior" {
    for_each = var.api_path_patterns

    content {
      path_pattern               = ordered_cache_behavior.value
      target_origin_id           = local.api_origin_id
      viewer_protocol_policy     = "redirect-to-https"
      allowed_methods            = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]
      cached_methods             = ["GET", "HEAD"]
      compress                   = true
      cache_policy_id            = local.managed_cache_policy.caching_disabled
      origin_request_policy_id   = aws_cloudfront_origin_request_policy.api.id
      response_headers_policy_id = aws_cloudfront_response_headers_policy.security.id
    }
  }

  viewer_certificate {
    acm_certificate_arn      = aws_acm_certificate_validation.this.certificate_arn
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  dynamic "logging_config" {
    for_each = var.access_logs_bucket == null ? [] : [var.access_logs_bucket]

    content {
      bucket          = logging_config.value
      prefix          = "cloudfront/${var.name}/"
      include_cookies = false
    }
  }

  tags = local.tags
}

################################################################################
# DNS: alias records for the apex and www, and the origin name of the ALB
################################################################################

resource "aws_route53_record" "alias" {
  for_each = {
    "apex-a"    = { name = var.domain_name, type = "A" }
    "apex-aaaa" = { name = var.domain_name, type = "AAAA" }
    "www-a"     = { name = local.www_domain, type = "A" }
    "www-aaaa"  = { name = local.www_domain, type = "AAAA" }
  }

  zone_id = var.hosted_zone_id
  name    = each.value.name
  type    = each.value.type

  alias {
    name                   = aws_cloudfront_distribution.this.domain_name
    zone_id                = aws_cloudfront_distribution.this.hosted_zone_id
    evaluate_target_health = false
  }
}

# The ALB only exists once the chart's Ingress is deployed; its name is fed back as `alb`
# (second apply, see docs/deploy.md). Until then /api, /auth and /p answer 502 at the edge.
resource "aws_route53_record" "api_origin" {
  count = var.alb == null ? 0 : 1

  zone_id = var.hosted_zone_id
  name    = local.api_origin_domain
  type    = "A"

  alias {
    name                   = var.alb.dns_name
    zone_id                = var.alb.zone_id
    evaluate_target_health = true
  }
}
