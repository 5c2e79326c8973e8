"""The child's companion: a small Qt program in the child's session that talks only to the local service."""
