"""Public pet passports."""
