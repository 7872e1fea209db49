# Ends tests/migration: forgets the mocked resources the pre-stack run applied, without
# destroying them, so the test's clean-up does not trip over their prevent_destroy. Mock state
# only; never apply this to a real environment.

removed {
  from = module.kms

  lifecycle {
    destroy = false
  }
}

removed {
  from = module.network

  lifecycle {
    destroy = false
  }
}

removed {
  from = module.database

  lifecycle {
    destroy = false
  }
}

removed {
  from = module.cache

  lifecycle {
    destroy = false
  }
}

removed {
  from = module.storage

  lifecycle {
    destroy = false
  }
}

removed {
  from = module.email

  lifecycle {
    destroy = false
  }
}

removed {
  from = module.identity

  lifecycle {
    destroy = false
  }
}

removed {
  from = module.cdn

  lifecycle {
    destroy = false
  }
}

removed {
  from = module.cluster

  lifecycle {
    destroy = false
  }
}
