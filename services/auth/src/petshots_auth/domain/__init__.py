"""The auth service's domains: identity (sign-up, login, tokens), account, unsubscribe."""
