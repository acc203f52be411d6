"""Build hook. pyproject.toml holds the metadata; this only ships the top-level personas/ and assets/ folders
inside the package (as simulator/bundled/...), which pyproject's package finder cannot map from outside
simulator/. default_personas_dir() and simulator.assets find them there after `pip install .`."""

from setuptools import find_packages, setup

BUNDLED = {"simulator.bundled.personas": "personas", "simulator.bundled.assets": "assets"}

setup(packages=find_packages(include=["simulator", "simulator.*"]) + list(BUNDLED), package_dir=BUNDLED)
