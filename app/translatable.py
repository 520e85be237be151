"""N_ marks Dutch text for the translation catalogue (see babel.cfg and `make messages`).

The text stays Dutch where it is made (services, domain rules); the pages translate it where
they show it (app.web.i18n.gettext). The JSON API and the command line keep it Dutch."""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802  (the usual gettext marker, found by extraction)
    return message
