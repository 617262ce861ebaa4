"""Call a VPC Lattice service whose auth type is AWS_IAM: a SigV4-signed HTTP request, stdlib HTTP only.

The seed's client signs with botocore and sends with `requests`; this does the same with `http.client`, so a
smoke test or a Lambda needs nothing beyond botocore. Two things the seed leaves out, both from the Lattice
user guide ("SIGv4 authenticated requests for Amazon VPC Lattice"):

- Lattice does not support payload signing: the request must carry ``x-amz-content-sha256: UNSIGNED-PAYLOAD``
  and the signature is computed over that literal instead of the body hash. botocore does both when the
  request context says ``payload_signing_enabled = False``.
- The signing name is ``vpc-lattice-svcs`` (the data plane), not ``vpc-lattice`` (the control-plane API).

Redirects are not followed: a signed request replayed to another host would hand it our Authorization header.
"""

from __future__ import annotations

import http.client
import re
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials, ReadOnlyCredentials
from botocore.exceptions import NoCredentialsError

SIGNING_NAME = "vpc-lattice-svcs"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"

# Generated service DNS names are "<name>-<service id>.<partition id>.vpc-lattice-svcs.<region>.on.aws"
# (user guide, "Configure a custom domain name"); the seed's "...vpc-lattice.us-east-1.on.aws" is not one.
_LATTICE_HOST = re.compile(r"\.vpc-lattice-svcs\.([a-z0-9-]+)\.on\.aws$")


@dataclass(frozen=True)
class InvokeResponse:
    """What the service answered. headers: lower-cased names; repeated headers joined with ", "."""

    status: int
    headers: dict[str, str]
    body: bytes


def region_from_host(host: str) -> str | None:
    """The region in a generated Lattice DNS name
    (``order-service-0a1b2c3d4e5f6a7b8.7d67968.vpc-lattice-svcs.us-east-1.on.aws``); None for a custom domain."""
    match = _LATTICE_HOST.search(host.lower().rstrip("."))
    return match.group(1) if match else None


def _host_header(url: str) -> str:
    # The Host header is set before signing so that what is signed is byte for byte what is sent;
    # like botocore and http.client, the port is left out when it is the scheme's default.
    parts = urlsplit(url)
    if parts.hostname is None:
        raise ValueError(f"{url!r} has no host")
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    default_port = 443 if parts.scheme == "https" else 80
    return host if parts.port in (None, default_port) else f"{host}:{parts.port}"


def sign_request(
    url: str,
    *,
    method: str = "GET",
    body: bytes | str | None = None,
    headers: Mapping[str, str] | None = None,
    credentials: Credentials | ReadOnlyCredentials,
    region: str,
) -> AWSRequest:
    """A SigV4-signed request for a Lattice service, ready for `send_signed`.

    url: ``https://<service DNS name or custom domain>/<path>?<query>``; path and query already URL-encoded.
    method: HTTP method.
    body: request body; a str is sent as UTF-8. Not covered by the signature (Lattice takes no payload signing).
    headers: extra headers; all of them are signed, so a proxy that rewrites one breaks the signature.
    credentials: the caller's AWS credentials (a role session: access key, secret key, session token).
    region: the service's region, part of the signing scope.
    """
    if isinstance(body, str):
        body = body.encode()
    request = AWSRequest(
        method=method.upper(),
        url=url,
        data=body or b"",
        headers={**(headers or {}), "Host": _host_header(url)},
    )
    # botocore then adds x-amz-content-sha256: UNSIGNED-PAYLOAD and signs over that literal
    request.context["payload_signing_enabled"] = False
    SigV4Auth(credentials, SIGNING_NAME, region).add_auth(request)
    return request


def send_signed(
    request: AWSRequest, *, timeout: float = 10.0, ssl_context: ssl.SSLContext | None = None
) -> InvokeResponse:
    """Send a request from `sign_request` and read the whole answer.

    timeout: seconds for connecting and for each read.
    ssl_context: for https; default: the system trust store with hostname checking.
    """
    parts = urlsplit(request.url)
    if parts.scheme == "https":
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=timeout, context=ssl_context or ssl.create_default_context()
        )
    elif parts.scheme == "http":
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    else:
        raise ValueError(f"{request.url!r}: only http and https URLs can be sent")
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    body = request.data or None
    try:
        # the Host header is among the signed headers, so http.client does not add its own
        connection.request(request.method, target, body=body, headers=dict(request.headers.items()))
        response = connection.getresponse()
        headers: dict[str, str] = {}
        for name, value in response.getheaders():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        return InvokeResponse(response.status, headers, response.read())
    finally:
        connection.close()


def invoke(
    url: str,
    *,
    method: str = "GET",
    body: bytes | str | None = None,
    headers: Mapping[str, str] | None = None,
    credentials: Credentials | ReadOnlyCredentials | None = None,
    region: str | None = None,
    session: botocore.session.Session | None = None,
    timeout: float = 10.0,
    ssl_context: ssl.SSLContext | None = None,
) -> InvokeResponse:
    """Send one SigV4-signed request to a Lattice service and return its status, headers and body.

    url, method, body, headers: the HTTP request (see `sign_request`).
    credentials: default: botocore's credential chain (environment, shared files, SSO, container, instance).
    region: default: read from a generated Lattice DNS name, else the session's configured region.
    session: the botocore session whose chain and region are used; default: a new one.
    timeout, ssl_context: see `send_signed`.
    Raises NoCredentialsError when the chain finds no credentials, ValueError when no region is known.
    """
    session = session or botocore.session.get_session()
    if credentials is None:
        credentials = session.get_credentials()
        if credentials is None:
            raise NoCredentialsError()
    if isinstance(credentials, Credentials):
        # one consistent key/secret/token triple, even if a refresh happens in the middle of signing
        credentials = credentials.get_frozen_credentials()
    region = region or region_from_host(urlsplit(url).hostname or "") or session.get_config_variable("region")
    if not region:
        raise ValueError(f"no region for {url!r}: pass region= or configure one (AWS_REGION / AWS_DEFAULT_REGION)")
    signed = sign_request(url, method=method, body=body, headers=headers, credentials=credentials, region=region)
    return send_signed(signed, timeout=timeout, ssl_context=ssl_context)
