"""The fault run behind `make chaos` (deploy/local/chaos starts the stack and calls this).

Partner agencies publish documents to us with publisher confirms while a driver kills (SIGKILL) and
starts again RabbitMQ, PostgreSQL and each service at random moments. Then a checker proves, from the
databases and the queues, that every document was registered exactly once with gapless arrival
numbers, that every partner got its `accepted` status, that every notification request (some sent
twice on purpose, under a new message id) became exactly one in-app message per recipient, that every
outgoing document a new office drafted, approved, signed and issued to a partner over HTTP meanwhile
(deploy/local/chaos_outgoing.py) was numbered once, gaplessly, and reached the partner once, that every
outbox is empty, that nothing but the messages sent malformed on purpose is in a dead-letter queue,
and that every service answers.
The last line is `chaos: N sent, N registered, 0 lost, 0 duplicated, numbering gapless`; the exit
status is 1 when any check failed.

Environment: IOFFICE_CHAOS_DOCUMENTS (default 3000), IOFFICE_CHAOS_NOTIFICATIONS (a third of the
documents), IOFFICE_CHAOS_ISSUANCES (a thirtieth of the documents), IOFFICE_CHAOS_PARTNERS (3),
IOFFICE_CHAOS_SEED (random), IOFFICE_CHAOS_FAULT_SECONDS (120: how long faults are injected; the
documents are sent over most of it), IOFFICE_CHAOS_SETTLE_SECONDS (300: how long the system may
take to converge once the faults stop).
"""

import base64
import datetime
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid

import pika

from chaos_outgoing import Clerks, Issuances

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ENV_DIR = os.path.join(ROOT, ".local", "env")
RUN_DIR = os.path.join(ROOT, ".local", "run")
SERVICES = ["documents", "notify", "calendar", "signing"]
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def log(message):
    print(f"chaos: {message}", file=sys.stderr, flush=True)


def read_env(name):
    values = {}
    with open(os.path.join(ENV_DIR, f"{name}.env"), encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                key, value = line.split("=", 1)
                values[key] = value.strip('"')
    return values


def psql(url, sql):
    """One value (or rows of |-separated values) from a service's database."""
    out = subprocess.run(
        ["psql", url, "-X", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql],
        capture_output=True, text=True, timeout=60, check=True)
    return out.stdout.strip()


def psql_retry(url, sql, attempts=30):
    for attempt in range(attempts):
        try:
            return psql(url, sql)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            if attempt == attempts - 1:
                raise
            time.sleep(1)


class BrokerAdmin:
    def __init__(self):
        env = read_env("broker-admin")
        parts = urllib.parse.urlsplit(env["IOFFICE_BROKER_ADMIN_URL"])
        self.base = f"{parts.scheme}://{parts.hostname}:{parts.port}"
        self.auth = base64.b64encode(
            f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password)}".encode()).decode()
        self.vhost = urllib.parse.quote(env.get("IOFFICE_BROKER_VHOST", "ioffice"), safe="")

    def call(self, method, path, body=None):
        request = urllib.request.Request(
            self.base + path, method=method, data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"Basic {self.auth}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=15) as response:
            text = response.read()
            return json.loads(text) if text else None

    def dlq_counts(self):
        """Messages in every dead-letter queue of the vhost, counted by the broker itself."""
        for attempt in range(30):
            try:
                queues = self.call("GET", f"/api/queues/{self.vhost}?columns=name,messages")
                return {q["name"]: q.get("messages", 0) or 0 for q in queues if q["name"].endswith(".dlq")}
            except Exception:  # the broker may be restarting
                time.sleep(1)
        raise RuntimeError("the broker's management API did not answer")

    def dead_letter_reasons(self, queue, count=5):
        """Why the first few messages of a dead-letter queue were parked (their x-ioffice-error), left in place."""
        try:
            messages = self.call("POST", f"/api/queues/{self.vhost}/{urllib.parse.quote(queue, safe='')}/get",
                                 {"count": count, "ackmode": "ack_requeue_true", "encoding": "auto", "truncate": 2000})
        except Exception as error:  # only a diagnostic
            return [f"(could not read {queue}: {error})"]
        return [str((m.get("properties", {}).get("headers") or {}).get("x-ioffice-error", "(no reason header)"))
                for m in messages or []]

    def remove_partner(self, code):
        for path in (f"/api/queues/{self.vhost}/{urllib.parse.quote('documents.inbound.' + code, safe='')}",
                     f"/api/queues/{self.vhost}/{urllib.parse.quote('documents.inbound.' + code + '.dlq', safe='')}",
                     f"/api/users/{urllib.parse.quote(code, safe='')}"):
            try:
                self.call("DELETE", path)
            except Exception:
                pass


def document(partner, ours, index):
    digest = hashlib.sha256(PDF).hexdigest()
    return {
        "documentId": str(uuid.uuid4()),
        "from": {"code": partner, "name": f"Cơ quan thử {partner}"},
        "to": [{"code": ours, "name": "Cơ quan nhận"}],
        "number": index + 1, "notation": "UBND-VP",
        "issuedAt": datetime.date.today().isoformat(), "issuedPlace": "Cao Bằng", "documentType": "CV",
        "subject": f"V/v thử nghiệm chịu lỗi số {index + 1}",
        "signer": {"name": "Trần Công Huân", "position": "Phó Chủ tịch"},
        "urgency": "normal", "secrecy": "none", "paperCopyFollows": False,
        "attachments": [{"name": "cv.pdf", "contentType": "application/pdf", "sha256": digest, "size": len(PDF),
                         "data": base64.b64encode(PDF).decode()}],
    }


def connect(url):
    """A blocking connection with publisher confirms, retried until the broker answers."""
    while True:
        try:
            connection = pika.BlockingConnection(pika.URLParameters(url + "?heartbeat=10&connection_attempts=1"))
            channel = connection.channel()
            channel.confirm_delivery()
            return connection, channel
        except Exception:
            time.sleep(0.5)


def publish_all(url, user, messages, spread):
    """Each (message id, exchange, routing key, type, body) until the broker confirms it; a message whose
    outcome is unknown is sent again with the same message id, which the receiver's inbox ignores."""
    connection, channel = connect(url)
    pause = spread / max(1, len(messages))
    for message_id, exchange, routing_key, kind, body in messages:
        time.sleep(pause)
        while True:
            try:
                channel.basic_publish(
                    exchange, routing_key, body, mandatory=True,
                    properties=pika.BasicProperties(
                        message_id=message_id, type=kind, content_type="application/json",
                        user_id=user, delivery_mode=2, app_id="chaos", timestamp=int(time.time())))
                break
            except Exception:
                try:
                    connection.close()
                except Exception:
                    pass
                time.sleep(0.3)
                connection, channel = connect(url)
    try:
        connection.close()
    except Exception:
        pass


def notification_request(run, index, rng):
    """A notification request from "Documents" to one to three people, in the app only (no SMS gateway
    runs locally)."""
    return {
        "requestId": str(uuid.uuid4()),
        "recipients": [str(uuid.uuid4()) for _ in range(rng.randint(1, 3))],
        "channels": ["inApp"],
        "title": f"Chaos {run} #{index + 1}",
        "body": "Thông báo thử nghiệm chịu lỗi: văn bản đến cần xử lý",
    }


class Partner:
    """One agency: publishes its documents with confirms, and reads the statuses sent back to it."""

    def __init__(self, code, url, ours):
        self.code, self.url, self.ours = code, url, ours
        self.sent = {}  # documentId -> body
        self.malformed = 0
        self.accepted = set()
        self.statuses = 0
        self.documents = []  # (message id, documentId, subject) of the documents we issued to it
        self.stop = threading.Event()

    def connect(self):
        return connect(self.url)

    def publish_all(self, bodies, spread):
        publish_all(self.url, self.code, [
            (message_id, "ioffice.exchange", f"document.{self.ours}", "document.v1", body)
            for message_id, _, body in bodies], spread)

    def read_statuses(self):
        queue = f"documents.inbound.{self.code}"
        while not self.stop.is_set():
            try:
                connection, channel = self.connect()
                while not self.stop.is_set():
                    method, properties, body = channel.basic_get(queue)
                    if method is None:
                        connection.sleep(0.2)
                        continue
                    try:
                        status = json.loads(body)
                        if properties.type == "document.v1":
                            self.documents.append((properties.message_id, status.get("documentId", "").lower(),
                                                   status.get("subject", "")))
                            channel.basic_ack(method.delivery_tag)
                            continue
                        self.statuses += 1
                        if status.get("status") == "accepted":
                            self.accepted.add(status.get("documentId", "").lower())
                    except ValueError:
                        pass
                    channel.basic_ack(method.delivery_tag)
            except Exception:
                time.sleep(0.5)


class Faults:
    """Kills and restarts parts of the stack at random moments until stopped."""

    def __init__(self, rng):
        self.rng = rng
        self.stop = threading.Event()
        self.counts = {}

    def run(self):
        victims = ["broker", "postgres"] + SERVICES
        while not self.stop.wait(self.rng.uniform(2, 6)):
            victim = self.rng.choice(victims)
            self.counts[victim] = self.counts.get(victim, 0) + 1
            down = self.rng.uniform(0.5, 3)
            if victim == "broker":
                log("fault: RabbitMQ killed (SIGKILL)")
                subprocess.run([os.path.join(ROOT, "deploy/local/broker"), "kill"], capture_output=True)
                time.sleep(down)
                subprocess.run([os.path.join(ROOT, "deploy/local/broker"), "start"], capture_output=True)
            elif victim == "postgres":
                log("fault: PostgreSQL stopped in immediate mode")
                subprocess.run([os.path.join(ROOT, "deploy/local/postgres"), "stop-immediate"], capture_output=True)
                time.sleep(down)
                subprocess.run([os.path.join(ROOT, "deploy/local/postgres"), "start"], capture_output=True)
            else:
                try:
                    with open(os.path.join(RUN_DIR, f"{victim}.pid")) as handle:
                        pid = int(handle.read().strip())
                    os.kill(pid, signal.SIGKILL)
                    log(f"fault: {victim} killed (SIGKILL, pid {pid}); its supervisor starts it again")
                except (OSError, ValueError):
                    pass
        # Leave everything running.
        subprocess.run([os.path.join(ROOT, "deploy/local/broker"), "start"], capture_output=True)
        subprocess.run([os.path.join(ROOT, "deploy/local/postgres"), "start"], capture_output=True)


def log_why():
    """The services' last words on retried and dead-lettered messages, for a failed run's reader."""
    for svc in SERVICES:
        try:
            with open(os.path.join(ROOT, ".local", "logs", f"{svc}.log"), encoding="utf-8", errors="replace") as handle:
                lines = [line.rstrip() for line in handle if "dead-lettered" in line or "will retry" in line]
        except OSError:
            continue
        for line in lines[-8:]:
            log(f"{svc}.log: {line[:600]}")


def ready(service):
    port = read_env("local-stack").get(f"IOFFICE_LOCAL_{service.upper()}_PORT")
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=5) as response:
            return response.status == 200
    except Exception:
        return False


def main():
    total = int(os.environ.get("IOFFICE_CHAOS_DOCUMENTS", "3000"))
    partner_count = int(os.environ.get("IOFFICE_CHAOS_PARTNERS", "3"))
    settle = int(os.environ.get("IOFFICE_CHAOS_SETTLE_SECONDS", "300"))
    fault_seconds = int(os.environ.get("IOFFICE_CHAOS_FAULT_SECONDS", "120"))
    notifications = int(os.environ.get("IOFFICE_CHAOS_NOTIFICATIONS", str(max(1, total // 3))))
    issuance_count = int(os.environ.get("IOFFICE_CHAOS_ISSUANCES", str(max(1, total // 30))))
    seed = int(os.environ.get("IOFFICE_CHAOS_SEED", str(random.randrange(1 << 30))))
    rng = random.Random(seed)
    if (not 1 <= total <= 100_000 or not 0 <= notifications <= 100_000 or not 0 <= issuance_count <= 10_000
            or not 1 <= partner_count <= 20):
        sys.exit("chaos: IOFFICE_CHAOS_DOCUMENTS must be 1..100000, IOFFICE_CHAOS_NOTIFICATIONS 0..100000, "
                 "IOFFICE_CHAOS_ISSUANCES 0..10000 and IOFFICE_CHAOS_PARTNERS 1..20")
    documents_env = read_env("documents")
    ours = documents_env["IOFFICE_AGENCY_CODE"]
    databases = {svc: read_env(svc)["IOFFICE_DATABASE_URL"] for svc in SERVICES}
    admin = BrokerAdmin()
    run = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(4))
    log(f"seed {seed}, run {run}: {total} documents from {partner_count} partner agencies to {ours}, "
        f"{notifications} notification requests, {issuance_count} outgoing issuances")

    partners = []
    for index in range(partner_count):
        code = f"000.00.C{run}.P{index + 1}"
        out = subprocess.run([os.path.join(ROOT, "deploy/add-partner"), "agency", code],
                             capture_output=True, text=True, check=True)
        partners.append(Partner(code, out.stdout.strip().splitlines()[-1], ours))
        # The operator's step of adding the agency to the catalogue, done in SQL here.
        psql_retry(databases["documents"],
                   f"insert into agencies (id, code, name, search_key) values (gen_random_uuid(), '{code}', "
                   f"'Cơ quan thử {code}', 'co quan thu {code.lower()}') on conflict (code) do update set active = true")
    # A new office (units and people over the API, as the browser tests make theirs) issues to the first partner.
    documents_port = read_env("local-stack").get("IOFFICE_LOCAL_DOCUMENTS_PORT")
    clerks = Clerks(f"http://127.0.0.1:{documents_port}", log)
    clerks.set_up(os.path.join(ROOT, ".local"))
    issuances = Issuances(clerks, partners[0].code, run, issuance_count, log)
    dlq_before = admin.dlq_counts()
    # Rows of earlier runs (for partners since removed) are not this run's to judge.
    since = {svc: psql_retry(url, "select now()") for svc, url in databases.items()}
    fresh = {svc: f"created_at >= '{since[svc]}'" for svc in SERVICES}

    # Work for each partner: its documents, a few malformed messages among them.
    malformed = max(1, total // 500)
    plans = {p.code: [] for p in partners}
    for index in range(total):
        partner = partners[index % partner_count]
        body = document(partner.code, ours, index)
        partner.sent[body["documentId"]] = body
        plans[partner.code].append((str(uuid.uuid4()), "document", json.dumps(body, ensure_ascii=False).encode()))
    for index in range(malformed):
        partner = partners[index % partner_count]
        partner.malformed += 1
        plans[partner.code].insert(rng.randrange(len(plans[partner.code]) + 1),
                                   (str(uuid.uuid4()), "malformed", b"{ not json"))

    # Notification requests as Documents sends them (its broker user), one in ten sent a second time under
    # a new message id: Notify must know it by its request id.
    requests = [notification_request(run, index, rng) for index in range(notifications)]
    notify_plan = [(str(uuid.uuid4()), "ioffice.events", "notification.requested", "notification-request.v1",
                    json.dumps(request, ensure_ascii=False).encode()) for request in requests]
    for request in requests[::10]:
        notify_plan.insert(rng.randrange(len(notify_plan) + 1),
                           (str(uuid.uuid4()), "ioffice.events", "notification.requested", "notification-request.v1",
                            json.dumps(request, ensure_ascii=False).encode()))
    expected_messages = {(request["requestId"], person) for request in requests for person in request["recipients"]}
    documents_url = documents_env["IOFFICE_AMQP_URL"]
    documents_user = urllib.parse.unquote(urllib.parse.urlsplit(documents_url).username or "")
    inbox_sql = f"select request_id, user_id from messages where title like 'Chaos {run} #%'"

    faults = Faults(rng)
    fault_thread = threading.Thread(target=faults.run, daemon=True)
    readers = [threading.Thread(target=p.read_statuses, daemon=True) for p in partners]
    # Sending is spread over most of the fault window, so that faults hit arrivals, not just a backlog.
    publishers = [threading.Thread(target=p.publish_all, args=(plans[p.code], fault_seconds * 0.8)) for p in partners]
    publishers.append(threading.Thread(
        target=publish_all, args=(documents_url, documents_user, notify_plan, fault_seconds * 0.8)))
    issuing = threading.Thread(target=issuances.run_all, daemon=True)
    started = time.monotonic()
    fault_thread.start()
    for thread in readers + publishers + [issuing]:
        thread.start()
    for thread in publishers:
        thread.join()
    log(f"all {total + malformed + len(notify_plan)} messages confirmed by the broker after {time.monotonic() - started:.0f} s")
    time.sleep(max(0, fault_seconds - (time.monotonic() - started)))  # faults go on while the backlog drains
    faults.stop.set()
    fault_thread.join()
    log(f"faults: {', '.join(f'{k} {v}' for k, v in sorted(faults.counts.items())) or 'none'}; now waiting for the system to settle")

    codes = ", ".join(f"'{p.code}'" for p in partners)
    deadline = time.monotonic() + settle
    issuing.join(timeout=settle)
    log(f"{len(issuances.issued)} of {issuance_count} outgoing documents issued after {time.monotonic() - started:.0f} s")
    ours_prefix = f"Chaos {run} đi "
    while True:
        try:
            registered = int(psql(databases["documents"], f"select count(*) from incoming_documents where sender_code in ({codes})"))
            outboxes = sum(int(psql(url, f"select count(*) from outbox where {fresh[svc]}")) for svc, url in databases.items())
            delivered = int(psql(databases["notify"], f"select count(*) from ({inbox_sql}) m"))
        except Exception:
            registered, outboxes, delivered = -1, -1, -1
        accepted = sum(len(p.accepted & set(p.sent)) for p in partners)
        received = len({d for _, d, subject in partners[0].documents if subject.startswith(ours_prefix)})
        if (received == len(issuances.issued) and registered == total and outboxes == 0 and accepted == total and delivered == len(expected_messages)
                and all(ready(s) for s in SERVICES)):
            break
        if time.monotonic() > deadline:
            log(f"not settled after {settle} s: {registered} registered, {outboxes} outbox rows, {accepted} accepted, "
                f"{delivered} of {len(expected_messages)} in-app messages")
            break
        time.sleep(2)
    time.sleep(6)  # the management API's queue counts lag a few seconds
    for partner in partners:
        partner.stop.set()

    failures = []
    sent_ids = {(p.code, d) for p in partners for d in p.sent}
    rows = psql(databases["documents"],
                f"select sender_code, sender_document_id from incoming_documents where sender_code in ({codes})").splitlines()
    stored = [tuple(row.split("|")) for row in rows if row]
    registered_ids = set(stored)
    lost = len(sent_ids - registered_ids)
    duplicated = len(stored) - len(registered_ids)
    unexpected = len(registered_ids - sent_ids)
    if lost or duplicated or unexpected:
        failures.append(f"{lost} lost, {duplicated} duplicated, {unexpected} never sent")
    gaps = psql(databases["documents"],
                "select register_id, arrival_year, count(*), count(distinct arrival_number), max(arrival_number), "
                "count(*) filter (where arrival_number is null) from incoming_documents "
                "group by register_id, arrival_year "
                "having count(*) <> count(distinct arrival_number) or count(*) <> max(arrival_number) "
                "or count(*) filter (where arrival_number is null) > 0")
    if gaps:
        failures.append(f"arrival numbering has gaps or repeats: {gaps}")
    failures.extend(issuances.failures[:10])
    if len(issuances.issued) != issuance_count:
        failures.append(f"outgoing: {len(issuances.issued)} of {issuance_count} issued")
    issued_rows = psql(databases["documents"],
                       f"select count(*), count(distinct (register_id, issue_year, number)) from outgoing_documents "
                       f"where subject like '{ours_prefix}%' and state = 'issued' and number is not null")
    issued_count, issued_numbers = (int(x) for x in issued_rows.split("|"))
    written = int(psql(databases["documents"], f"select count(*) from outgoing_documents where subject like '{ours_prefix}%'"))
    if written != issuance_count:
        failures.append(f"outgoing: {written} documents written for {issuance_count} drafted (a retry wrote one twice?)")
    if issued_count != len(issuances.issued) or issued_numbers != issued_count:
        failures.append(f"outgoing: {issued_count} issued in the database, {issued_numbers} distinct numbers, "
                        f"{len(issuances.issued)} seen issued")
    outgoing_gaps = psql(databases["documents"],
                         "select register_id, issue_year, count(*), max(number) from outgoing_documents "
                         "where number is not null group by register_id, issue_year "
                         "having count(*) <> count(distinct number) or count(*) <> max(number)")
    if outgoing_gaps:
        failures.append(f"outgoing numbering has gaps or repeats: {outgoing_gaps}")
    ours_delivered = [(m, d) for m, d, subject in partners[0].documents if subject.startswith(ours_prefix)]
    delivered_ids = {d for _, d in ours_delivered}
    doubled_deliveries = sum(1 for d in delivered_ids if len({m for m, x in ours_delivered if x == d}) > 1)
    if len(delivered_ids) != len(issuances.issued) or doubled_deliveries:
        failures.append(f"outgoing: {len(delivered_ids)} delivered to {partners[0].code} of {len(issuances.issued)} issued, "
                        f"{doubled_deliveries} delivered twice under different message ids")
    inbox_rows = [tuple(row.split("|")) for row in psql(databases["notify"], inbox_sql).splitlines() if row]
    inbox = set(inbox_rows)
    messages_lost = len(expected_messages - inbox)
    # Doubles cannot be stored (unique (request_id, user_id)); what the requests sent twice prove is that the
    # second one is taken for the first, not refused or dead-lettered (the .dlq check below).
    if messages_lost or inbox - expected_messages:
        failures.append(f"notifications: {messages_lost} in-app messages lost, "
                        f"{len(inbox - expected_messages)} never requested")
    pending = psql(databases["documents"],
                   "select count(*) from incoming_attachments a join incoming_documents d on d.id = a.document_id "
                   f"where d.sender_code in ({codes}) and a.verification = 'pending'")
    if pending != "0":
        failures.append(f"{pending} attachments still wait for their signature check")
    for svc, url in databases.items():
        left = psql(url, f"select count(*) from outbox where {fresh[svc]}")
        if left != "0":
            failures.append(f"{svc}: {left} rows left in the outbox")
        parked = psql(url, f"select count(*) from outbox_parked where {fresh[svc]}")
        if parked != "0":
            failures.append(f"{svc}: {parked} rows parked in outbox_parked")
    for partner in partners:
        missing = len(set(partner.sent) - partner.accepted)
        if missing:
            failures.append(f"{partner.code}: {missing} documents without their accepted status")
    dlq_after = admin.dlq_counts()
    our_dlq = f"documents.inbound.{ours}.dlq"
    for name, count in dlq_after.items():
        grown = count - dlq_before.get(name, 0)
        expected = malformed if name == our_dlq else 0
        if grown != expected:
            failures.append(f"{name}: {grown} new dead-lettered messages, expected {expected}")
            for reason in admin.dead_letter_reasons(name, min(count, 100))[-5:]:
                log(f"{name} holds a message parked because: {reason[:500]}")
    for svc in SERVICES:
        if not ready(svc):
            failures.append(f"{svc} does not answer /ready")

    for partner in partners:
        admin.remove_partner(partner.code)
    for failure in failures:
        log(f"FAIL {failure}")
    if failures:
        log_why()
    numbering = "numbering gapless" if not gaps else "numbering BROKEN"
    print(f"chaos: {issuance_count} outgoing documents, {issued_count} issued and numbered once, "
          f"{len(delivered_ids)} delivered to the partner, {doubled_deliveries} twice")
    print(f"chaos: {notifications} notification requests ({len(notify_plan) - notifications} sent twice), "
          f"{len(inbox & expected_messages)} of {len(expected_messages)} in-app messages, {messages_lost} lost")
    print(f"chaos: {total} sent, {len(registered_ids & sent_ids)} registered, {lost} lost, {duplicated} duplicated, {numbering}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
