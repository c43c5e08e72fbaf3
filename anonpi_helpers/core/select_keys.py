"""The key help every selector header ends with (menu and pickers alike, interactive §7.9).

Shared by the launch menu and the container pickers, so it lives in core.
"""

SELECT_KEYS = "(\u2191/\u2193 or j/k move, Enter select, q/Esc/Ctrl-C quit)"
