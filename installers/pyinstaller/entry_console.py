"""Bundle entry for `sprout-console` (the parent's console: command line and GUI)."""

import sys

from agent import __version__


def qt_version() -> str:
    # Start a real QApplication so the smoke test proves the bundled Qt libraries and platform plugin load.
    from PySide6.QtCore import qVersion
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    del app
    return qVersion()


if __name__ == "__main__":
    if sys.argv[1:] == ["--version"]:
        print(f"sprout-console {__version__} (Qt {qt_version()})")
        sys.exit(0)
    from app import cli

    sys.exit(cli.main())
