"""Sprout agent: the service on the child's PC (never imports Qt outside companion/)."""

__version__ = "0.1.0"
