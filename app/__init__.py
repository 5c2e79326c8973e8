"""Sprout parent console."""
