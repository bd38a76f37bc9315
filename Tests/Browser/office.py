"""The people and data a browser test needs, made over the services' HTTP APIs (not through the pages
under test): units, users with their one-time passwords, an agency."""
import json
import os
import secrets
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
        for key, name, roles in [
            ("clerk", "Lương Thị Văn Thư", ["clerk"]), ("head", "Trần Công Huân", ["head"]),
            ("leader", "Nông Thị Lãnh Đạo", ["unitLeader"]), ("specialist", "Hoàng Thị Huỳnh", ["specialist"]),
        ]:
            created = api.ok("POST", "/api/v1/users", admin, {
                "username": f"{key}.{self.run.lower()}", "fullName": f"{name} {self.run}", "unitId": self.unit, "position": "",
                "roles": roles, "permissions": [], "phone": None})
            self.people[key] = {"username": created["username"], "password": created["initialPassword"], "id": created["id"],
                                "name": f"{name} {self.run}"}

    def settle_password(self, key):
        """Changes a person's one-time password over the API, for those whose first login is not under test."""
        person = self.people[key]
        first = self.api.ok("POST", "/api/v1/auth/login", body={"username": person["username"], "password": person["password"]})
        new = "Mat-khau-" + secrets.token_hex(6)
        self.api.ok("POST", "/api/v1/auth/password", first["token"], {"currentPassword": person["password"], "newPassword": new})
        person["password"] = new
