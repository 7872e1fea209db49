# State written before the stack existed holds every resource under a module call of this root
# (module.kms, module.network, ...). Each block below moves one whole call, with everything in
# it, to the same call inside module.stack: a plan over such a state shows moves, no creates
# and no destroys (terraform/tests/migration proves it with this root's wiring from git
# history). Keep these blocks as long as any state from before the move may exist.

moved {
  from = module.kms
  to   = module.stack.module.kms
}

moved {
  from = module.network
  to   = module.stack.module.network
}

moved {
  from = module.database
  to   = module.stack.module.database
}

moved {
  from = module.cache
  to   = module.stack.module.cache
}

moved {
  from = module.storage
  to   = module.stack.module.storage
}

moved {
  from = module.email
  to   = module.stack.module.email
}

moved {
  from = module.identity
  to   = module.stack.module.identity
}

moved {
  from = module.cdn
  to   = module.stack.module.cdn
}

moved {
  from = module.cluster
  to   = module.stack.module.cluster
}
