"""Remote SPARQL 1.1 endpoints: SELECT through SPARQLWrapper, and plain HTTP requests (Graph
Store Protocol, SPARQL Update) with Basic or Digest authentication.

Every failure becomes an :class:`EndpointError` that names the URL and says what happened:
unreachable, timed out, or the error status and the first lines of the server's answer.
"""
from __future__ import annotations

import base64
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from .errors import EndpointError, InputError
from .query import Results

DEFAULT_TIMEOUT = 60.0


def _reason(exc: BaseException, timeout: float | None = None) -> str:
    """What went wrong, in words: the HTTP status and the server's message, timed out (after
    *timeout* s), or unreachable and why."""
    if isinstance(exc, urllib.error.HTTPError):
        body = ""
        try:
            body = exc.read().decode("utf-8", "replace")
        except Exception:  # noqa: BLE001 - the body is only for the message
            pass
        detail = " ".join(body.split())[:300]
        return f"HTTP {exc.code} {exc.reason}" + (f": {detail}" if detail else "")
    if isinstance(exc, urllib.error.URLError):
        exc = exc.reason if isinstance(exc.reason, BaseException) else exc
    if isinstance(exc, TimeoutError | socket.timeout):
        return "timed out" + (f" (after {timeout:g} s)" if timeout else "")
    if isinstance(exc, ConnectionRefusedError):
        return "unreachable (connection refused)"
    if isinstance(exc, socket.gaierror):
        return f"unreachable (unknown host: {exc})"
    if isinstance(exc, OSError):
        return f"unreachable ({exc.strerror or exc})"
    return str(exc) or type(exc).__name__


def check_url(url: str) -> str:
    """*url* if it is an absolute http(s) URL, else an :class:`InputError` that says so."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(url, "not an endpoint URL (expected http://host[:port]/path)")
    return url


def select(url: str, text: str, *, timeout: float | None = None, default_graph: str | None = None) -> Results:
    """Run a SELECT query on the endpoint *url* through SPARQLWrapper (JSON results, POST)."""
    from SPARQLWrapper import JSON, POST, SELECT, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    check_url(url)
    timeout = timeout or DEFAULT_TIMEOUT
    wrapper = SPARQLWrapper(url)
    wrapper.setQuery(text)
    if wrapper.isSparqlUpdateRequest():  # its guess reads words in comments ("created" → CREATE)
        wrapper.queryType = SELECT
    wrapper.setMethod(POST)
    wrapper.setReturnFormat(JSON)
    wrapper.timeout = timeout  # setTimeout() would round 0.5 s down to "no timeout"
    if default_graph:
        wrapper.addDefaultGraph(default_graph)
    try:
        answer = wrapper.query().convert()
    except SPARQLWrapperException as exc:
        message = " ".join(str(exc).split())[:400]
        raise EndpointError(f"{url}: the endpoint answered an error: {message}") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise EndpointError(f"{url}: {_reason(exc, timeout)}") from exc
    if not isinstance(answer, dict) or "head" not in answer:
        raise EndpointError(f"{url}: the answer is not SPARQL JSON results")
    names = list(answer["head"].get("vars", []))
    bindings = []
    for b in answer.get("results", {}).get("bindings", []):
        row = {}
        for name, term in b.items():
            term = dict(term)
            if term.get("type") == "typed-literal":  # SPARQL XML-era servers (Virtuoso)
                term["type"] = "literal"
            if term.get("datatype") == "http://www.w3.org/2001/XMLSchema#string":
                del term["datatype"]
            row[name] = term
        bindings.append(row)
    return Results(names, bindings)


@dataclass
class Http:
    """A small HTTP client for one server: credentials (Basic or Digest, as the server asks)
    and a timeout.

    Credentials are sent with the first request that carries a body, not after a 401: the
    challenge is fetched once with a bodiless ``GET``. (A server that answers 401 before reading
    a large body and closes the connection, as Virtuoso does, would otherwise reset the upload.)
    """

    url: str
    user: str | None = None
    password: str | None = None
    timeout: float = DEFAULT_TIMEOUT

    def __post_init__(self) -> None:
        check_url(self.url)
        self._handlers: list = []
        self._challenge: tuple[str, dict] | None = None
        if self.user:
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            manager.add_password(None, self.url, self.user, self.password or "")
            self._digest = urllib.request.HTTPDigestAuthHandler(manager)
            self._handlers = [self._digest, urllib.request.HTTPBasicAuthHandler(manager)]
        self._opener = urllib.request.build_opener(*self._handlers)

    def _authorize(self, req: urllib.request.Request) -> None:
        if not self.user:
            return
        if self._challenge is None:
            self._challenge = ("", {})
            try:
                with urllib.request.urlopen(urllib.request.Request(self.url, method="GET"), timeout=self.timeout):
                    pass
            except urllib.error.HTTPError as exc:
                header = exc.headers.get("WWW-Authenticate", "")
                scheme, _, rest = header.partition(" ")
                params = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest)) if rest else {}
                self._challenge = (scheme.lower(), params)
            except (urllib.error.URLError, OSError) as exc:
                raise EndpointError(f"{self.url}: {_reason(exc, self.timeout)}") from exc
        scheme, params = self._challenge
        if scheme == "digest":
            value = self._digest.get_authorization(req, params)
            if value:
                req.add_unredirected_header("Authorization", "Digest " + value)
        elif scheme == "basic":
            token = base64.b64encode(f"{self.user}:{self.password or ''}".encode()).decode("ascii")
            req.add_unredirected_header("Authorization", "Basic " + token)

    def request(self, method: str, url: str, body: bytes | None = None, content_type: str | None = None,
                accept: str | None = None) -> tuple[int, bytes]:
        """(status, body) of one request; :class:`EndpointError` when unreachable, timed out or
        when the status is 400 or above (``.status`` on the error then holds it)."""
        req = urllib.request.Request(url, data=body, method=method)
        if content_type:
            req.add_header("Content-Type", content_type)
        if accept:
            req.add_header("Accept", accept)
        try:
            self._authorize(req)
            with self._opener.open(req, timeout=self.timeout) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as exc:
            error = EndpointError(f"{url}: {_reason(exc)}")
            error.status = exc.code
            raise error from exc
        except (urllib.error.URLError, OSError) as exc:
            if body and self.user and self._refused():
                error = EndpointError(f"{url}: HTTP 401 Unauthorized: the server refused user {self.user!r} "
                                      "(wrong user or password?)")
                error.status = 401
                raise error from exc
            raise EndpointError(f"{url}: {_reason(exc, self.timeout)}") from exc
        except ValueError as exc:  # urllib's Basic handler on an unexpected challenge
            raise EndpointError(f"{url}: authentication failed: {exc}") from exc

    def _refused(self) -> bool:
        """Whether the server refuses our credentials: a server that answers 401 before reading an
        upload closes the connection (broken pipe, reset), so ask again without a body."""
        req = urllib.request.Request(self.url, method="GET")
        try:
            self._authorize(req)
            with urllib.request.urlopen(req, timeout=self.timeout):
                return False
        except urllib.error.HTTPError as exc:
            return exc.code == 401
        except (urllib.error.URLError, OSError, ValueError):
            return False


def with_query(url: str, **params: str) -> str:
    """*url* with *params* added to its query string."""
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True) + list(params.items())
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))
