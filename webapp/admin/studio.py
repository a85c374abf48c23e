"""Admin area: studio (routes registered on the admin blueprint)."""

from __future__ import annotations
