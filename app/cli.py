"""The verbeterbord command (DESIGN.md, "Contract: the command line").

It acts with the server's own authority: no login, the services get actor=None where they
allow it. Messages are Dutch, like the interface.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from importlib.util import find_spec
from pathlib import Path
from typing import IO, Any, Literal, TypeVar

import click
from pydantic import ValidationError
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from app import clock
from app.backup import BackupRefused, backup_database, restore_database
from app.config import get_settings
from app.db import create_db_engine, is_sqlite, write_session
from app.demo import DemoRefused, seed_demo
from app.migrate import current_revision, head_revision, migrate_to_head
from app.models import Location, Sprint, User, UserCreate
from app.services import auth, mail, org, privacy, sprints, two_factor
from app.services.errors import Invalid

MONTHS = (
    "januari februari maart april mei juni juli augustus september oktober november december"
).split()

# service fields -> the option that carries them
OPTIONS = {
    "email": "--email",
    "name": "--name",
    "password": "--password",
    "location_id": "--location",
}

T = TypeVar("T")


class Failure(click.ClickException):
    """A refusal: one line (or one per field) on stderr and exit code 1."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"Fout: {self.format_message()}", err=True)


class OneProcessOnly(Failure):
    """`serve --workers N` on SQLite: a usage error, exit code 2."""

    exit_code = 2


def _invalid(errors: dict[str, str]) -> Failure:
    lines = [f"{OPTIONS.get(field, field)}: {message}" for field, message in errors.items()]
    return Failure("\n".join(["de invoer klopt niet.", *lines]))


@contextmanager
def _engine(*, schema: bool = True) -> Iterator[Engine]:
    """The configured database; with schema, refuse one that is not migrated to head."""
    engine = create_db_engine(get_settings())
    try:
        if schema and current_revision(engine) != head_revision():
            raise Failure("de database is niet bijgewerkt. Voer eerst `verbeterbord migrate` uit.")
        yield engine
    finally:
        engine.dispose()


def _day(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _period(sprint: Sprint) -> str:
    first, last = sprint.start_date.isocalendar().week, sprint.end_date.isocalendar().week
    weeks = f"week {first}" if first == last else f"week {first}–{last}"
    return f"{weeks} ({_day(sprint.start_date)} t/m {_day(sprint.end_date)})"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="verbeterbord")
def main() -> None:
    """Verbeterbord: het digitale verbeterbord voor teams, teams van teams en ambities.

    Instellingen komen uit omgevingsvariabelen met VERBETERBORD_ ervoor (DATA_DIR,
    DATABASE_URL, SECRET_KEY, LOCALE, SECURE_COOKIES).
    """


# --- serve and migrate --------------------------------------------------------------------
@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Adres om op te luisteren.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers", default=1, show_default=True, type=click.IntRange(min=1), help="Processen."
)
def serve(host: str, port: int, workers: int) -> None:
    """Werk de database bij en start de webserver."""
    settings = get_settings()
    if workers > 1 and is_sqlite(settings.resolved_database_url):
        # live board updates travel between processes through PostgreSQL only (app.notify)
        raise OneProcessOnly(
            "met SQLite draait Verbeterbord in één proces; dat is de ondersteunde opzet. "
            "Start zonder --workers, of gebruik PostgreSQL (VERBETERBORD_DATABASE_URL) "
            "voor meerdere processen."
        )
    migrate_to_head()
    import uvicorn

    click.echo(f"Verbeterbord draait op http://{host}:{port} (stoppen met Ctrl+C)")
    # Open event streams never end by themselves; without a grace limit a stop would hang.
    uvicorn.run(
        "app.cli:serving_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        # uvloop and httptools (uvicorn[standard]) where installed: with --workers and the
        # asyncio loop uvicorn 0.54 loses TCP_NODELAY, ~44 ms on every keep-alive request
        loop="uvloop" if find_spec("uvloop") else "asyncio",
        http="httptools" if find_spec("httptools") else "h11",
        timeout_graceful_shutdown=5,
        # a worker imports the whole app before it can answer the supervisor's health check;
        # on a busy 2-core machine that took longer than uvicorn's 5 s, and it was killed
        timeout_worker_healthcheck=30,
        # X-Forwarded-* are applied by the app itself, only from VERBETERBORD_TRUSTED_PROXIES
        # (app.web.proxies); uvicorn's own handling would trust 127.0.0.1 by default.
        proxy_headers=False,
    )


# gen-0 collections every 50,000 allocations instead of 700, full ones far rarer: with
# thousands of open event streams a full collection stalled the loop for seconds (issue 10)
GC_THRESHOLDS = (50_000, 50, 100)


def serving_app() -> Any:
    """The app as `serve` runs it in each worker: made, then everything made so far (modules,
    routes, templates) frozen out of the garbage collector's work. A full collection of all
    that took 60-70 ms, the p99 of a single client; frozen, 7-20 ms."""
    from app.main import create_app

    app = create_app()
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    return app


@main.command()
def migrate() -> None:
    """Werk de database bij tot de nieuwste versie (alembic upgrade head)."""
    migrate_to_head()
    with _engine(schema=False) as engine:
        revision = current_revision(engine)
    click.echo(f"Database bijgewerkt (versie {revision}).")


# --- demo ---------------------------------------------------------------------------------
@main.command()
@click.option(
    "--scale",
    type=click.Choice(["small", "large"]),
    default="small",
    show_default=True,
    help="small: vier teams om rond te kijken; large: 150 teams en 500.000 acties voor "
    "benchmarks (ruim een minuut).",
)
@click.option(
    "--url",
    default="http://127.0.0.1:8000",
    show_default=True,
    help="Adres van de server, voor de inlogmelding.",
)
def demo(scale: Literal["small", "large"], url: str) -> None:
    """Werk de database bij en vul hem met een demo-organisatie (kan vaker: geeft dan nieuwe
    wachtwoorden om mee in te loggen)."""
    # a first look at Verbeterbord is one command on an empty data folder, like serve
    migrate_to_head()
    started = time.perf_counter()
    with _engine() as engine:
        try:
            result = seed_demo(engine=engine, today=clock.today(), scale=scale)
        except DemoRefused as refused:
            raise Failure(str(refused)) from refused
    if result.seeded:
        c = result.counts
        click.echo(
            f"Demo-organisatie aangemaakt: {c['locations']} gemeenten, {c['teams']} teams, "
            f"{c['users']} medewerkers, {c['ambitions']} ambities, {c['actions']} acties."
        )
        click.echo(f"Klaar in {time.perf_counter() - started:.1f} s.")
    else:
        click.echo("De demo-organisatie bestond al; hieronder staan nieuwe wachtwoorden.")
    click.echo(f"Log in op {url} als:")
    width = max(len(login.email) for login in result.logins)
    for login in result.logins:
        click.echo(f"  {login.role:<19} {login.email:<{width}}   wachtwoord {login.password}")
    if result.shared_password:
        click.echo(f"Alle andere demo-medewerkers hebben wachtwoord {result.shared_password}")
    settings = get_settings()
    if settings.admin_two_factor_required and settings.local_login:
        # the real rule for admins (README "Tweestapsverificatie"), also in the demo
        click.echo(
            "De beheerder stelt bij de eerste keer inloggen tweestapsverificatie in, met een app "
            "zoals Microsoft Authenticator of Google Authenticator."
        )


# --- users and tokens ---------------------------------------------------------------------
@main.group()
def user() -> None:
    """Medewerkers."""


@user.command("create")
@click.option("--email", required=True, help="E-mailadres (om mee in te loggen).")
@click.option("--name", required=True, help="Naam zoals collega's die zien.")
@click.option("--password", default=None, help="Wachtwoord; zonder wordt er een gemaakt.")
@click.option("--admin", is_flag=True, help="Beheerder: mag alles beheren.")
@click.option("--location", default=None, help="Gemeente of vestiging (naam of nummer).")
def user_create(
    email: str, name: str, password: str | None, admin: bool, location: str | None
) -> None:
    """Maak een medewerker aan."""
    with _engine() as engine, write_session(engine) as session:
        location_id = _location_id(session, location) if location is not None else None
        try:
            data = UserCreate(
                email=email, name=name, password=password, is_admin=admin, location_id=location_id
            )
        except ValidationError as error:
            raise _invalid(_field_messages(error)) from error
        try:
            created = org.create_user(session=session, actor=None, data=data)
        except Invalid as error:
            raise _invalid(error.errors) from error
    role = "beheerder" if created.user.is_admin else "medewerker"
    click.echo(f"Medewerker aangemaakt: {created.user.name} <{created.user.email}> ({role}).")
    if created.generated_password:
        click.echo(f"Wachtwoord: {created.generated_password}")
        click.echo("Geef dit wachtwoord veilig door; het wordt niet nog eens getoond.")


def _location_id(session: Session, location: str) -> int:
    wanted = location.strip()
    found = None
    if wanted.isdigit():
        found = session.get(Location, int(wanted))
    if found is None:
        found = session.exec(
            select(Location).where(func.lower(Location.name) == wanted.lower())
        ).first()
    if found is None:
        known = ", ".join(session.exec(select(Location.name).order_by(Location.name))) or "geen"
        raise _invalid(
            {"location_id": f"deze gemeente of vestiging bestaat niet (bekend: {known})."}
        )
    assert found.id is not None
    return int(found.id)


def _field_messages(error: ValidationError) -> dict[str, str]:
    messages = {
        "email": "Dit is geen geldig e-mailadres.",
        "name": "Geef een naam van 1 tot 100 tekens.",
        "password": "Een wachtwoord heeft hoogstens 200 tekens.",
    }
    errors: dict[str, str] = {}
    for problem in error.errors():
        field = str(problem["loc"][0]) if problem["loc"] else "invoer"
        errors.setdefault(field, messages.get(field, problem["msg"]))
    return errors


@user.command("set-password")
@click.option("--email", required=True, help="E-mailadres van de medewerker.")
@click.option("--password", default=None, help="Nieuw wachtwoord; zonder wordt er een gemaakt.")
def user_set_password(email: str, password: str | None) -> None:
    """Geef een medewerker een nieuw wachtwoord; alle sessies en API-sleutels van de
    medewerker stoppen."""
    generated = password is None
    new_password = auth.generate_password() if password is None else password
    with _engine() as engine, write_session(engine) as session:
        found = session.exec(select(User).where(func.lower(User.email) == email.lower())).first()
        if found is None:
            raise Failure(f"er is geen medewerker met e-mailadres {email}.")
        try:
            org.set_password(session=session, actor_id=None, user=found, password=new_password)
        except Invalid as error:
            raise _invalid(error.errors) from error
        name, address, active = found.name, found.email, found.is_active
    click.echo(f"Nieuw wachtwoord ingesteld voor {name} <{address}>; overal uitgelogd.")
    if generated:
        click.echo(f"Wachtwoord: {new_password}")
        click.echo("Geef dit wachtwoord veilig door; het wordt niet nog eens getoond.")
    if not active:
        click.echo("Let op: deze medewerker is niet actief en kan pas inloggen na activeren.")


@user.command("reset-two-factor")
@click.option("--email", required=True, help="E-mailadres van de medewerker.")
def user_reset_two_factor(email: str) -> None:
    """Zet de tweestapsverificatie van een medewerker uit (telefoon én herstelcodes kwijt);
    alle sessies en API-sleutels van de medewerker stoppen. Controleer eerst wie het vraagt."""
    with _engine() as engine, write_session(engine) as session:
        found = session.exec(select(User).where(func.lower(User.email) == email.lower())).first()
        if found is None:
            raise Failure(f"er is geen medewerker met e-mailadres {email}.")
        had = two_factor.reset(session=session, actor_id=None, user=found)
        name, address = found.name, found.email
    if not had:
        click.echo(f"{name} <{address}> had geen tweestapsverificatie; er is niets veranderd.")
        return
    click.echo(
        f"Tweestapsverificatie uitgezet voor {name} <{address}>; overal uitgelogd. "
        "Bij de volgende keer inloggen kan (en als beheerder: moet) die opnieuw worden ingesteld."
    )


@user.command("erase")
@click.option("--email", required=True, help="E-mailadres van de medewerker.")
def user_erase(email: str) -> None:
    """Wis de persoonsgegevens van een medewerker (AVG): naam en e-mailadres worden
    "Verwijderde gebruiker", inloggen kan niet meer; de geschiedenis blijft, zonder naam."""
    with _engine() as engine, write_session(engine) as session:
        found = session.exec(select(User).where(func.lower(User.email) == email.lower())).first()
        if found is None or found.id is None:
            raise Failure(f"er is geen medewerker met e-mailadres {email}.")
        erased = privacy.erase_user(session=session, actor_id=None, user_id=found.id)
    if erased.already:
        click.echo("De gegevens van deze medewerker waren al gewist.")
        return
    click.echo(
        f"Persoonsgegevens gewist: medewerker {erased.user.id} heet nu "
        f"'{privacy.ERASED_NAME}'; {erased.sessions} sessies beëindigd, "
        f"{erased.tokens} API-sleutels ingetrokken, {erased.history_rewritten} "
        "regels in de geschiedenis zonder naam."
    )


@main.group()
def token() -> None:
    """API-sleutels."""


@token.command("create")
@click.option("--email", required=True, help="De medewerker voor wie de sleutel is.")
@click.option("--name", default="API-sleutel", show_default=True, help="Waar de sleutel voor is.")
def token_create(email: str, name: str) -> None:
    """Maak een API-sleutel en toon hem (alleen nu; bewaard wordt alleen een hash)."""
    with _engine() as engine, write_session(engine) as session:
        owner = session.exec(select(User).where(func.lower(User.email) == email.lower())).first()
        if owner is None:
            raise Failure(f"er is geen medewerker met e-mailadres {email}.")
        if not owner.is_active:
            raise Failure(f"{owner.email} is niet meer actief.")
        try:
            raw = auth.create_token(session=session, user=owner, name=name, actor_id=None)
        except Invalid as error:
            raise _invalid(error.errors) from error
    # the token alone on stdout, so scripts can capture it
    click.echo(f"API-sleutel '{name}' voor {owner.email}; bewaar hem nu:", err=True)
    click.echo(raw)


# --- e-mail -------------------------------------------------------------------------------
@main.command("send-mail")
def send_mail() -> None:
    """Verstuur de e-mail die nu aan de beurt is (weekoverzichten, berichten over knelpunten en
    vermeldingen) en stop; voor cron. Niets gaat twee keer, ook niet naast `serve`."""
    settings = get_settings()
    with _engine() as engine:
        try:
            run = mail.send_now(engine=engine, settings=settings)
        except mail.MailOff as off:
            if not mail.is_on(settings):
                click.echo(str(off))  # switched off on purpose: nothing to report to cron
                return
            raise Failure(str(off)) from off
    click.echo(f"{run.sent} {'e-mail' if run.sent == 1 else 'e-mails'} verstuurd.")
    if run.failed:
        raise Failure(
            f"{run.failed} {'e-mail' if run.failed == 1 else 'e-mails'} niet gelukt; "
            "een volgende run probeert het over een kwartier opnieuw."
        )


# --- rollover, backup and restore --------------------------------------------------------
@main.command()
def rollover() -> None:
    """Sluit elke afgelopen periode af en schuif open acties door naar de volgende."""
    with _engine() as engine, write_session(engine) as session:
        results = sprints.close_ended(session=session, today=clock.today())
        lines = [
            f"Periode {_period(result.closed)} afgesloten: {result.carried_over} "
            f"{'actie' if result.carried_over == 1 else 'acties'} doorgeschoven naar "
            f"{_period(result.next_sprint)}."
            for result in results
        ]
    for line in lines:
        click.echo(line)
    if not lines:
        click.echo("Geen afgelopen periodes om af te sluiten.")


def _on_database_file(copy: Callable[..., T], path: Path, force: bool) -> T:
    """Run a backup or restore of the configured SQLite database; a refusal ends the command."""
    settings = get_settings()
    try:
        return copy(
            settings.resolved_database_url,
            path,
            force=force,
            timeout_s=settings.sqlite_busy_timeout_ms / 1000,
        )
    except BackupRefused as refused:
        raise Failure(str(refused)) from refused


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overschrijf een bestaand bestand.")
def backup(path: Path, force: bool) -> None:
    """Maak een consistente kopie van de SQLite-database terwijl de server draait."""
    size = _on_database_file(backup_database, path, force)
    click.echo(f"Back-up gemaakt: {path} ({size / 1_000_000:.1f} MB), integriteitscontrole: ok.")


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overschrijf een bestaande database.")
def restore(path: Path, force: bool) -> None:
    """Zet een back-up van `verbeterbord backup` terug in de SQLite-database.

    De back-up wordt eerst gecontroleerd (integrity_check, foreign_key_check); een beschadigde
    back-up wordt geweigerd. Een bestaande database wordt alleen met --force overschreven.
    Het terugzetten gaat met SQLite's backup-API in één schrijftransactie de database in, niet
    door het bestand te vervangen: een draaiende server ziet zo de oude of de teruggezette
    database, nooit een mengsel, en een achtergebleven -wal-bestand kan niets beschadigen.
    Voor PostgreSQL gebruik je pg_restore.
    """
    restored = _on_database_file(restore_database, path, force)
    verb = "overschreven met" if restored.replaced else "gemaakt uit"
    click.echo(f"Database {restored.path} {verb} {path}, integriteitscontrole: ok.")
    if restored.revision != head_revision():
        click.echo("De back-up is van een oudere versie; voer `verbeterbord migrate` uit.")


if __name__ == "__main__":
    main()
