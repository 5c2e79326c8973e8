"""Errors shared across the agent's modules."""


class CliError(Exception):
    """A problem with the user's input: printed as one clear line, exit code 2, never a traceback."""
