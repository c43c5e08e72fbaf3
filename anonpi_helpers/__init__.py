"""anon-pi: launch the pi coding agent inside a netcage jail."""

__version__ = "0.17.0"
