"""One router per area of the app; :data:`ROUTERS` is the order they are mounted in."""

from __future__ import annotations

from . import admin, breakdown, home, tracking
from . import charts
from . import corrections
from . import reader
from . import records

ROUTERS = [home.router, tracking.router, admin.router]
ROUTERS.append(charts.router)
ROUTERS.append(corrections.router)
ROUTERS.append(reader.router)
ROUTERS.append(records.router)
ROUTERS.append(breakdown.router)
