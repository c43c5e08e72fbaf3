"""Machine verbs, carry-over, and --delete-home / --delete-project."""
