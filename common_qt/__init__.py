"""Qt helpers shared by Sprout's two Qt faces: the child's companion (agent/companion) and the parent's console
(app/gui). The service core never imports this package (tests/project/test_architecture.py); it imports only PySide6 and
agent.resources."""
