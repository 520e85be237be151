"""SQLModel tables and their Create / Update / Public families."""

from app.models.ambitions import *  # noqa: F403
from app.models.audit import *  # noqa: F403
from app.models.common import *  # noqa: F403
from app.models.evaluation import *  # noqa: F403
from app.models.feeds import *  # noqa: F403
from app.models.indicators import *  # noqa: F403
from app.models.org import *  # noqa: F403
from app.models.reach import *  # noqa: F403
from app.models.rhythm import *  # noqa: F403
from app.models.sessions import *  # noqa: F403
from app.models.work import *  # noqa: F403
