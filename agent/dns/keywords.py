"""Keyword heuristics for names on no category list (e.g. a betting brand's mirror of the week).

A name is cut into tokens: labels on dots, then on hyphens and digits, then each run of letters is segmented
over a vocabulary (keywords plus ordinary words that happen to contain one, such as "essex" or "analytics"), so
"hotsexvideos" gives hot|sex|videos while "expertsexchange" gives experts|exchange. Each category sums the
weights of its keywords; boosters count only once a keyword is present, neutralizers ("health", "help",
"prevention" ...) pull the score down so that help and education sites pass. An explicit allowlist of domains
is checked first. The data lives in resources/categories/keywords.json so it can be tuned without code.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from agent.resources import resource_path

SEGMENT_MEMO_SIZE = 4096
_SPLIT = re.compile(r"[^a-z]+")  # hyphens, digits, underscores: all token boundaries
_MAX_NAME = 253


class KeywordError(ValueError):
    """keywords.json is unusable; the message says file: field: reason."""


@dataclass(frozen=True)
class Verdict:
    """Why a name got (or did not get) a category: for the classify CLI and for tests."""

    domain: str
    category: str | None
    scores: dict[str, float] = field(default_factory=dict)
    tokens: tuple[str, ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class _Weights:
    keywords: dict[str, float]
    boosters: dict[str, float]
    neutralizers: dict[str, float]


class KeywordModel:
    def __init__(self, data: dict[str, Any], source: Path) -> None:
        where = str(source)
        self.threshold = _number(data, "threshold", where)
        cats = data.get("categories")
        if not isinstance(cats, dict) or not cats:
            raise KeywordError(f"{where}: categories: must be a non-empty object")
        self.weights: dict[str, _Weights] = {}
        for name, entry in cats.items():
            if not isinstance(entry, dict):
                raise KeywordError(f"{where}: categories.{name}: must be an object")
            parts = {}
            for kind in ("keywords", "boosters", "neutralizers"):
                table = entry.get(kind, {})
                if not isinstance(table, dict):
                    raise KeywordError(f"{where}: categories.{name}.{kind}: must be an object of word: weight")
                for word, weight in table.items():
                    path = f"{where}: categories.{name}.{kind}.{word}"
                    if not re.fullmatch(r"[a-z]+[0-9]*[a-z]*", word):
                        raise KeywordError(f"{path}: words are lower-case ASCII letters (and digits)")
                    if isinstance(weight, bool) or not isinstance(weight, int | float):
                        raise KeywordError(f"{path}: weight must be a number, got {weight!r}")
                    if kind == "neutralizers" and weight > 0:
                        raise KeywordError(f"{path}: a neutralizer's weight must be zero or negative")
                    if kind != "neutralizers" and not 0 < weight <= 2:
                        raise KeywordError(f"{path}: weight must be above 0 and at most 2")
                parts[kind] = {w: float(v) for w, v in table.items()}
            self.weights[name] = _Weights(**parts)
        priority = data.get("priority", [])
        if not isinstance(priority, list) or set(priority) != set(self.weights):
            raise KeywordError(f"{where}: priority: must list every category exactly once")
        self.priority = {name: i for i, name in enumerate(priority)}
        self.brands: list[tuple[re.Pattern[str], str]] = []
        for cat, brands in _obj(data, "brands", where).items():
            self._known(cat, f"{where}: brands.{cat}")
            if not isinstance(brands, list) or not all(isinstance(b, str) and b.isalnum() for b in brands):
                raise KeywordError(f"{where}: brands.{cat}: must be a list of lower-case letters and digits")
            # A brand counts where a label starts with it or it follows a digit or hyphen: w88 in "w88vn1"
            # or "link-w88" but not in "aw88"; mirrors append anything after the brand.
            alternatives = "|".join(sorted((re.escape(b.lower()) for b in brands), key=len, reverse=True))
            self.brands.append((re.compile(rf"(?<![a-z])(?:{alternatives})"), cat))
        phishing = _obj(data, "phishing", where)
        self.phishing_category = str(phishing.get("category", ""))
        self._known(self.phishing_category, f"{where}: phishing.category")
        self.phishing_brands = frozenset(_words(phishing, "brands", f"{where}: phishing"))
        self.phishing_cues = frozenset(_words(phishing, "cues", f"{where}: phishing"))
        self.tlds: dict[str, str] = {}
        for tld, cat in _obj(data, "tlds", where).items():
            self._known(cat, f"{where}: tlds.{tld}")
            self.tlds[tld] = cat
        self.allow = frozenset(d.lower().rstrip(".") for d in _words(data, "allow_domains", where))
        self.suffixes = frozenset(_words(data, "second_level_suffixes", where))
        vocab = set(_words(data, "vocabulary", where))
        for w in self.weights.values():
            vocab.update(w.keywords, w.boosters, w.neutralizers)
        vocab.update(self.phishing_brands, self.phishing_cues)
        self.vocabulary = frozenset(v for v in vocab if v.isalpha())
        self._longest = max(len(v) for v in self.vocabulary)
        # letter run → its words. Runs repeat across names far more than names do (www, cdn, api, static, the
        # registrable word of every subdomain), and segmenting one is most of a keyword guess's cost. Emptied when
        # full; single dict operations need no lock.
        self._segments: dict[str, tuple[str, ...]] = {}

    def _known(self, cat: str, where: str) -> None:
        if cat not in self.weights:
            raise KeywordError(f"{where}: unknown category {cat!r}")

    @classmethod
    def from_file(cls, path: Path) -> KeywordModel:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise KeywordError(f"{path}: cannot read: {exc.strerror}") from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise KeywordError(f"{path}: not valid UTF-8 JSON: {exc}") from exc
        if not isinstance(data, dict) or data.get("schema") != 1:
            raise KeywordError(f"{path}: schema: must be an object with schema 1")
        return cls(data, path)

    # -- tokenising -----------------------------------------------------------------------------------------

    def segment(self, letters: str) -> list[str]:
        """Split a run of letters into vocabulary words, maximising the sum of squared word lengths (so the
        longest sensible words win: experts|exchange over expert|sex|change); unknown letters are kept as
        runs so a keyword between them still shows."""
        n = len(letters)
        best: list[tuple[int, int]] = [(0, 0)] * (n + 1)  # (score, start of the last piece)
        for i in range(1, n + 1):
            score, start = best[i - 1][0], i - 1  # letters[i-1] as an unknown letter
            for j in range(max(0, i - self._longest), i):
                piece = letters[j:i]
                if piece in self.vocabulary and best[j][0] + len(piece) ** 2 > score:
                    score, start = best[j][0] + len(piece) ** 2, j
            best[i] = (score, start)
        pieces: list[str] = []
        i = n
        while i > 0:
            start = best[i][1]
            pieces.append(letters[start:i])
            i = start
        pieces.reverse()
        tokens: list[str] = []
        unknown = ""
        for piece in pieces:
            if piece in self.vocabulary:
                if unknown:
                    tokens.append(unknown)
                    unknown = ""
                tokens.append(piece)
            else:
                unknown += piece
        if unknown:
            tokens.append(unknown)
        return tokens

    def tokens(self, label: str) -> list[str]:
        out: list[str] = []
        segments = self._segments
        for run in _SPLIT.split(label):
            if run:
                words = segments.get(run)
                if words is None:
                    if len(segments) >= SEGMENT_MEMO_SIZE:
                        segments.clear()
                    words = segments[run] = tuple(self.segment(run))
                out.extend(words)
        return out

    def split_suffix(self, labels: list[str]) -> tuple[list[str], list[str]]:
        """(labels left of the public suffix, the suffix labels); a small built-in suffix table, enough to
        keep "co.uk" or "com.vn" from being read as words."""
        if len(labels) >= 3 and ".".join(labels[-2:]) in self.suffixes:
            return labels[:-2], labels[-2:]
        return labels[:-1], labels[-1:]

    # -- scoring --------------------------------------------------------------------------------------------

    def explain(self, domain: str) -> Verdict:
        name = domain.strip().lower().rstrip(".")
        if not name or len(name) > _MAX_NAME or not re.fullmatch(r"[a-z0-9_.-]+", name) or ".." in name:
            return Verdict(name, None, reason="not a domain name")
        labels = name.split(".")
        if len(labels) < 2:
            return Verdict(name, None, reason="not a domain name")
        for i in range(len(labels) - 1):
            if ".".join(labels[i:]) in self.allow:
                return Verdict(name, None, reason=f"allowlisted ({'.'.join(labels[i:])})")
        body, suffix = self.split_suffix(labels)
        scores: dict[str, float] = {}
        reasons: list[str] = []
        tld_cat = self.tlds.get(suffix[-1])
        if tld_cat:
            scores[tld_cat] = scores.get(tld_cat, 0.0) + 1.0
            reasons.append(f"top-level domain .{suffix[-1]}")
        tokens: list[str] = []
        for label in body:
            tokens.extend(self.tokens(label))
        found = set(tokens)
        for cat, w in self.weights.items():
            base = sum(w.keywords[t] for t in found if t in w.keywords)
            base += scores.get(cat, 0.0)
            for pattern, brand_cat in self.brands:
                if brand_cat == cat and any(pattern.search(label) for label in body):
                    base += 1.0
                    reasons.append(f"{cat} brand")
                    break
            if base > 0:
                base += sum(w.boosters[t] for t in found if t in w.boosters)
                base += sum(w.neutralizers[t] for t in found if t in w.neutralizers)
                scores[cat] = round(base, 3)
        if body:
            registrable = body[-1]
            own = set(self.tokens(registrable))
            brands = own & self.phishing_brands
            if brands and own & self.phishing_cues and registrable not in self.phishing_brands:
                cat = self.phishing_category
                scores[cat] = round(scores.get(cat, 0.0) + 1.0, 3)
                reasons.append(f"brand {sorted(brands)[0]!r} with a login/verify word in {registrable!r}")
        hits = [(s, -self.priority[c], c) for c, s in scores.items() if s >= self.threshold]
        category = max(hits)[2] if hits else None
        return Verdict(name, category, scores, tuple(tokens), "; ".join(reasons))

    def category(self, domain: str) -> str | None:
        return self.explain(domain).category


def _number(data: dict[str, Any], key: str, where: str) -> float:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise KeywordError(f"{where}: {key}: must be a positive number, got {value!r}")
    return float(value)


def _obj(data: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise KeywordError(f"{where}: {key}: must be an object")
    return value


def _words(data: dict[str, Any], key: str, where: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise KeywordError(f"{where}: {key}: must be a list of non-empty texts")
    return [v.lower() for v in value]


@lru_cache(maxsize=1)
def default_model() -> KeywordModel:
    return KeywordModel.from_file(resource_path("categories", "keywords.json"))


def keyword_category(domain: str) -> str | None:
    """The category a name on no list most likely belongs to, or None when nothing is convincing."""
    return default_model().category(domain)


def explain(domain: str) -> Verdict:
    return default_model().explain(domain)
