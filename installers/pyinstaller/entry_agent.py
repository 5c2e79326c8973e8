"""Bundle entry for `sprout-agent` (the service and its maintenance commands)."""

import sys

from agent import cli

# Subcommands the package's maintainer scripts need. agent/cli.py is expected to list them too; setdefault keeps
# its entries when it does, so this only fills the gap until then.
BUNDLE_COMMANDS = {
    "unlock": "agent.service.protect",
    "factory-reset": "agent.oem.cli_cmd",
    "list-update": "agent.dns.listupdate",
    "system": "sprout_system",
}
for _name, _module in BUNDLE_COMMANDS.items():
    cli.COMMANDS.setdefault(_name, _module)

if __name__ == "__main__":
    sys.exit(cli.main())
