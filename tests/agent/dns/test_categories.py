"""The shipped category catalog and its domain lists: complete, valid, and free of help/education sites."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from agent.dns.categories import CatalogError, category_of, iter_domains, load_categories, normalize_domain
from agent.resources import resource_path

REQUIRED = {"adult", "gambling", "games", "social", "chat-strangers", "dating", "drugs", "violence", "self-harm",
            "bypass", "malware", "video"}
NEVER_BLOCKED = ["plannedparenthood.org", "scarleteen.com", "who.int", "kidshealth.org", "amaze.org",
                 "sexetc.org", "befrienders.org", "samaritans.org", "988lifeline.org", "tongdai111.vn",
                 "samhsa.gov", "drugabuse.gov", "begambleaware.org", "wikipedia.org", "zalo.me"]


@pytest.fixture(scope="module")
def cats():
    return load_categories()


def test_at_least_the_twelve_required_categories(cats):
    assert set(cats) >= REQUIRED


def test_every_category_has_both_languages_a_licence_and_a_sizeable_list(cats):
    for cat in cats.values():
        assert cat.title["vi"] and cat.title["en"] and cat.title["vi"] != cat.title["en"]
        assert len(cat.description["vi"]) > 40 and len(cat.description["en"]) > 40
        assert cat.licence and cat.source
        assert any("UT1" in s and "CC BY-SA" in s for s in cat.larger_lists), cat.name
        names = list(iter_domains(cat, strict=True))  # strict: every shipped line is a valid name
        assert len(names) == len(set(names)), f"{cat.name}: duplicate lines"
        assert len(names) >= (4 if cat.name == "self-harm" else 20), cat.name


def test_vietnam_betting_brands_and_doh_resolvers_are_listed(cats):
    gambling = set(iter_domains(cats["gambling"]))
    for brand in ["fb88.com", "w88.com", "188bet.com", "12bet.com", "m88.com", "v9bet.com", "fun88.com",
                  "dafabet.com", "kubet.com", "789bet.com", "new88.com", "jun88.com", "hi88.com", "shbet.com",
                  "f8bet.com", "8xbet.com", "mu88.com", "one88.com", "okvip.com"]:
        assert brand in gambling
    bypass = set(iter_domains(cats["bypass"]))
    for doh in ["dns.google", "cloudflare-dns.com", "mozilla.cloudflare-dns.com", "dns.quad9.net",
                "doh.opendns.com", "dns.nextdns.io"]:
        assert doh in bypass


def test_health_education_and_help_sites_are_on_no_list(cats):
    listed = {name for cat in cats.values() for name in iter_domains(cat)}
    for site in NEVER_BLOCKED:
        assert site not in listed
        assert category_of(site, cats) is None


def test_category_of_matches_parent_domains(cats):
    assert category_of("www.pornhub.com", cats) == "adult"
    assert category_of("cdn.x.w88.com", cats) == "gambling"
    assert category_of("notpornhub.com", cats) is None  # a suffix match must follow a dot


def test_default_ages_agree_with_the_age_presets(cats):
    for preset in sorted(resource_path("presets").glob("age-*.json")):
        doc = json.loads(preset.read_text(encoding="utf-8"))
        lo, hi = doc["ages"] if isinstance(doc["ages"], list) else (doc["ages"]["from"], doc["ages"]["to"])
        blocked = set(doc["policy"]["web"]["blocked_categories"])
        for cat in cats.values():
            expected = cat.blocked_by_default_at(lo) and cat.blocked_by_default_at(hi)
            assert (cat.name in blocked) == expected, f"{preset.name}: {cat.name}"


def test_catalog_names_feed_the_policy_validator(cats):
    from agent.policy import known_categories

    assert known_categories() == set(cats)


def test_normalize_domain():
    assert normalize_domain("WWW.Example.COM.") == "www.example.com"
    assert normalize_domain("*.example.com") == "example.com"
    assert normalize_domain("bücher.de") == "xn--bcher-kva.de"
    for bad in ["", "localhost", "-bad.com", "a..b", "exa mple.com", "x" * 64 + ".com"]:
        assert normalize_domain(bad) is None


def _copy_catalog(tmp_path: Path) -> Path:
    dest = tmp_path / "categories"
    shutil.copytree(resource_path("categories"), dest)
    return dest / "catalog.json"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["categories"]["adult"].pop("licence"), "categories.adult.licence: missing"),
        (lambda d: d["categories"]["adult"]["title"].pop("vi"), "categories.adult.title.vi: missing or empty"),
        (lambda d: d["categories"]["adult"].update(default_block_from_age=19), "default_block_from_age: must be"),
        (lambda d: d["categories"]["adult"].update(domains="../../etc/passwd"), "categories.adult.domains:"),
        (lambda d: d["categories"]["adult"].update(domains="nope/domains"), "does not exist"),
        (lambda d: d["categories"].update({"Bad Name": d["categories"]["adult"]}), "name must be lower-case"),
        (lambda d: d.update(schema=2), "schema: must be 1"),
    ],
)
def test_bad_catalog_gives_file_field_reason(tmp_path, mutate, message):
    path = _copy_catalog(tmp_path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    mutate(doc)
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_categories(path)
    assert str(path) in str(err.value) and message in str(err.value)


def test_unreadable_catalog_is_a_clear_error(tmp_path):
    path = tmp_path / "catalog.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CatalogError, match="not valid UTF-8 JSON"):
        load_categories(path)
    with pytest.raises(CatalogError, match="missing file"):
        load_categories(tmp_path / "absent.json")


def test_bad_list_lines_are_skipped_or_reported_with_line_number(tmp_path):
    path = _copy_catalog(tmp_path)
    domains = path.parent / "adult" / "domains"
    domains.write_text("# comment\ngood.example  # trailing comment\n\nnot a domain\nother.example\n", encoding="utf-8")
    cat = load_categories(path)["adult"]
    assert list(iter_domains(cat)) == ["good.example", "other.example"]
    with pytest.raises(CatalogError, match=r"domains: line 4: 'not a domain'"):
        list(iter_domains(cat, strict=True))


def test_docs_describe_every_category(cats):
    text = (resource_path().parent / "docs" / "categories.md").read_text(encoding="utf-8")
    for cat in cats.values():
        assert f"`{cat.name}`" in text and cat.description["en"] in text and cat.description["vi"] in text
