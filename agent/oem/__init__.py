"""A device maker's (OEM) preinstall, one module a concern: oem.toml (config), the brand logo (logo), the first
start that turns them into the default policy (first_start), factory reset (reset) and its command (cli_cmd).

The command is not imported here: it needs the protection guard (agent.service.protect), which itself reads
oem.toml, and a package that imported both would be an import cycle."""

from agent.oem.config import OemConfig, OemError, build_policy, default_path, load_oem, parse_oem
from agent.oem.first_start import FIRST_START_MARKER, OEM_POLICY, first_start
from agent.oem.logo import LOGO_MAX_BYTES, BrandLogo, LogoError, check_logo, logo_type, read_logo
from agent.oem.reset import factory_reset

__all__ = ["FIRST_START_MARKER", "LOGO_MAX_BYTES", "OEM_POLICY", "BrandLogo", "LogoError", "OemConfig", "OemError",
           "build_policy", "check_logo", "default_path", "factory_reset", "first_start", "load_oem", "logo_type",
           "parse_oem", "read_logo"]
