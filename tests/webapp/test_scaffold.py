"""``snapdesk new-snapin`` writes a snap-in whose own tests pass."""

from __future__ import annotations

import subprocess
import sys

import pytest

from webapp.scaffold import ScaffoldError, scaffold


def test_the_scaffolded_snapin_passes_its_own_tests(tmp_path):
    target = scaffold("auto-tagger", tmp_path)
    assert (target / "pyproject.toml").read_text().count('auto-tagger = "snapdesk_auto_tagger:AutoTagger"') == 1
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(target / "tests")],
        cwd=target, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


@pytest.mark.parametrize("bad", ["Auto", "auto_tagger", "-x", "", "9lives"])
def test_bad_names_are_refused_with_a_sentence(tmp_path, bad):
    with pytest.raises(ScaffoldError, match="not a snap-in name"):
        scaffold(bad, tmp_path)


def test_an_existing_directory_is_not_overwritten(tmp_path):
    scaffold("auto-tagger", tmp_path)
    with pytest.raises(ScaffoldError, match="already exists"):
        scaffold("auto-tagger", tmp_path)
