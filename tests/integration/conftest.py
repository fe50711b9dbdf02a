"""Fixtures shared by the integration tests: one run of the small design."""

import pytest

from spinaps.chain import Chain

from .small import SMALL


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory):
    """The step cache of the small design's chains (``steps`` under a user cache directory)."""
    return tmp_path_factory.mktemp("user-cache") / "steps"


@pytest.fixture(scope="session")
def result(cache_dir, tmp_path_factory):
    """The small design run once through the chain: (ChainResult, output folder)."""
    out = tmp_path_factory.mktemp("runs") / "small"
    return Chain(SMALL, cache_dir=cache_dir).run(out), out
