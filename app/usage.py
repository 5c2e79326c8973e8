"""The console command line's one error for a wrong command (its subcommand modules raise it too), apart from
app.cli so that they need not import it back."""

from __future__ import annotations


class UsageError(Exception):
    pass
