"""What the admin and profile pages share: who may reach a page (checked once, before the route
reads anything), and a service's messages with values in the reader's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from app.deps import PathId
from app.domain.messages import Message
from app.services.access import require_admin
from app.services.errors import Invalid
from app.services.org import require_member_manager
from app.web.deps import ViewerDep
from app.web.forms import FormError
from app.web.i18n import gettext as _

T = TypeVar("T")


def admin_pages(viewer: ViewerDep) -> None:
    """Pages for locations, users, teams and sprints are for admins only (a Dutch 403 page).
    The services check their writes again for the API; this check guards what the pages read,
    a form shown again with its messages included."""
    require_admin(viewer.access)


def member_managers(team_id: PathId, viewer: ViewerDep) -> None:
    """A team's page and its members are for admins and the team's lead (trekker)."""
    require_member_manager(viewer.access, team_id)


def shown(message: str) -> str:
    """A service's Dutch message in the reader's language; a message with values has its
    template translated first and the values filled in after."""
    if isinstance(message, Message):
        return _(message.template) % message.values
    return _(message)


def readable(save: Callable[[], T]) -> Callable[[], T]:
    """save, with a service's refusal turned into field messages in the reader's language (for
    forms.submit, whose `translated` cannot fill in values)."""

    def run() -> T:
        try:
            return save()
        except Invalid as exc:
            raise FormError({field: shown(text) for field, text in exc.errors.items()}) from exc

    return run
