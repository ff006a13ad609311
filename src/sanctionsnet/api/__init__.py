"""The screening service: HTTP API over the current list versions (yente-compatible).

Layout (one idea per module):

- `app` — `create_app(settings, engine)`, the factory uvicorn runs; `ROUTERS` lists the routers.
- `engine` — `Engine` keeps the current immutable `Snapshot` (index, per-dataset
  screeners, versions, entity tables) and swaps in a new one when the store changes.
- `scopes` — per-dataset views of the index (`/match/ofac_sdn`) without a second index.
- `screening` — API input to `Screener.match` and back; the score is always `Screener.match`'s.
- `routes_*` — thin routers: match, search, entities, reconcile, catalog, system.
- `models` — yente's request and response models (OpenAPI); `serialize` builds the JSON.
- `auth`, `limits`, `audit`, `errors` — API keys, body size limit, audit log, 4xx for bad input.
- `deps` — FastAPI dependencies for routers: `EngineDep`, `SnapshotDep`, `SettingsDep`,
  `AuditDep`, `StoreDep`, plus `scope_screener`, `audit_context`, `write_audit`.

To add endpoints: write a module with `router = APIRouter(route_class=ApiRoute)`,
use the dependencies above, and add the router to `ROUTERS` in `app.py`.
"""

from sanctionsnet.api.app import ROUTERS, create_app
from sanctionsnet.api.engine import Engine, Snapshot
from sanctionsnet.api.settings import ServiceSettings

__all__ = ["ROUTERS", "Engine", "ServiceSettings", "Snapshot", "create_app"]
