"""A run's output folder that can be trusted.

* Checked before any work starts: an empty path, a path that is a file or runs through
  one, or a folder holding another design's results (or files that are not a spinaps
  run's) is refused with a one-line :class:`OutputError`.
* Every file is written under a temporary name in the same folder and renamed when it
  is complete (``os.replace`` is atomic), so no half-written file carries a final name.
* ``run.json`` records the design's fingerprint and the status: ``"running"`` while the
  steps write their results, ``"interrupted"`` or ``"failed"`` if the run stopped, and
  ``"complete"`` only when everything has been written.
"""

from __future__ import annotations

import datetime
import json
import os
import pathlib
import tempfile

from ._version import __version__

__all__ = ["OutputError", "OutputFolder", "atomic_write", "MANIFEST"]

#: The manifest of a run folder.
MANIFEST = "run.json"


class OutputError(ValueError):
    """An output folder that cannot be used."""


def atomic_write(path, write):
    """Call ``write(tmp_path)`` to write a temporary file beside ``path``, then rename it
    to ``path``; the temporary file is removed if ``write`` fails or is interrupted."""
    path = pathlib.Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(fd)
    try:
        write(pathlib.Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        pathlib.Path(tmp).unlink(missing_ok=True)
        raise


class OutputFolder:
    """The folder a run writes into (see the module notes).

    Parameters
    ----------
    path : path-like
    fingerprint : str
        The design's fingerprint; a folder holding another fingerprint is refused.
    """

    def __init__(self, path, fingerprint: str):
        if path is None or str(path).strip() == "":
            raise OutputError("output folder: an empty path is not allowed; name a folder, e.g. -o results")
        self.path = pathlib.Path(path).expanduser()
        self.fingerprint = fingerprint
        self._check()

    def _check(self):
        p = self.path
        for parent in [p, *p.parents]:
            if parent.exists() and not parent.is_dir():
                what = "is a file" if parent == p else f"runs through the file {str(parent)!r}"
                raise OutputError(f"output folder {str(p)!r} {what}; choose a folder")
        if not p.exists():
            return
        if not os.access(p, os.W_OK):
            raise OutputError(f"output folder {str(p)!r} is not writable")
        entries = [e for e in p.iterdir() if not e.name.startswith(".")]
        if not entries:
            return
        manifest = p / MANIFEST
        if not manifest.is_file():
            raise OutputError(
                f"output folder {str(p)!r} holds files that are not a spinaps run's; choose an empty or new folder"
            )
        try:
            held = json.loads(manifest.read_text(encoding="utf-8")).get("design_fingerprint")
        except (OSError, ValueError):
            held = None
        if held != self.fingerprint:
            raise OutputError(
                f"output folder {str(p)!r} holds the results of another design (fingerprint {held}); "
                "choose a new folder (results of different designs are never mixed)"
            )

    def start(self):
        """Create the folder and mark it as running."""
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise OutputError(f"output folder {str(self.path)!r} cannot be created: {err.strerror}") from None
        self.mark("running")

    def mark(self, status: str, **extra):
        """Write the manifest with ``status`` (running, interrupted, failed, complete)."""
        data = {
            "status": status,
            "design_fingerprint": self.fingerprint,
            "spinaps_version": __version__,
            "updated": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            **extra,
        }
        self.write_text(MANIFEST, json.dumps(data, indent=2))

    def write_text(self, name: str, text: str):
        atomic_write(self.path / name, lambda tmp: tmp.write_text(text, encoding="utf-8"))

    def write_dataset(self, name: str, ds):
        """``name``.nc, written atomically (netCDF via h5netcdf)."""
        atomic_write(self.path / f"{name}.nc", lambda tmp: ds.to_netcdf(tmp, engine="h5netcdf"))

    def status(self) -> str | None:
        try:
            return json.loads((self.path / MANIFEST).read_text(encoding="utf-8"))["status"]
        except (OSError, ValueError, KeyError):
            return None
