"""The one thing pyproject.toml cannot say: resources/ (data, kept at the top of the checkout) ships in the wheel as
the package `sprout_resources`, so an installed Sprout finds its presets, lists and translations
(agent/resources.py). Everything else is in pyproject.toml."""

from setuptools import find_namespace_packages, find_packages, setup

# every folder of resources/ is named as a (data) package, so setuptools ships it without warning that it "would be
# ignored"; each ships all of its files
RESOURCE_PACKAGES = ["sprout_resources", *(f"sprout_resources.{p}" for p in find_namespace_packages(where="resources"))]

setup(
    packages=[*find_packages(include=["agent", "agent.*", "app", "app.*", "common_qt", "common_qt.*"]),
              *RESOURCE_PACKAGES],
    package_dir={"sprout_resources": "resources"},
    package_data={p: ["*"] for p in RESOURCE_PACKAGES},
)
