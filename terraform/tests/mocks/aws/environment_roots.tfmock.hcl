# Ids known at plan time for the resources an environment's plan hands from one module to
# another (subnets, security groups, ARNs in policies, the pool's issuer, the DKIM tokens the
# DNS records are made from), so every module's validations see real-looking values. The
# addresses are those of an environment root (module.stack.module.<call>): elsewhere they
# match nothing. The ids name no environment (a test file's own override would win).
#
# tests/migration's mocked apply of the old wiring gives the same values, so its plan of the
# current root over that state sees the same ids.

override_resource {
  target          = module.stack.module.email.aws_ses_domain_identity_verification.this
  override_during = plan
  values = {
    arn = "arn:aws:ses:us-east-1:123456789012:identity/petshots.example"
  }
}

override_resource {
  target          = module.stack.module.kms.aws_kms_key.this
  override_during = plan
  values = {
    arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
  }
}

override_resource {
  target          = module.stack.module.network.aws_vpc.this
  override_during = plan
  values = {
    id = "vpc-0123456789abcdef0"
  }
}

override_resource {
  target          = module.stack.module.network.aws_subnet.app
  override_during = plan
  values = {
    id = "subnet-00000000000000a00"
  }
}

override_resource {
  target          = module.stack.module.network.aws_subnet.data
  override_during = plan
  values = {
    id = "subnet-00000000000000d00"
  }
}

override_resource {
  target          = module.stack.module.network.aws_security_group.app
  override_during = plan
  values = {
    id = "sg-0000000000000a990"
  }
}

override_resource {
  target          = module.stack.module.storage.aws_s3_bucket.this
  override_during = plan
  values = {
    id  = "petshots-mock-uploads-123456789012"
    arn = "arn:aws:s3:::petshots-mock-uploads-123456789012"
  }
}

override_resource {
  target          = module.stack.module.email.aws_sesv2_email_identity.this
  override_during = plan
  values = {
    arn = "arn:aws:ses:us-east-1:123456789012:identity/petshots.example"
    dkim_signing_attributes = {
      tokens = ["tokena", "tokenb", "tokenc"]
    }
  }
}

override_resource {
  target          = module.stack.module.email.aws_sesv2_configuration_set.this
  override_during = plan
  values = {
    arn = "arn:aws:ses:us-east-1:123456789012:configuration-set/petshots-mock"
  }
}

override_resource {
  target          = module.stack.module.email.aws_sqs_queue.feedback
  override_during = plan
  values = {
    arn = "arn:aws:sqs:us-east-1:123456789012:petshots-mock-ses-feedback"
  }
}

override_resource {
  target          = module.stack.module.identity.aws_cognito_user_pool.this
  override_during = plan
  values = {
    id       = "us-east-1_Mock"
    arn      = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Mock"
    endpoint = "cognito-idp.us-east-1.amazonaws.com/us-east-1_Mock"
  }
}

override_resource {
  target          = module.stack.module.identity.aws_secretsmanager_secret.turnstile
  override_during = plan
  values = {
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:petshots-mock/turnstile-secret-key-AbC123"
  }
}

override_resource {
  target          = module.stack.module.cluster.aws_eks_cluster.this
  override_during = plan
  values = {
    identity = [{
      oidc = [{ issuer = "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE" }]
    }]
    vpc_config = {
      cluster_security_group_id = "sg-0000000000000c100"
    }
  }
}
