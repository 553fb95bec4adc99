#!/usr/bin/python3
"""registry-aux.py — the two servers the download tests put beside a real
docker-registry (distribution 2.8): written for the tests, on loopback.

  token server   GET /token?service=S&scope=repository:NAME:pull — the
                 token service of the distribution project's token-auth
                 spec: Basic credentials checked against --user U:P; the
                 answer {"token", "access_token", "expires_in", "issued_at"}
                 holds a JWT signed RS256 with --key (by `openssl dgst -sha256
                 -sign`), its certificate in the header's "x5c", which the
                 registry (auth: token, rootcertbundle) verifies. Access: pull
                 of a repository under --public for everyone (anonymous
                 too), of any repository for a user who logged in. Wrong
                 credentials: 401 {"details": "incorrect username or
                 password"} (as Docker Hub's auth answers).
  storage        GET /<path> — the registry's storage directory served as a
                 blob store, where the registry's "redirect" storage
                 middleware sends blob downloads (as registries send them to
                 S3 or a CDN).

  fake registry  answers a registry would give on a bad day, constructed
                 from the distribution spec's error format: GET
                 /v2/rate/limited/manifests/* is 429 TOOMANYREQUESTS with
                 Retry-After: 3600 (Docker Hub's pull limit), /v2/denied/…
                 403 DENIED, /v2/big/…/manifests/* a 5 MiB manifest,
                 /v2/loop/… a redirect to itself.

Each request is logged as a JSON line to --log (server, path, whether it
carried an Authorization header and which scheme), so the tests see where
credentials went. The chosen ports are written to --ports as
"TOKEN_PORT STORAGE_PORT FAKE_PORT".
"""
import argparse
import base64
import json
import os
import subprocess
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARGS = None
LOG_LOCK = threading.Lock()


def log(server, handler):
    auth = handler.headers.get("Authorization")
    rec = {"server": server, "path": handler.path,
           "auth": auth.split(" ", 1)[0] if auth else None}
    with LOG_LOCK, open(ARGS.log, "a") as f:
        f.write(json.dumps(rec) + "\n")


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign(payload):
    proc = subprocess.run(["openssl", "dgst", "-sha256", "-sign", ARGS.key],
                          input=payload, capture_output=True, check=True)
    return proc.stdout


def cert_der():
    pem = open(ARGS.cert).read()
    body = pem.split("-----BEGIN CERTIFICATE-----")[1].split("-----END CERTIFICATE-----")[0]
    return "".join(body.split())   # x5c: base64 (not URL-safe) DER


def make_jwt(subject, access):
    now = int(time.time())
    header = {"typ": "JWT", "alg": "RS256", "x5c": [cert_der()]}
    claims = {"iss": ARGS.issuer, "sub": subject, "aud": ARGS.service,
              "exp": now + 300, "nbf": now - 10, "iat": now,
              "jti": uuid.uuid4().hex, "access": access}
    signing_input = (b64url(json.dumps(header).encode()) + "." +
                     b64url(json.dumps(claims).encode())).encode()
    return signing_input.decode() + "." + b64url(sign(signing_input))


class Token(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def answer(self, status, obj):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        log("token", self)
        url = urllib.parse.urlparse(self.path)
        if url.path != "/token":
            return self.answer(404, {"details": "not found"})
        q = urllib.parse.parse_qs(url.query)
        user = None
        auth = self.headers.get("Authorization")
        if auth:
            scheme, _, cred = auth.partition(" ")
            try:
                u, _, p = base64.b64decode(cred).decode().partition(":")
            except Exception:
                u, p = None, None
            if scheme != "Basic" or f"{u}:{p}" not in ARGS.user:
                return self.answer(401, {"details": "incorrect username or password"})
            user = u
        access = []
        for scope in q.get("scope", []):
            parts = scope.split(":")
            if len(parts) != 3 or parts[0] != "repository":
                continue
            name = parts[1]
            public = any(name.startswith(p) for p in ARGS.public)
            if "pull" in parts[2].split(",") and (public or user):
                access.append({"type": "repository", "name": name, "actions": ["pull"]})
        tok = make_jwt(user or "", access)
        self.answer(200, {"token": tok, "access_token": tok, "expires_in": 300,
                          "issued_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})


class Storage(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_GET(self):
        log("storage", self)
        path = os.path.normpath(urllib.parse.urlparse(self.path).path).lstrip("/")
        full = os.path.join(ARGS.storage, path)
        if ".." in path.split("/") or not os.path.isfile(full):
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        data = open(full, "rb").read()
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class Fake(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def answer(self, status, body, headers=()):
        self.send_response(status)
        self.send_header("Docker-Distribution-Api-Version", "registry/2.0")
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def error(self, status, code, message, headers=()):
        body = json.dumps({"errors": [{"code": code, "message": message,
                                       "detail": None}]}).encode()
        self.answer(status, body, [("Content-Type", "application/json")] + list(headers))

    def do_GET(self):
        log("fake", self)
        p = urllib.parse.urlparse(self.path).path
        if p == "/v2/":
            self.answer(200, b"{}", [("Content-Type", "application/json")])
        elif p.startswith("/v2/rate/limited/"):
            self.error(429, "TOOMANYREQUESTS", "You have reached your pull rate limit. "
                       "You may increase the limit by authenticating and upgrading",
                       [("Retry-After", "3600")])
        elif p.startswith("/v2/denied/"):
            self.error(403, "DENIED", "requested access to the resource is denied")
        elif p.startswith("/v2/big/"):
            self.answer(200, b" " * (5 << 20),
                        [("Content-Type", "application/vnd.oci.image.manifest.v1+json")])
        elif p.startswith("/v2/loop/"):
            self.answer(302, b"", [("Location", p)])
        else:
            self.error(404, "NAME_UNKNOWN", "repository name not known to registry")


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--key", required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--issuer", required=True)
    ap.add_argument("--service", required=True)
    ap.add_argument("--user", action="append", default=[])
    ap.add_argument("--public", action="append", default=[])
    ap.add_argument("--storage", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--ports", required=True)
    ARGS = ap.parse_args()
    servers = [ThreadingHTTPServer(("127.0.0.1", 0), Token),
               ThreadingHTTPServer(("127.0.0.1", 0), Storage),
               ThreadingHTTPServer(("127.0.0.1", 0), Fake)]
    for s in servers:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    tmp = ARGS.ports + ".tmp"
    with open(tmp, "w") as f:
        f.write(" ".join(str(s.server_address[1]) for s in servers) + "\n")
    os.rename(tmp, ARGS.ports)
    threading.Event().wait()


if __name__ == "__main__":
    main()
