"""A setting that cannot be read is said in one line naming it, exit status 2, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.mark.parametrize(("setting", "value", "said"), [
    ("REHEARSE_MAX_ANSWER_CHARS", "abc", "REHEARSE_MAX_ANSWER_CHARS: Input should be a valid integer"),
    ("REHEARSE_FEEDBACK_BACKEND", "foo", "REHEARSE_FEEDBACK_BACKEND: Input should be 'auto', 'e5', 'onnx' or 'lexical'"),
    ("REHEARSE_ENVIRONMENT", "staging", "REHEARSE_ENVIRONMENT: Input should be 'development' or 'production'"),
    ("REHEARSE_ENVIRONMENT", "production", "REHEARSE_SECRET_KEY must be set"),
])
def test_a_bad_setting_is_one_line_naming_it(tmp_path, setting, value, said):
    env = {**os.environ, "REHEARSE_DATA_DIR": str(tmp_path), "REHEARSE_DATABASE_URL": f"sqlite:///{tmp_path}/r.db",
           "REHEARSE_SECRET_KEY": "", setting: value}
    done = subprocess.run([sys.executable, "-m", "rehearse", "roles"], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2
    assert said in done.stderr and done.stderr.startswith("configuration error: ")
    assert "Traceback" not in done.stderr + done.stdout
