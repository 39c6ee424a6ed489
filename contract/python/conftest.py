"""Fixtures of the Python contract suite (make contract-python): a fresh serve-fake, and the
client OpenAPI Generator made from openapi.yaml into build/client."""

import pytest

import servefake


@pytest.fixture(scope="module")
def fake():
    """A fake without SMTP, with the conformance seed's users (a Viewer among them)."""
    try:
        proc, settings = servefake.start("--smtp=false", "--seed", str(servefake.SEED))
    except RuntimeError as err:
        pytest.fail(str(err))
    yield settings
    assert servefake.stop(proc) == 0, "serve-fake did not stop cleanly"
