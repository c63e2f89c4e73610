"""One router per area of the app; :data:`ROUTERS` is the order they are mounted in."""
from __future__ import annotations

from . import home

ROUTERS = [home.router]
