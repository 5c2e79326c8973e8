"""The one thing pyproject.toml cannot say: resources/ (data, kept at the top of the checkout) ships in the wheel as
the package `sprout_resources`, so an installed Sprout finds its presets, lists and translations
(agent/resources.py). Everything else is in pyproject.toml."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["agent", "agent.*", "app", "app.*", "common_qt", "common_qt.*"]),
              "sprout_resources"],
    package_dir={"sprout_resources": "resources"},
    package_data={"sprout_resources": ["**/*"]},
)
