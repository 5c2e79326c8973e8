"""One adapter per OS concern (processes, foreground app, idle/lock, session control, system resolver)."""
