"""The SigV4 client against a local server that checks signatures the way Lattice does.

The server recomputes each signature with botocore from what it received and the secret it knows for the
access key, and answers 200 or 403 like Lattice would; it also insists on UNSIGNED-PAYLOAD, which Lattice
requires. Credentials are the AWS documentation's example keys, never real ones.
"""

from __future__ import annotations

import hmac
import re
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import NoCredentialsError

from lattice_components.tools.invoke import (
    SIGNING_NAME,
    UNSIGNED_PAYLOAD,
    invoke,
    region_from_host,
    send_signed,
    sign_request,
)

ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
REGION = "us-east-1"
KNOWN_SECRETS = {ACCESS_KEY: SECRET_KEY}

_AUTHORIZATION = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=(?P<key>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/(?P<service>[^/]+)/aws4_request,"
    r" SignedHeaders=(?P<signed>[a-z0-9;-]+), Signature=(?P<signature>[0-9a-f]{64})$"
)


def verify_signature(method: str, target: str, headers, body: bytes) -> str | None:
    """None when the request is signed correctly for vpc-lattice-svcs, else why not."""
    match = _AUTHORIZATION.match(headers.get("Authorization", ""))
    if not match:
        return "missing or malformed Authorization header"
    if match["service"] != SIGNING_NAME:
        return f"signed for {match['service']}, not {SIGNING_NAME}"
    secret = KNOWN_SECRETS.get(match["key"])
    if secret is None:
        return "unknown access key"
    signed_names = match["signed"].split(";")
    if "host" not in signed_names or "x-amz-content-sha256" not in signed_names:
        return "host and x-amz-content-sha256 must be signed"
    if headers.get("x-amz-content-sha256") != UNSIGNED_PAYLOAD:
        return "Lattice requires x-amz-content-sha256: UNSIGNED-PAYLOAD"
    timestamp = headers.get("x-amz-date", "")
    if not timestamp.startswith(match["date"]):
        return "x-amz-date does not match the credential scope"
    signed_at = datetime.strptime(timestamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    if abs(datetime.now(timezone.utc) - signed_at) > timedelta(minutes=5):
        return "request signed too long ago"

    # Rebuild the request from what arrived, with only the headers the client said it signed.
    received = {name: ",".join(headers.get_all(name)) for name in signed_names}
    request = AWSRequest(method=method, url=f"http://{headers['Host']}{target}", headers=received, data=body)
    request.context["timestamp"] = timestamp
    signer = SigV4Auth(Credentials(match["key"], secret), match["service"], match["region"])
    canonical = signer.canonical_request(request)
    expected = signer.signature(signer.string_to_sign(request, canonical), request)
    return None if hmac.compare_digest(expected, match["signature"]) else "signature does not match"


class LatticeLikeHandler(BaseHTTPRequestHandler):
    seen: list[dict] = []

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        problem = verify_signature(self.command, self.path, self.headers, body)
        received = {name.lower(): value for name, value in self.headers.items()}
        self.seen.append({"path": self.path, "headers": received, "body": body, "problem": problem})
        answer = b"ok" if problem is None else f"AccessDeniedException: {problem}".encode()
        self.send_response(200 if problem is None else 403)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_GET = do_POST = do_PUT = do_DELETE = _handle

    def log_message(self, *args) -> None:  # keep pytest output clean
        pass


@pytest.fixture
def lattice_server() -> Iterator[tuple[str, list[dict]]]:
    """A signature-checking server on 127.0.0.1 at a free port; its base URL and the requests it saw."""
    handler = type("Handler", (LatticeLikeHandler,), {"seen": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    # a short poll interval makes shutdown() return quickly at teardown
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler.seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def credentials() -> Credentials:
    return Credentials(ACCESS_KEY, SECRET_KEY)


def test_correctly_signed_request_is_accepted(lattice_server, credentials):
    base, seen = lattice_server
    response = invoke(f"{base}/orders?status=open&limit=10", credentials=credentials, region=REGION)
    assert response.status == 200, response.body
    assert response.body == b"ok"
    assert response.headers["content-type"] == "text/plain"
    assert seen[0]["headers"]["x-amz-content-sha256"] == UNSIGNED_PAYLOAD


def test_post_body_is_sent_but_not_signed(lattice_server, credentials):
    base, seen = lattice_server
    response = invoke(
        f"{base}/orders",
        method="POST",
        body='{"item": "book"}',
        headers={"Content-Type": "application/json"},
        credentials=credentials,
        region=REGION,
    )
    assert response.status == 200, response.body
    assert seen[0]["body"] == b'{"item": "book"}'
    assert "content-type" in seen[0]["headers"]["authorization"]


def test_wrong_secret_is_rejected(lattice_server):
    base, seen = lattice_server
    forged = Credentials(ACCESS_KEY, "not-the-secret")
    response = invoke(f"{base}/orders", credentials=forged, region=REGION)
    assert response.status == 403
    assert seen[0]["problem"] == "signature does not match"


def test_path_changed_after_signing_is_rejected(lattice_server, credentials):
    base, seen = lattice_server
    signed = sign_request(f"{base}/orders", credentials=credentials, region=REGION)
    signed.url = f"{base}/admin"
    response = send_signed(signed)
    assert response.status == 403
    assert seen[0]["problem"] == "signature does not match"


def test_signed_header_changed_after_signing_is_rejected(lattice_server, credentials):
    base, _ = lattice_server
    signed = sign_request(f"{base}/orders", headers={"X-Tenant": "acme"}, credentials=credentials, region=REGION)
    signed.headers.replace_header("X-Tenant", "evil")
    assert send_signed(signed).status == 403


def test_region_and_signing_name_are_in_the_signed_scope(credentials):
    signed = sign_request("http://127.0.0.1/orders", credentials=credentials, region="eu-west-1")
    assert "/eu-west-1/vpc-lattice-svcs/aws4_request" in signed.headers["Authorization"]


def test_credentials_and_region_from_the_environment(lattice_server, monkeypatch, tmp_path):
    base, seen = lattice_server
    for name in ("AWS_PROFILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    monkeypatch.setenv("AWS_SESSION_TOKEN", "example-session-token")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)

    response = invoke(f"{base}/orders")

    assert response.status == 200, response.body
    assert seen[0]["headers"]["x-amz-security-token"] == "example-session-token"
    assert "x-amz-security-token" in seen[0]["headers"]["authorization"]
    assert f"/{REGION}/vpc-lattice-svcs/aws4_request" in seen[0]["headers"]["authorization"]


def test_no_credentials_anywhere_raises(monkeypatch, tmp_path):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                 "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                 "AWS_WEB_IDENTITY_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    with pytest.raises(NoCredentialsError):
        invoke("http://127.0.0.1:9/orders", region=REGION)


@pytest.mark.parametrize(
    ("host", "region"),
    [
        ("order-service-0a1b2c3d4e5f6a7b8.7d67968.vpc-lattice-svcs.us-east-1.on.aws", "us-east-1"),
        ("data-svc-022f67d3a42.1234abc.vpc-lattice-svcs.us-west-2.on.aws.", "us-west-2"),
        ("orders.example.com", None),
    ],
)
def test_region_from_generated_dns_name(host, region):
    assert region_from_host(host) == region


def test_the_lattice_invoke_command_signs_with_the_environment_credentials(lattice_server, monkeypatch, tmp_path):
    # GIVEN credentials in the environment and a service that verifies SigV4
    from typer.testing import CliRunner

    from lattice_components.tools.cli import app

    url, _ = lattice_server
    for name, value in {
        "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "AWS_DEFAULT_REGION": REGION,
        "AWS_CONFIG_FILE": str(tmp_path / "none"), "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
        "AWS_EC2_METADATA_DISABLED": "true",
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI"):
        monkeypatch.delenv(name, raising=False)
    # WHEN `lattice invoke` calls it; THEN the signature is accepted and the command exits 0
    result = CliRunner().invoke(app, ["invoke", f"{url}/orders", "--region", REGION])
    assert result.exit_code == 0, result.output
    assert "HTTP 200" in result.output
