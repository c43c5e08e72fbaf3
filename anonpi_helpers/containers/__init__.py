"""image snapshot/list, forward/ports, and parsing what netcage prints about them."""
