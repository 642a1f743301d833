"""The live preview: `server` (HTTP from memory, never outside the site), `watch` (file
changes classified by kind) and `reload` (the event stream, the injected script, the error
overlay). The rebuilds themselves are `scholarsite.incremental`.
"""

from .server import Preview, ServeError, run_server, start_server

__all__ = ["Preview", "ServeError", "run_server", "start_server"]
