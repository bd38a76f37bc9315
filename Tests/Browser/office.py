"""The people and data a browser test needs, made over the services' HTTP APIs (not through the pages
under test): units, users with their one-time passwords, an agency."""
import json
import os
import secrets
import uuid
import urllib.error
import urllib.request


class API:
    def __init__(self, base):
        self.base = base

    def call(self, method, path, token=None, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", "Bearer " + token)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                text = response.read().decode()
                return response.status, (json.loads(text) if text else None)
        except urllib.error.HTTPError as error:
            text = error.read().decode()
            return error.code, (json.loads(text) if text.startswith("{") else text)

    def ok(self, method, path, token=None, body=None):
        status, answer = self.call(method, path, token, body)
        if status not in (200, 201, 204):
            raise AssertionError(f"{method} {path}: {status} {answer}")
        return answer


def admin_password(local_dir):
    with open(os.path.join(local_dir, "secrets", "admin-browser-password")) as handle:
        return handle.read().strip()


def admin_token(api, local_dir):
    """The admin's token. On a fresh stack admin still has the one-time password: the test sets a
    password of its own and keeps it under .local/secrets for the next runs."""
    kept = os.path.join(local_dir, "secrets", "admin-browser-password")
    if os.path.exists(kept):
        with open(kept) as handle:
            password = handle.read().strip()
        status, answer = api.call("POST", "/api/v1/auth/login", body={"username": "admin", "password": password})
        if status == 200:
            return answer["token"]
    with open(os.path.join(local_dir, "secrets", "admin-initial-password")) as handle:
        initial = handle.read().strip()
    status, answer = api.call("POST", "/api/v1/auth/login", body={"username": "admin", "password": initial})
    if status != 200:
        raise AssertionError(
            "cannot log in as admin: neither the one-time password nor .local/secrets/admin-browser-password works "
            f"({status} {answer}); write admin's current password to {kept}")
    password = "Trinh-duyet-" + secrets.token_hex(8)
    changed = api.ok("POST", "/api/v1/auth/password", answer["token"], {"currentPassword": initial, "newPassword": password})
    with open(kept, "w") as handle:
        handle.write(password)
    os.chmod(kept, 0o600)
    return changed["token"]


class Office:
    """A unit with a clerk, the head, a unit leader and a specialist, all new for this run."""

    def __init__(self, api, admin):
        self.api = api
        self.run = secrets.token_hex(3).upper()
        unit = api.ok("POST", "/api/v1/units", admin, {
            "code": "VP" + self.run, "name": f"Văn phòng {self.run}", "abbreviation": "VP", "parentId": None})
        self.unit = unit["id"]
        self.people = {}
        for key, name, roles, permissions in [
            ("clerk", "Lương Thị Văn Thư", ["clerk"], ["news.publish"]), ("head", "Trần Công Huân", ["head"], []),
            ("leader", "Nông Thị Lãnh Đạo", ["unitLeader"], []), ("specialist", "Hoàng Thị Huỳnh", ["specialist"], []),
        ]:
            created = api.ok("POST", "/api/v1/users", admin, {
                "username": f"{key}.{self.run.lower()}", "fullName": f"{name} {self.run}", "unitId": self.unit, "position": "",
                "roles": roles, "permissions": permissions, "phone": None})
            self.people[key] = {"username": created["username"], "password": created["initialPassword"], "id": created["id"],
                                "name": f"{name} {self.run}"}

    def settle_password(self, key):
        """Changes a person's one-time password over the API, for those whose first login is not under test."""
        person = self.people[key]
        first = self.api.ok("POST", "/api/v1/auth/login", body={"username": person["username"], "password": person["password"]})
        new = "Mat-khau-" + secrets.token_hex(6)
        self.api.ok("POST", "/api/v1/auth/password", first["token"], {"currentPassword": person["password"], "newPassword": new})
        person["password"] = new


def read_env(local_dir, name):
    """KEY=value lines of .local/env/<name>.env."""
    values = {}
    with open(os.path.join(local_dir, "env", f"{name}.env")) as handle:
        for line in handle:
            if "=" in line and not line.startswith("#"):
                key, value = line.rstrip("\n").split("=", 1)
                values[key] = value.strip('"')
    return values


class Partner:
    """Another agency, as deploy/add-partner makes it: its own broker user, and a place in our catalogue.
    `send` publishes a document.v1 to us the way a partner's system would; `remove` takes it all away."""

    def __init__(self, api, admin, local_dir, root, name):
        import subprocess
        self.local_dir = local_dir
        self.code = "000.00.W" + secrets.token_hex(2).upper() + ".B1"
        out = subprocess.run([os.path.join(root, "deploy/add-partner"), "agency", self.code],
                             capture_output=True, text=True, check=True)
        self.url = out.stdout.strip().splitlines()[-1]
        self.name = name
        api.ok("POST", "/api/v1/agencies", admin, {"code": self.code, "name": name, "active": True})
        self.ours = read_env(local_dir, "documents")["IOFFICE_AGENCY_CODE"]

    def send(self, subject, attachments):
        """attachments: (name, content type, bytes) each."""
        import base64
        import datetime
        import hashlib
        import pika
        document = {
            "documentId": str(uuid.uuid4()), "from": {"code": self.code, "name": self.name},
            "to": [{"code": self.ours, "name": "Cơ quan nhận"}], "number": 7, "notation": "UBND-VP",
            "issuedAt": datetime.date.today().isoformat(), "issuedPlace": "Cao Bằng", "documentType": "CV", "subject": subject,
            "signer": {"name": "Trần Công Huân", "position": "Phó Chủ tịch"}, "urgency": "normal", "secrecy": "none",
            "paperCopyFollows": False,
            "attachments": [{"name": n, "contentType": t, "sha256": hashlib.sha256(b).hexdigest(), "size": len(b),
                             "data": base64.b64encode(b).decode()} for n, t, b in attachments],
        }
        connection = pika.BlockingConnection(pika.URLParameters(self.url))
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_publish(
            "ioffice.exchange", "document." + self.ours, json.dumps(document).encode(), mandatory=True,
            properties=pika.BasicProperties(message_id=str(uuid.uuid4()), type="document.v1", content_type="application/json",
                                            user_id=self.code, delivery_mode=2))
        connection.close()
        return document["documentId"]

    def remove(self):
        import base64
        import urllib.parse
        import urllib.request
        env = read_env(self.local_dir, "broker-admin")
        parts = urllib.parse.urlsplit(env["IOFFICE_BROKER_ADMIN_URL"])
        auth = base64.b64encode(f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password)}".encode()).decode()
        vhost = urllib.parse.quote(env.get("IOFFICE_BROKER_VHOST", "ioffice"), safe="")
        for path in (f"queues/{vhost}/{urllib.parse.quote('documents.inbound.' + self.code, safe='')}",
                     f"queues/{vhost}/{urllib.parse.quote('documents.inbound.' + self.code + '.dlq', safe='')}",
                     f"users/{urllib.parse.quote(self.code, safe='')}"):
            request = urllib.request.Request(f"{parts.scheme}://{parts.hostname}:{parts.port}/api/{path}", method="DELETE",
                                             headers={"Authorization": f"Basic {auth}"})
            try:
                urllib.request.urlopen(request, timeout=15).close()
            except Exception:
                pass

