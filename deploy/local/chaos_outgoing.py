"""Outgoing issuances for the fault run (deploy/local/chaos.py): people of a new office draft, review,
approve, sign and issue documents to a partner agency over Documents' HTTP API while the stack is
being killed. Each step is retried until the document's state shows it happened, as a person would
press again after an error page; a draft whose creation had no answer is looked up by its subject
before it is written again, so that a lost answer does not make a second draft.
"""

import base64
import http.client
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "Tests", "Browser"))
from office import API, Office, admin_token  # noqa: E402  (the browser tests' helpers)

SIGNED_PDF = os.path.join(ROOT, "Tests", "SigningTests", "Fixtures", "generated", "two-signatures.pdf")
DRAFT = {"name": "du-thao.docx", "contentType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "data": base64.b64encode("Dự thảo công văn".encode()).decode()}


class Unanswered(Exception):
    """The service did not answer (killed, restarting) or answered 5xx: worth trying again."""


# What a killed or restarting service does to a request: no connection, a cut or garbled answer, a 5xx.
TRANSIENT = (Unanswered, urllib.error.URLError, http.client.HTTPException, ConnectionError, TimeoutError, OSError, ValueError)


class Clerks:
    """The office's people, logged in again whenever their token stops working."""

    def __init__(self, base, log):
        self.base, self.log = base, log
        self.api = API(base)
        self.tokens = {}
        self.lock = threading.Lock()

    def set_up(self, local_dir):
        admin = admin_token(self.api, local_dir)
        self.office = Office(self.api, admin)
        for key in self.office.people:
            self.office.settle_password(key)
        self.people = self.office.people
        catalog = self.api.ok("GET", "/api/v1/document-types", admin)
        self.document_type = next(t["id"] for t in catalog if t["name"] == "Công văn")
        registers = self.api.ok("GET", "/api/v1/registers", admin)
        self.register = next(r["id"] for r in registers if r.get("code") == "DI")

    def token(self, key, fresh=False):
        with self.lock:
            if fresh or key not in self.tokens:
                person = self.people[key]
                answer = self.call_once("POST", "/api/v1/auth/login", None,
                                        {"username": person["username"], "password": person["password"]})
                self.tokens[key] = answer["token"]
            return self.tokens[key]

    def call_once(self, method, path, token, body):
        status, answer = self.api.call(method, path, token, body)
        if status >= 500:
            raise Unanswered(f"{method} {path}: {status}")
        if status >= 400:
            raise Refused(status, answer)
        return answer

    def call(self, key, method, path, body=None, deadline=None):
        """As `key`, until answered: retries connection failures and 5xx, logs in again on 401."""
        deadline = deadline or time.monotonic() + 600
        while True:
            try:
                return self.call_once(method, path, self.token(key), body)
            except Refused as refused:
                if refused.status != 401:
                    raise
                self.tokens.pop(key, None)
            except TRANSIENT:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"{method} {path} as {key}: no answer for 600 s")
            time.sleep(0.5)


class Refused(Exception):
    def __init__(self, status, answer):
        super().__init__(f"{status} {answer}")
        self.status, self.answer = status, answer


class Issuances:
    """`count` documents from draft to issued, by `threads` people-at-once."""

    def __init__(self, clerks, partner_code, run, count, log):
        self.clerks, self.partner, self.run, self.count, self.log = clerks, partner_code, run, count, log
        with open(SIGNED_PDF, "rb") as handle:
            self.signed = base64.b64encode(handle.read()).decode()
        self.issued = {}  # subject -> outgoing id
        self.failures = []
        self.lock = threading.Lock()

    def subject(self, index):
        return f"Chaos {self.run} đi {index + 1} chaos{self.run.lower()}di{index + 1} đôn đốc báo cáo"

    def run_all(self, threads=3):
        indices = list(range(self.count))
        workers = [threading.Thread(target=self.work, args=(indices[n::threads],), daemon=True) for n in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()

    def work(self, indices):
        for index in indices:
            try:
                self.issue(index)
            except Exception as error:  # recorded for the checker; the run goes on
                with self.lock:
                    self.failures.append(f"issuance {index + 1}: {error}")

    def find(self, subject):
        tag = subject.split()[4]
        found = self.clerks.call("specialist", "GET", f"/api/v1/outgoing?box=drafts&q={tag}")
        ids = [item["id"] for item in found["items"] if item["subject"] == subject]
        if not ids:
            found = self.clerks.call("clerk", "GET", f"/api/v1/outgoing?q={tag}")
            ids = [item["id"] for item in found["items"] if item["subject"] == subject]
        return ids

    def create(self, subject):
        """The draft, written once: after an unanswered create, the draft is looked for first."""
        while True:
            existing = self.find(subject)
            if existing:
                return existing[0]
            try:
                created = self.clerks.call_once(
                    "POST", "/api/v1/outgoing", self.clerks.token("specialist"),
                    {"documentTypeId": self.clerks.document_type, "subject": subject, "files": [DRAFT],
                     "recipients": [{"agencyCode": self.partner}]})
                return created["id"]
            except Refused as refused:
                if refused.status != 401:
                    raise
                self.clerks.tokens.pop("specialist", None)  # logged in again by the next token()
            except TRANSIENT:
                time.sleep(0.5)

    def act(self, key, url, body):
        try:
            self.clerks.call(key, "POST", url, body)
        except Refused as refused:
            # Already done by an attempt whose answer was lost: the document moved on (409), or to someone
            # else (403). The state loop reads it again and takes the next step.
            if refused.status not in (403, 409):
                raise

    def issue(self, index):
        subject = self.subject(index)
        people = self.clerks.people
        document = self.create(subject)
        url = f"/api/v1/outgoing/{document}"
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            detail = self.clerks.call("clerk", "GET", url)
            state, holder = detail["state"], detail.get("holderId")
            if state == "issued":
                with self.lock:
                    self.issued[subject] = document
                return
            if state == "draft":
                self.act("specialist", f"{url}/actions", {"action": "submit", "to": people["leader"]["id"]})
            elif state == "inReview" and holder == people["leader"]["id"]:
                self.act("leader", f"{url}/actions", {"action": "approve", "to": people["head"]["id"]})
            elif state == "inReview" and holder == people["head"]["id"]:
                self.act("head", f"{url}/actions", {"action": "approve", "comment": "Đồng ý ban hành"})
            elif state == "approved":
                final = [f for f in detail["files"] if f["kind"] == "final"]
                if not final:
                    self.act("clerk", f"{url}/final", {"file": {"name": "cv-ky-so.pdf", "contentType": "application/pdf",
                                                                 "data": self.signed}})
                elif final[-1].get("verification") == "pending":
                    time.sleep(0.5)
                else:
                    # The local stack trusts no root (operators add the national ones): the clerk confirms.
                    self.act("clerk", f"{url}/issue", {
                        "registerId": self.clerks.register, "signerName": "Trần Công Huân", "signerPosition": "Chủ tịch",
                        "overrideSignature": final[-1].get("verification") != "passed"})
            else:
                raise RuntimeError(f"unexpected state {state} (holder {holder})")
        raise TimeoutError(f"{subject}: not issued within 900 s")
