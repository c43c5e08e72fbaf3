"""A verb's command line parsed alone, for tests of what the parse makes of it."""


def parsed(*argv: str):
    """A verb's command line as cli.py reads it (core/command_line.py), without running it."""
    from anonpi_helpers.core.command_line import parse, split_verb, verb_command

    verb, tokens = split_verb(list(argv))
    cmd, rest = verb_command(verb, tokens)
    return parse(cmd, rest)
