"""The history can be skimmed: the repository's commit-msg hook (.githooks/, set by `make
install`) refuses a subject over 72 characters, counted in characters of any script, and a body
not set apart by a blank line."""

import subprocess

import pytest
from django.conf import settings

HOOK = settings.BASE_DIR / ".githooks" / "commit-msg"


@pytest.mark.parametrize(
    ("message", "accepted"),
    [
        ("Revisions an editor reads: words per edition\n\nThe why.\n", True),
        ("x" * 72 + "\n", True),
        ("x" * 73 + "\n", False),
        ("گزارش " * 12 + "\n", True),  # 72 characters, 132 bytes
        ("A subject\nand a body without a blank line\n", False),
        ("# a comment line git strips\nA subject\n", True),
    ],
)
def test_the_commit_msg_hook(tmp_path, message, accepted):
    path = tmp_path / "COMMIT_EDITMSG"
    path.write_text(message)
    result = subprocess.run([HOOK, path], capture_output=True, text=True)
    assert (result.returncode == 0) == accepted, result.stderr
