"""Pure rules every feature shares: names, addresses, errors, JSON format, config keys."""
