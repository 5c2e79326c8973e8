"""The game and app catalog: which running program is a game, a launcher, an emulator, school work or the OS.

    catalog = Catalog.load()                      # resources/catalog/apps.json, validated
    catalog.classify("RobloxPlayerBeta.exe")     # AppInfo(id="roblox", title="Roblox", kind="game", via="name")
"""

from agent.catalog.loader import AppCatalogError
from agent.catalog.lookup import Catalog
from agent.catalog.model import KINDS, AppInfo, Entry, normalize_name

__all__ = ["KINDS", "AppCatalogError", "AppInfo", "Catalog", "Entry", "normalize_name"]
