"""Rehearse: interview preparation with explainable feedback."""

__version__ = "0.1.0"
__all__ = ["__version__"]
