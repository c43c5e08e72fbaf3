"""`anon-pi config`: the settings of config.json and machine.json, and where each comes from."""
