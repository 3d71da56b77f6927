"""The clinical review page (``l10n review LANG``): a local web application on 127.0.0.1 where a reviewer
reads an article's translation beside its English and approves or rejects it unit by unit.

``units`` reads what the page shows, ``decisions`` writes a decision into the catalog (under the lock,
atomically, never over an edit made meanwhile), ``preview`` builds the pages shown side by side, ``diff``
the word diff, ``app`` the Flask application, ``server`` the server on 127.0.0.1.
"""

from __future__ import annotations

from pipeline.reviewapp.app import create_app
from pipeline.reviewapp.server import address, bind, new_token

__all__ = ["address", "bind", "create_app", "new_token"]
