"""The only I/O: the netcage runner, workspace files, the terminal and the selector."""
