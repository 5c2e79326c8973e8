"""The child's companion: a small Qt program in the child's session that talks only to the local service.

Importing it starts agent.companion.none_guard when needed: PySide6 6.12.0 on Python 3.11 leaks references to
None on every void Qt call and would abort the process after a few thousand calls (see that module).
"""

from agent.companion import none_guard

none_guard.install()
