"""Rehearse: interview preparation with explainable feedback.

The library surface: `analyze(question, answer) -> Report` from the feedback
engine, and `read_path` / `write` for bank files. Imported lazily, so the CLI
starts fast and `import rehearse` pulls in nothing heavy.
"""

from importlib import import_module

__version__ = "0.1.0"
__all__ = ["Question", "Report", "__version__", "analyze", "read_path", "write"]

_LAZY = {"Question": "rehearse.feedback", "Report": "rehearse.feedback", "analyze": "rehearse.feedback",
         "read_path": "rehearse.formats", "write": "rehearse.formats"}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'rehearse' has no attribute {name!r}")
