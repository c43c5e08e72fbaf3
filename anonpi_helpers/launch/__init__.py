"""The launch verb: grammar, resolution, run plan, seed script, identity, sessions, menu."""
