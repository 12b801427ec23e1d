"""One typed settings object, read from REHEARSE_* environment variables when asked for."""

from __future__ import annotations

import ipaddress
import re
import secrets
from pathlib import Path
from typing import Literal

from platformdirs import user_data_path
from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "dev-only-insecure-secret"
MIN_SECRET_KEY_CHARS = 32  # 32 characters of token_urlsafe carry 192 bits; a guessable key forges any session
SUPPORTED_DATABASES = ("SQLite (sqlite:///path/to/rehearse.db) or PostgreSQL (postgresql://user@host/name, "
                       "through psycopg 3)")
_DRIVERS = {"sqlite": ("", "pysqlite"), "postgresql": ("", "psycopg")}


class ConfigurationError(Exception):
    """A setting that names something unusable (a database that cannot be reached, a folder that cannot be
    written): the `rehearse` command says it in one line, as it says a setting it cannot read, exit status 2."""


def hide_password(url: str) -> str:
    """The URL with its password as ***, so an error that quotes it leaks nothing (works on URLs that do not parse)."""
    return re.sub(r"(://[^/@:]*:)[^@/]*@", r"\1***@", url)


def supported_database_url(url: str) -> str:
    """The URL, with `postgres://` (the scheme many hosts hand out) taken as `postgresql://`; refused (ValueError)
    when SQLAlchemy cannot parse it or it names a database or driver Rehearse does not run on."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    if re.match(r"postgres(\+\w+)?://", url):
        url = "postgresql" + url.removeprefix("postgres")
    try:
        backend, _, driver = make_url(url).drivername.partition("+")
    except ArgumentError:
        raise ValueError(f"not a database URL; Rehearse runs on {SUPPORTED_DATABASES}") from None
    if backend not in _DRIVERS:
        raise ValueError(f"{backend} is not supported; Rehearse runs on {SUPPORTED_DATABASES}")
    if driver not in _DRIVERS[backend]:
        raise ValueError(f"the {driver} driver is not supported; Rehearse runs on {SUPPORTED_DATABASES}")
    return url


def default_data_dir() -> Path:
    return user_data_path("rehearse", appauthor=False)


class Settings(BaseSettings):
    """Every setting Rehearse reads; the README's configuration table lists each one."""

    model_config = SettingsConfigDict(env_prefix="REHEARSE_", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir, description="Folder for the SQLite file and caches.")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default: a SQLite file `rehearse.db` in the data folder."
    )
    secret_key: str = Field(
        default="",
        description="Signs session cookies and CSRF tokens. Required in production; "
        "when empty, a random key is generated and kept in the data folder.",
    )
    environment: Literal["development", "production"] = Field(default="development",
                                                             description="`development` or `production`.")
    load_builtin_bank: bool = Field(default=True, description="Load the built-in bank on first start.")
    feedback_backend: Literal["auto", "e5", "onnx", "lexical"] = Field(
        default="auto", description="`auto` (e5, else onnx, else lexical), `e5`, `onnx` or `lexical`."
    )
    encoder_threads: int | None = Field(
        default=None, ge=1, le=64,
        description="OpenMP threads per e5 encoding call (read by the feedback package itself; checked here so "
        "that a mistyped value stops the start instead of quietly scoring with another model).",
    )
    max_answer_chars: int = Field(default=20_000, ge=1, le=30_000,  # 30,000: feedback.models.MAX_ANSWER_CHARS
                                  description="Longest answer accepted, in characters (the engine takes 30,000).")
    max_anonymous_answer_chars: int = Field(
        default=5_000, ge=1,
        description="Longest answer scored for someone not signed in (scoring costs CPU; 5,000 "
        "characters is about six minutes of speech).",
    )
    signups_per_address_per_hour: int = Field(
        default=20, ge=1, description="Accounts one network address may create in an hour."
    )
    anonymous_scorings_per_minute: int = Field(
        default=20, ge=1,
        description="Answers one network address may have scored per minute without signing in "
        "(per app process).",
    )
    trusted_proxies: str = Field(
        default="",
        description="Comma-separated addresses or networks of reverse proxies whose "
        "X-Forwarded-For and X-Forwarded-Proto are believed; empty (the default): none are.",
    )
    database_pool_size: int | None = Field(
        default=None, ge=1, le=1000,
        description="Connections each app process keeps open (and as many again at peaks); "
        "default 20 for SQLite, 10 for PostgreSQL.",
    )
    database_pool_timeout: float = Field(
        default=10.0, gt=0, le=300,
        description="Seconds a request waits for a free database connection before it is "
        "answered 503 (try again).",
    )

    worker_in_process: bool = Field(
        default=True,
        description="Run one job worker (transcriptions, queued scoring) inside each `rehearse serve` process, "
        "so a single process needs nothing else; set false when separate `rehearse worker` processes do the work.",
    )
    scoring_on_queue: Literal["auto", "always", "never"] = Field(
        default="auto",
        description="Where the web app scores answers: `auto` sends answers of 1,000 characters or more to "
        "the job queue when separate workers do the work (worker_in_process false) and scores the rest in "
        "the request; `always` queues every answer; `never` scores every answer in the request.",
    )
    scoring_timeout: float = Field(
        default=30.0, gt=0, le=600,
        description="Seconds a request waits for a worker to score its answer through the queue before it "
        "is answered 503 with Retry-After (and the job is dropped).",
    )
    transcription_queue_limit: int = Field(
        default=8, ge=1, le=10_000,
        description="Recordings waiting or being transcribed, across all processes, past which new "
        "uploads get 503 with Retry-After (and /readyz says the queue is not ready).",
    )
    transcription_queue_per_user: int = Field(
        default=3, ge=1, le=10_000,
        description="Recordings one account (or one address without an account) may have waiting or being "
        "transcribed at once, so no one fills the queue for everyone; past it, uploads get 429 with Retry-After.",
    )

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, url: str | None) -> str | None:
        return supported_database_url(url) if url else url

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_addresses(cls, proxies: str) -> str:
        for proxy in (part.strip() for part in proxies.split(",") if part.strip()):
            check_proxy(proxy, alone=proxies.strip() == "*")
        return proxies

    @model_validator(mode="after")
    def _refuse_unsafe_secret(self) -> Settings:
        if self.environment == "production" and (not self.secret_key or self.secret_key == DEV_SECRET):
            raise ValueError("REHEARSE_SECRET_KEY must be set to a long random value in production")
        if self.environment == "production" and len(self.secret_key) < MIN_SECRET_KEY_CHARS:
            raise ValueError(f"REHEARSE_SECRET_KEY is {len(self.secret_key)} characters long; production needs "
                             f"{MIN_SECRET_KEY_CHARS} characters or more of a random value "
                             "(python -c 'import secrets; print(secrets.token_urlsafe(48))')")
        return self

    @property
    def short_secret_key(self) -> bool:
        """A key set by hand too short to sign sessions safely: refused in production, warned about otherwise."""
        return 0 < len(self.secret_key) < MIN_SECRET_KEY_CHARS

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'rehearse.db'}"

    @property
    def trusted_proxy_list(self) -> list[str]:
        return [host.strip() for host in self.trusted_proxies.split(",") if host.strip()]

    def pool_options(self) -> dict[str, float | int]:
        """Connection-pool options for the database engine."""
        options: dict[str, float | int] = {"pool_timeout": self.database_pool_timeout}
        if self.database_pool_size is not None:
            options.update(pool_size=self.database_pool_size, max_overflow=self.database_pool_size)
        return options

    def resolved_secret_key(self) -> str:
        """The configured key, or one generated once and stored next to the database."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        try:
            if not path.exists():
                self.data_dir.mkdir(parents=True, exist_ok=True)
                path.write_text(secrets.token_urlsafe(48))
                path.chmod(0o600)
            return path.read_text().strip()
        except OSError as error:
            raise ConfigurationError(
                f"REHEARSE_DATA_DIR: the generated secret key cannot be kept in {self.data_dir} "
                f"({folder_problem(error)}); set REHEARSE_SECRET_KEY, or make the folder writable") from None

    @property
    def database_setting(self) -> str:
        """The setting that says where the database is: the URL, or (SQLite by default) the data folder."""
        return "REHEARSE_DATABASE_URL" if self.database_url else "REHEARSE_DATA_DIR"


def folder_problem(error: OSError) -> str:
    """Why a file or folder could not be made, in a few words: "read-only file system", "… is a file, not a folder"."""
    if isinstance(error, FileExistsError | NotADirectoryError):
        return f"{error.filename} is a file, not a folder"
    return f"{(error.strerror or type(error).__name__).lower()}: {error.filename}" if error.filename else str(error)


def check_proxy(proxy: str, *, alone: bool) -> None:
    """A trusted proxy as uvicorn's ProxyHeadersMiddleware matches it: "*" alone, an IP address or a network.
    Anything else it keeps as text no peer's address ever equals, so a typo would trust no proxy, silently."""
    if proxy == "*":
        if not alone:
            raise ValueError("'*' trusts every peer and must be the only entry")
        return
    if "/" in proxy:
        try:
            ipaddress.ip_network(proxy)
        except ValueError as error:
            raise ValueError(f"{proxy!r} is not a network ({error})") from None
        return
    try:
        ipaddress.ip_address(proxy)
    except ValueError:
        raise ValueError(f"{proxy!r} is not an IP address or network (names are not looked up: give the "
                         "proxy's address, such as 10.0.0.5 or 10.0.0.0/24, or * to trust every peer)") from None


def describe_errors(error) -> list[str]:
    """A settings ValidationError as one line per setting, named as it is set: "REHEARSE_PORT: …"."""
    lines = []
    for problem in error.errors():
        field = ".".join(str(part) for part in problem.get("loc", ()))
        name = f"{Settings.model_config.get('env_prefix', '')}{field}".upper() if field else "settings"
        message = problem.get("msg", "not valid").removeprefix("Value error, ")
        shown = problem.get("input")
        if field == "database_url" and isinstance(shown, str):
            shown = hide_password(shown)
        given = f" (got {shown!r})" if field and isinstance(shown, str | int | float) else ""
        lines.append(f"{name}: {message}{given}")
    return lines

