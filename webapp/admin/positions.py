"""Admin area: positions (routes registered on the admin blueprint)."""

from __future__ import annotations
