"""Second round of issue 13's rules: a blog listed under one Blogger domain is blocked under the others, and the
adult word list in more languages without new false alarms on ordinary words."""

from __future__ import annotations

import pytest

from agent.dns.classifier import Classifier, SeedIndex, WebRules
from agent.dns.keywords import default_model
from agent.dns.mirrors import canonical_alias

RULES = WebRules.from_web({"blocked_categories": ["adult"]})


@pytest.mark.parametrize("name, alias", [
    ("someblog.blogspot.de", "someblog.blogspot.com"),
    ("someblog.blogspot.com.br", "someblog.blogspot.com"),
    ("someblog.blogspot.co.uk", "someblog.blogspot.com"),
    ("www.someblog.blogspot.rs", "www.someblog.blogspot.com"),
    ("someblog.blogspot.com", None),       # already canonical
    ("blogspot.de.example.com", None),     # "blogspot" elsewhere in a name is nobody's mirror
    ("someblog.blogspot.shop", None),
    ("example.com", None),
])
def test_blogger_country_domains_are_the_same_blog(name: str, alias: str | None) -> None:
    assert canonical_alias(name) == alias


def test_a_blog_listed_under_one_blogger_domain_is_blocked_under_the_others() -> None:
    clf = Classifier(RULES, index=SeedIndex({"someblog.blogspot.com": "adult"}))
    for name in ("someblog.blogspot.de", "someblog.blogspot.com.ar", "someblog.blogspot.co.za"):
        decision = clf.classify(name)
        assert (decision.verdict, decision.category, decision.reason) == ("block", "adult", "list"), name
    assert clf.classify("otherblog.blogspot.de").verdict == "allow"  # one listed blog never blocks another


@pytest.mark.parametrize("name", ["hotupskirtpics.net", "bustybabes.net", "salopes-amateurs.fr", "bokepterbaru.site",
                                  "shemaletube.org", "gratis-nackt.de", "femdomworld.com", "livesexcams.ws"])
def test_more_adult_words_in_more_languages(name: str) -> None:
    assert default_model().category(name) == "adult", default_model().explain(name)


@pytest.mark.parametrize("name", ["swankyhotels.com", "possessorsguild.org", "cocktailrecipes.com",
                                  "documentcloud.org", "expertsexchange.com", "denudedforests.org",
                                  "pussycatdolls.com", "titanicmuseum.com", "massageschool.edu", "classicrock.com",
                                  "hancockcollege.edu", "analyticsacademy.org", "cumulusclouds.org"])
def test_ordinary_words_that_contain_an_adult_word_stay_ordinary(name: str) -> None:
    assert default_model().category(name) != "adult", default_model().explain(name)


@pytest.mark.parametrize("name, category", [("lauxanh.us", "adult"), ("phimnguoilon.net", "adult"),
                                            ("loanluan.site", "adult"), ("gamebaidoithuong.vip", "gambling"),
                                            ("nhacaiuytin.top", "gambling"), ("bacayonline.club", "gambling"),
                                            ("quayhu88.com", "gambling")])
def test_vietnamese_adult_and_betting_words(name: str, category: str) -> None:
    assert default_model().category(name) == category, default_model().explain(name)


@pytest.mark.parametrize("name", ["doithuongthe.vn", "nguoilon.vn", "thethao247.vn", "bongdaplus.vn",
                                  "diemthi.vnexpress.net", "thuvien.edu.vn", "baotintuc.vn"])
def test_vietnamese_ordinary_sites_stay_ordinary(name: str) -> None:
    assert default_model().category(name) is None, default_model().explain(name)
