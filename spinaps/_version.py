"""Package version (single source: pyproject.toml via the installed metadata)."""

from importlib import metadata

try:
    __version__ = metadata.version("spinaps")
except metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.1.0+unknown"
