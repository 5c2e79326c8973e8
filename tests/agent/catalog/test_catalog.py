"""The game/app catalog: the shipped data is complete and valid, and every matching rule does what it says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.catalog import AppCatalogError, AppInfo, Catalog, normalize_name


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


def test_ships_at_least_150_games_launchers_and_emulators(catalog: Catalog) -> None:
    playable = [e for e in catalog.entries() if e.kind in ("game", "launcher", "emulator")]
    assert len(playable) >= 150
    for e in playable:
        assert any(e.exe.values()), e.id


@pytest.mark.parametrize("app_id,kind", [
    ("league-of-legends", "game"), ("valorant", "game"), ("fc-online", "game"), ("roblox", "game"),
    ("minecraft", "game"), ("genshin-impact", "game"), ("pubg", "game"), ("cs2", "game"), ("dota2", "game"),
    ("audition", "game"), ("vo-lam-truyen-ky", "game"), ("dot-kich", "game"), ("mu-online", "game"),
    ("bluestacks", "emulator"), ("ldplayer", "emulator"), ("noxplayer", "emulator"), ("memu", "emulator"),
    ("gameloop", "emulator"), ("steam", "launcher"), ("epic-games", "launcher"), ("riot-client", "launcher"),
    ("garena", "launcher"), ("battle-net", "launcher"), ("ea-app", "launcher"), ("ubisoft-connect", "launcher"),
    ("tlauncher", "launcher"), ("azota", "school"), ("olm", "school"), ("vioedu", "school"), ("hocmai", "school"),
    ("k12online", "school"), ("zoom", "app"), ("teams", "app"), ("discord", "app"), ("zalo", "app"),
    ("messenger", "app"), ("word", "app"), ("chrome", "browser"), ("coccoc", "browser"), ("windows-shell", "system"),
])
def test_titles_children_here_use_are_present(catalog: Catalog, app_id: str, kind: str) -> None:
    entry = catalog.get(app_id)
    assert entry is not None, app_id
    assert entry.kind == kind


def test_get_unknown_id_is_none(catalog: Catalog) -> None:
    assert catalog.get("no-such-game") is None


@pytest.mark.parametrize("name,expected", [
    ("RobloxPlayerBeta.exe", "roblox"), ("robloxplayerbeta", "roblox"), ("ROBLOXPLAYERBETA.EXE", "roblox"),
    ("C:\\Riot Games\\League of Legends\\League of Legends.exe", "league-of-legends"),
    ("VALORANT-Win64-Shipping.exe", "valorant"), ("HD-Player.exe", "bluestacks"), ("dnplayer.exe", "ldplayer"),
    ("Nox.exe", "noxplayer"), ("MEmu.exe", "memu"), ("AndroidEmulatorEn.exe", "gameloop"), ("fczf.exe", "fc-online"),
    ("Minecraft.app", "minecraft"), ("cs2", "cs2"), ("GenshinImpact.exe", "genshin-impact"), ("crossfire.exe", "dot-kich"),
])
def test_name_matching_ignores_case_and_suffix(catalog: Catalog, name: str, expected: str) -> None:
    info = catalog.classify(name)
    assert info is not None and info.id == expected and info.via == "name"


def test_unknown_process_is_none(catalog: Catalog) -> None:
    assert catalog.classify("my-homework-helper.exe") is None
    assert catalog.classify("") is None


def test_emulator_counts_as_game_kind(catalog: Catalog) -> None:
    info = catalog.classify("HD-Player.exe")
    assert info == AppInfo("bluestacks", "BlueStacks", "emulator", "name")


def test_renamed_game_inside_a_steam_library_is_found_by_path(catalog: Catalog) -> None:
    info = catalog.classify("totally_homework.exe",
                            path="D:\\SteamLibrary\\steamapps\\common\\dota 2 beta\\game\\bin\\win64\\totally_homework.exe")
    assert info is not None and (info.id, info.kind, info.via) == ("dota2", "game", "path")


def test_unknown_game_in_a_library_folder_gets_the_folder_as_id(catalog: Catalog) -> None:
    info = catalog.classify("hk.exe", path="C:\\Program Files (x86)\\Steam\\steamapps\\common\\Hollow Knight 2\\hk.exe")
    assert info == AppInfo("hollow-knight-2", "Hollow Knight 2", "game", "path")
    linux = catalog.classify("x", path="/home/an/.local/share/Steam/steamapps/common/Some Indie/bin/x")
    assert linux == AppInfo("some-indie", "Some Indie", "game", "path")


def test_game_folder_beats_the_launchers_own_folder(catalog: Catalog) -> None:
    # Steam's folder contains steamapps/common; the game's own sub-folder is the more specific match.
    info = catalog.classify("r.exe", path="C:\\Program Files (x86)\\Steam\\steamapps\\common\\Terraria\\r.exe")
    assert info is not None and info.id == "terraria"
    own = catalog.classify("updater.exe", path="C:\\Program Files (x86)\\Steam\\bin\\updater.exe")
    assert own is not None and own.id == "steam" and own.kind == "launcher"


def test_file_directly_in_library_folder_is_not_a_game(catalog: Catalog) -> None:
    assert catalog.classify("x.exe", path="E:\\Games\\steamapps\\common\\x.exe") is None


def test_minecraft_java_found_by_its_runtime_path(catalog: Catalog) -> None:
    info = catalog.classify("javaw.exe", path="C:\\Users\\An\\AppData\\Roaming\\.minecraft\\runtime\\bin\\javaw.exe")
    assert info is not None and info.id == "minecraft" and info.via == "path"


def test_child_of_a_launcher_is_a_game_unless_a_helper(catalog: Catalog) -> None:
    game = catalog.classify("RenamedGame.exe", parent_names=["steam.exe"])
    assert game == AppInfo("renamedgame", "RenamedGame", "game", "launcher")
    helper = catalog.classify("steamwebhelper.exe", parent_names=["steam.exe"])
    assert helper is not None and helper.id == "steam" and helper.kind == "launcher"
    riot = catalog.classify("RiotClientUxRender.exe", parent_names=["RiotClientServices.exe"])
    assert riot is not None and riot.kind == "launcher"


def test_launcher_found_through_a_shell_between(catalog: Catalog) -> None:
    info = catalog.classify("game.x86_64", parent_names=["sh", "reaper", "steam"])
    assert info is not None and info.kind == "game" and info.via == "launcher"


def test_a_browser_or_app_between_stops_the_launcher_rule(catalog: Catalog) -> None:
    assert catalog.classify("unknown_tool", parent_names=["chrome", "steam"]) is None


def test_minecraft_launchers_children_are_minecraft(catalog: Catalog) -> None:
    info = catalog.classify("javaw.exe", parent_names=["TLauncher.exe"])
    assert info is not None and info.id == "minecraft" and info.via == "launcher"
    prism = catalog.classify("java", parent_names=["prismlauncher"])
    assert prism is not None and prism.id == "minecraft"


def test_emulator_worker_counts_as_the_emulator(catalog: Catalog) -> None:
    info = catalog.classify("SomeWorker.exe", parent_names=["dnplayer.exe"])
    assert info is not None and info.id == "ldplayer" and info.kind == "emulator" and info.via == "launcher"


def test_child_of_a_known_game_is_that_game(catalog: Catalog) -> None:
    info = catalog.classify("helper_x.exe", parent_names=["RobloxPlayerBeta.exe"])
    assert info is not None and info.id == "roblox" and info.via == "launcher"


def test_windows_version_info_identifies_a_renamed_exe(catalog: Catalog) -> None:
    by_product = catalog.classify("bai_tap.exe", metadata={"ProductName": "League of Legends"})
    assert by_product is not None and by_product.id == "league-of-legends" and by_product.via == "metadata"
    by_file = catalog.classify("bai_tap.exe", metadata={"ProductName": "", "OriginalFilename": "RobloxPlayerBeta.exe"})
    assert by_file is not None and by_file.id == "roblox" and by_file.via == "metadata"
    assert catalog.classify("bai_tap.exe", metadata={"ProductName": "Homework"}) is None


def test_system_name_only_trusted_from_system_folders(catalog: Catalog) -> None:
    real = catalog.classify("explorer.exe", path="C:\\Windows\\explorer.exe")
    assert real is not None and real.kind == "system"
    fake = catalog.classify("explorer.exe", path="C:\\Users\\An\\Downloads\\game\\explorer.exe")
    assert fake is None or fake.kind != "system"
    # a renamed game in a library folder pretending to be the shell is still the game
    disguised = catalog.classify("gnome-shell", path="/home/an/.local/share/Steam/steamapps/common/Terraria/gnome-shell")
    assert disguised is not None and disguised.id == "terraria"
    # without a path (another user's process) the name is all there is
    assert catalog.classify("svchost.exe") == AppInfo("windows-core", "Windows core", "system", "name")


def test_parent_marks_make_an_app_a_game_or_school(catalog: Catalog) -> None:
    marked = catalog.with_marks(games=["discord", "mytool"], school=["roblox"])
    assert marked.classify("Discord.exe") == AppInfo("discord", "Discord", "game", "name")
    assert marked.classify("mytool.exe") == AppInfo("mytool", "mytool", "game", "name")
    assert marked.classify("RobloxPlayerBeta.exe").kind == "school"  # type: ignore[union-attr]
    assert catalog.classify("Discord.exe").kind == "app"  # type: ignore[union-attr]  # the original is unchanged


def test_normalize_name() -> None:
    assert normalize_name("C:\\Games\\Minecraft.EXE") == "minecraft"
    assert normalize_name("/Applications/Roblox.app/") == "roblox"
    assert normalize_name("Terraria.bin.x86_64") == "terraria.bin"
    assert normalize_name(".exe") == ".exe"


# -- validation: clear `file: entry[i].field: reason`, nothing half-loaded -------------------------------------

def _write(tmp_path: Path, doc: object) -> Path:
    p = tmp_path / "apps.json"
    p.write_text(json.dumps(doc) if not isinstance(doc, str) else doc, encoding="utf-8")
    return p


def _entry(**kw: object) -> dict[str, object]:
    base: dict[str, object] = {"id": "g", "title": "G", "kind": "game", "exe": {"windows": ["g.exe"]}}
    base.update(kw)
    return base


def _error(path: Path) -> str:
    with pytest.raises(AppCatalogError) as exc:
        Catalog.load(path)
    return str(exc.value)


def test_small_valid_file_loads(tmp_path: Path) -> None:
    c = Catalog.load(_write(tmp_path, {"schema": 1, "entries": [_entry()]}))
    assert len(c) == 1 and c.classify("G.EXE") == AppInfo("g", "G", "game", "name")


def test_invalid_json_says_line_and_column(tmp_path: Path) -> None:
    p = _write(tmp_path, '{"schema": 1,\n "entries": [,]}')
    msg = _error(p)
    assert msg.startswith(f"{p}: line 2 column") and "invalid JSON" in msg


def test_missing_file(tmp_path: Path) -> None:
    assert "file not found" in _error(tmp_path / "nope.json")


@pytest.mark.parametrize("entry,fragment", [
    (_entry(kind="toy"), "entry[1].kind: must be one of"),
    (_entry(id="Bad Id"), "entry[1].id: must be lower-case"),
    (_entry(title=""), "entry[1].title: must be a non-empty string"),
    (_entry(exe={}), "entry[1].exe: at least one executable name is needed"),
    (_entry(exe={"amiga": ["g"]}), "entry[1].exe.amiga: unknown OS"),
    (_entry(exe={"windows": "g.exe"}), "entry[1].exe.windows: must be a list of strings"),
    (_entry(helpers=["x"]), "entry[1].helpers: only launchers and emulators have helpers"),
    (_entry(colour="red"), "entry[1].colour: unknown field"),
    (_entry(id="ok", exe={"linux": ["first"]}), "entry[1].exe: 'first' already belongs to 'first-id'"),
    (_entry(id="first-id"), "entry[1].id: 'first-id' already used by entry[0]"),
    (_entry(kind="launcher", children_are="ghost"), "entry[1].children_are: no entry has id 'ghost'"),
])
def test_bad_entry_is_reported_with_where_and_why(tmp_path: Path, entry: dict[str, object], fragment: str) -> None:
    first = {"id": "first-id", "title": "First", "kind": "app", "exe": {"linux": ["first"]}}
    p = _write(tmp_path, {"schema": 1, "entries": [first, entry]})
    msg = _error(p)
    assert msg.startswith(f"{p}: ")
    assert fragment in msg


def test_many_problems_are_all_collected(tmp_path: Path) -> None:
    p = _write(tmp_path, {"schema": 2, "entries": [_entry(kind="x", id="A A"), "nope"]})
    with pytest.raises(AppCatalogError) as exc:
        Catalog.load(p)
    problems = exc.value.problems
    assert any("schema: must be 1" in m for m in problems)
    assert any("entry[0].kind" in m for m in problems) and any("entry[0].id" in m for m in problems)
    assert any("entry[1]: must be an object" in m for m in problems)


def test_top_level_must_be_object(tmp_path: Path) -> None:
    assert "top level" in _error(_write(tmp_path, "[1, 2]"))
    assert "entries: must be a non-empty list" in _error(_write(tmp_path, {"schema": 1, "entries": []}))


# -- `sprout-agent catalog …` (the module's own parser; agent/cli.py lists it as "catalog") ----------------------

def _cli(argv: list[str]) -> int:
    import argparse

    from agent.catalog import cli_cmd

    parser = argparse.ArgumentParser(prog="sprout-agent")
    cli_cmd.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.func(args)


def test_cli_check_and_classify(capsys: pytest.CaptureFixture[str]) -> None:
    assert _cli(["catalog", "check"]) == 0
    assert capsys.readouterr().out.startswith("ok: ")
    assert _cli(["catalog", "classify", "x.exe", "--parent", "steam.exe"]) == 0
    assert "kind=game matched by launcher" in capsys.readouterr().out
    assert _cli(["catalog", "list", "--kind", "school"]) == 0
    assert "azota" in capsys.readouterr().out


def test_cli_bad_file_is_one_clear_line(tmp_path: Path) -> None:
    from agent.errors import CliError

    bad = _write(tmp_path, {"schema": 1, "entries": [_entry(kind="toy")]})
    with pytest.raises(CliError) as exc:
        _cli(["catalog", "--file", str(bad), "check"])
    assert str(exc.value).startswith(f"{bad}: entry[0].kind:")
