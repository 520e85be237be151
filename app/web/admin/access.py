"""What the admin and profile pages share: who may reach a page (checked once, before the route
reads anything)."""

from __future__ import annotations

from typing import TypeVar

from app.deps import PathId
from app.services.access import require_admin
from app.services.org import require_member_manager
from app.web.deps import ViewerDep

T = TypeVar("T")


def admin_pages(viewer: ViewerDep) -> None:
    """Pages for locations, users, teams and sprints are for admins only (a Dutch 403 page).
    The services check their writes again for the API; this check guards what the pages read,
    a form shown again with its messages included."""
    require_admin(viewer.access)


def member_managers(team_id: PathId, viewer: ViewerDep) -> None:
    """A team's page and its members are for admins and the team's lead (trekker)."""
    require_member_manager(viewer.access, team_id)
