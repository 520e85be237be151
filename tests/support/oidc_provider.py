"""A real OpenID Connect provider for the tests, on loopback: Authlib's server side
(authlib.oauth2 AuthorizationServer with the authorization code grant, authlib.oidc.core's
OpenIDCode and PKCE's CodeChallenge, both required) in a small Starlette app.

    with oidc_provider() as provider:            # serving on http://127.0.0.1:<port>
        provider.person = Person(sub="u-1", email="an@example.nl")
        settings = ...(oidc_issuer=provider.issuer, oidc_client_id=provider.client_id, ...)

It signs id_tokens with an RSA key of its own (RS256, published at /jwks). Whoever the test names
in `person` has "logged in" at /authorize (consent is given at once). Knobs for the tests: an
id_token lifetime (`token_seconds`, negative: expired at once) and a `nonce_override` (the token
carries another nonce than the one asked for) and a `rogue_key` that signs instead of the
published one. Served by uvicorn in a thread of the test process
(tests/support/server.serve_in_thread), so the app under test reaches it over real HTTP.
"""

from __future__ import annotations

import os
import secrets
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from authlib.oauth2 import AuthorizationServer, OAuth2Request
from authlib.oauth2.rfc6749 import ClientMixin, OAuth2Payload
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from joserfc.jwk import RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from tests.support.server import serve_in_thread

# Authlib refuses plain http outside this switch; the provider only ever listens on loopback.
os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")

CLIENT_ID = "verbeterbord-test"
CLIENT_SECRET = "provider-test-secret"


@dataclass
class Person:
    """Who is logged in at the provider."""

    sub: str
    email: str
    name: str = "Sanne de Vries"
    email_verified: bool = True


@dataclass
class _Client(ClientMixin):
    client_id: str
    client_secret: str
    redirect_prefix: str = "http"

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return None

    def get_allowed_scope(self, scope: str) -> str:
        allowed = {"openid", "email", "profile"}
        return " ".join(part for part in scope.split() if part in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri.startswith(self.redirect_prefix)

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class _Code:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    nonce: str | None
    user: Person
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> None:
        return None

    def get_amr(self) -> None:
        return None


class _Payload(OAuth2Payload):
    def __init__(self, values: list[tuple[str, str]]) -> None:
        self._datalist: defaultdict[str, list[str]] = defaultdict(list)
        for name, value in values:
            self._datalist[name].append(value)

    @property
    def data(self) -> dict[str, str]:
        return {name: values[0] for name, values in self._datalist.items()}

    @property
    def datalist(self) -> defaultdict[str, list[str]]:
        return self._datalist


class _Request(OAuth2Request):
    def __init__(
        self, method: str, uri: str, headers: Any, query: list[tuple[str, str]], form: list
    ) -> None:
        super().__init__(method, uri, headers=headers)
        self._args = dict(query)
        self._form = dict(form)
        self.payload = _Payload(query + form)

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form


class OIDCProvider:
    """The provider's state; its Starlette app is `app`."""

    def __init__(self) -> None:
        self.issuer = ""  # set once it listens
        self.client_id = CLIENT_ID
        self.client_secret = CLIENT_SECRET
        self.client = _Client(CLIENT_ID, CLIENT_SECRET)
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key-1", "use": "sig"})
        self.person: Person | None = None
        self.token_seconds = 300
        self.nonce_override: str | None = None
        # signs id_tokens instead of the published key (same kid): a forged signature
        self.rogue_key: RSAKey | None = None
        self.codes: dict[str, _Code] = {}
        self.token_requests: list[dict[str, str]] = []  # what the app sent to /token
        self.server = self._server()
        self.app = Starlette(
            routes=[
                Route("/.well-known/openid-configuration", self._discovery),
                Route("/jwks", self._jwks),
                Route("/authorize", self._authorize),
                Route("/token", self._token, methods=["POST"]),
            ]
        )

    # --- Authlib's server side -------------------------------------------------------------
    def _server(self) -> AuthorizationServer:
        provider = self

        class Server(AuthorizationServer):
            def query_client(self, client_id: str) -> _Client | None:
                return provider.client if client_id == provider.client_id else None

            def save_token(self, token: dict[str, Any], request: Any) -> None:
                pass

            def create_oauth2_request(self, request: Any) -> Any:
                return request

            def create_json_request(self, request: Any) -> Any:
                raise NotImplementedError

            def handle_response(self, status: int, body: Any, headers: Any) -> Response:
                headers = dict(headers)
                if isinstance(body, dict):
                    return JSONResponse(body, status_code=status, headers=headers)
                if status == 302:
                    return RedirectResponse(headers.pop("Location"), status_code=302)
                return Response(body, status_code=status, headers=headers)

            def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
                pass

        class CodeGrant(AuthorizationCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

            def save_authorization_code(self, code: str, request: Any) -> None:
                data = request.payload.data
                provider.codes[code] = _Code(
                    code=code,
                    client_id=request.client.get_client_id(),
                    redirect_uri=request.payload.redirect_uri,
                    scope=request.payload.scope,
                    nonce=data.get("nonce"),
                    user=request.user,
                    code_challenge=data.get("code_challenge"),
                    code_challenge_method=data.get("code_challenge_method"),
                )

            def query_authorization_code(self, code: str, client: Any) -> _Code | None:
                found = provider.codes.get(code)
                return found if found and found.client_id == client.get_client_id() else None

            def delete_authorization_code(self, authorization_code: _Code) -> None:
                provider.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code: _Code) -> Person:
                return authorization_code.user

        class OpenIDCodeWithKnobs(OpenIDCode):
            def exists_nonce(self, nonce: str, request: Any) -> bool:
                return any(code.nonce == nonce for code in provider.codes.values())

            def resolve_client_private_key(self, client: Any) -> RSAKey:
                return provider.rogue_key or provider.key

            def get_client_algorithm(self, client: Any) -> str:
                return "RS256"

            def get_encode_header(self, client: Any) -> dict[str, str]:
                return {"alg": "RS256", "kid": "test-key-1"}

            def get_client_claims(self, client: Any) -> dict[str, Any]:
                return {
                    "iss": provider.issuer,
                    "aud": [client.get_client_id()],
                    "iat": int(time.time()),
                    "exp": int(time.time()) + provider.token_seconds,
                }

            def get_authorization_code_claims(self, authorization_code: Any) -> dict[str, Any]:
                claims = super().get_authorization_code_claims(authorization_code)
                if provider.nonce_override is not None:
                    claims["nonce"] = provider.nonce_override
                return claims

            def generate_user_info(self, user: Person, scope: str) -> UserInfo:
                info = UserInfo(sub=user.sub, name=user.name)
                if "email" in scope.split():
                    info["email"] = user.email
                    info["email_verified"] = user.email_verified
                return info

        server = Server(scopes_supported=["openid", "email", "profile"])
        server.register_token_generator(
            "default", BearerTokenGenerator(lambda **_: secrets.token_urlsafe(32))
        )
        server.register_grant(
            CodeGrant, [OpenIDCodeWithKnobs(require_nonce=True), CodeChallenge(required=True)]
        )
        return server

    # --- the endpoints ----------------------------------------------------------------------
    async def _discovery(self, request: Request) -> Response:
        return JSONResponse(
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_basic",
                    "client_secret_post",
                ],
                "scopes_supported": ["openid", "email", "profile"],
            }
        )

    async def _jwks(self, request: Request) -> Response:
        return JSONResponse({"keys": [self.key.as_dict(private=False)]})

    def _request(self, request: Request, form: list[tuple[str, str]]) -> _Request:
        query = parse_qsl(request.url.query, keep_blank_values=True)
        return _Request(request.method, str(request.url), request.headers, query, form)

    async def _authorize(self, request: Request) -> Response:
        oauth_request = self._request(request, [])
        if self.person is None:
            return Response("nobody is logged in at the provider", status_code=401)
        return self.server.create_authorization_response(oauth_request, grant_user=self.person)

    async def _token(self, request: Request) -> Response:
        form = parse_qsl((await request.body()).decode(), keep_blank_values=True)
        self.token_requests.append(dict(form))
        return self.server.create_token_response(self._request(request, form))


@contextmanager
def oidc_provider() -> Iterator[OIDCProvider]:
    """The provider, serving on loopback for the block."""
    provider = OIDCProvider()
    with serve_in_thread(provider.app) as url:
        provider.issuer = url
        yield provider
