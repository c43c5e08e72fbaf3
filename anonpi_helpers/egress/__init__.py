"""`anon-pi egress`: what left the jails, from the launches' egress logs."""
