"""Shell integration: the completion generator and its scripts."""
