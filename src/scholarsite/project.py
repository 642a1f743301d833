"""Where scholarsite itself lives: used by `new` (the deploy workflow installs scholarsite
from its git repository, the name is not on the package index) and by `sync` (the polite
User-Agent names the tool and where to learn about it)."""

from __future__ import annotations

from . import __version__

#: The git repository scholarsite is installed from (`pip install "scholarsite @ git+URL@REF"`).
REPOSITORY = "https://github.com/scholarsite/scholarsite"

#: The ref a new site pins by default: the release tag of the running version.
DEFAULT_REF = f"v{__version__}"

__all__ = ["DEFAULT_REF", "REPOSITORY", "__version__"]
