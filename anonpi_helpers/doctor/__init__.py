"""doctor: the checks and their verdicts."""
