"""scholarsite: personal academic websites from plain files.

Public API: `build(site_dir, out_dir)` builds a site folder; `UserError` carries the
diagnostics of bad input.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
