#!/usr/bin/python3
"""scaleout: the load side of scaleout.stack. Signed-in patients read a
page (GET /appointments) and book appointments (POST /appointments, each
form with its own idempotency key) through nginx, which spreads them over
two medsysd pools; when a third of the requests are done, the whole of one
pool (its process group: parent and workers) is killed with SIGKILL.

Checks, in the order a user would notice them:
  - no GET is lost: every one answers 200 with the whole page, those that
    met the dead pool included (nginx passes them to the other pool);
  - no acknowledged booking is lost: every 303 names an appointment that
    is in the database, booked, for that patient and that form's key;
  - a booking that was not acknowledged answers only nginx's 503 page
    (nginx never resends a POST it has sent), and sending that same form
    again books it exactly once (or finds the booking already made);
  - nothing is duplicated: one appointment per form, never two;
  - the test did what it says: both pools served requests before the
    kill, GETs were retried on the surviving pool, and requests kept being
    served after it.

Environment: MEDSYS_URL, MEDSYS_PGHOST (from tests/harness/with-stack),
SCALE_KILL_PGID (the process group of the pool to kill), SCALE_ACCESS_LOG
(nginx's access log), SCALE_DEAD (upstream address of the pool killed),
SCALE_LIVE (that of the other), SCALE_CLIENTS and SCALE_ROUNDS (load size:
each client does ROUNDS GETs and ROUNDS POSTs)."""
import http.client
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import urllib.parse

URL = urllib.parse.urlsplit(os.environ["MEDSYS_URL"])
ORIGIN = os.environ["MEDSYS_URL"]
CLIENTS = int(os.environ.get("SCALE_CLIENTS", "6"))
ROUNDS = int(os.environ.get("SCALE_ROUNDS", "25"))
KILL_PGID = int(os.environ["SCALE_KILL_PGID"])
DEAD = os.environ["SCALE_DEAD"]
LIVE = os.environ["SCALE_LIVE"]
TZ = "Europe/Madrid"          # the harness keeps the default clinic_timezone

fails = []


def check(cond, msg):
    print(("ok   " if cond else "FAIL ") + msg, flush=True)
    if not cond:
        fails.append(msg)


def sql(q):
    cmd = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-h", os.environ["MEDSYS_PGHOST"],
           "-U", "medsys", "-d", "medsys", "-c", q]
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "medsys", "--"] + cmd
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip()


def setup():
    """The doctor, CLIENTS signed-in patients (token, csrf, user id) and
    CLIENTS * ROUNDS free slots (epoch seconds), all distinct."""
    doctor = sql("SELECT id FROM clinic.doctors WHERE licence_number = 'T-0001'")
    # Every day of the week, so that the slots never depend on today's date.
    sql("INSERT INTO appt.schedules (doctor_id, weekday, start_time, end_time, slot_minutes, valid_from) "
        "SELECT %s, w, '07:00', '21:00', 15, current_date - 1 FROM generate_series(1, 7) w" % doctor)
    rows, sessions = [], []
    for i in range(CLIENTS):
        token, csrf = secrets.token_hex(32), secrets.token_hex(32)
        sessions.append((token, csrf))
        rows.append("('scale%02d@clinic.test', '%s', '%s')" % (i, token, csrf))
    sql("""
WITH v(email, token, csrf) AS (VALUES %s),
u AS (INSERT INTO auth.users (email, full_name, language, password_hash, email_verified_at)
      SELECT v.email, 'Scale ' || v.email, 'es', p.password_hash, now()
        FROM v, auth.users p WHERE p.email = 'patient1@clinic.test' RETURNING id, email),
r AS (INSERT INTO auth.user_roles (user_id, role) SELECT id, 'patient' FROM u)
INSERT INTO auth.sessions (user_id, token_hash, csrf_token, idle_seconds, expires_at)
SELECT u.id, sha256(convert_to(v.token, 'UTF8')), v.csrf, 1800, now() + interval '1 hour'
  FROM u JOIN v ON v.email = u.email""" % ",".join(rows))
    ids = sql("SELECT id FROM auth.users WHERE email LIKE 'scale%%@clinic.test' ORDER BY email").split()
    patients = [(t, c, int(u)) for (t, c), u in zip(sessions, ids)]
    slots = sql("SELECT extract(epoch FROM starts_at)::bigint FROM appt.free_slots(%s, current_date, "
                "current_date + 40, '%s') WHERE starts_at > now() + interval '2 hours' "
                "ORDER BY starts_at LIMIT %d" % (doctor, TZ, CLIENTS * ROUNDS)).split()
    if len(slots) < CLIENTS * ROUNDS:
        sys.exit("scaleout: only %d free slots" % len(slots))
    return doctor, patients, slots


def request(method, path, token, body=None):
    """(status, Location, body) of one request on a new connection;
    (0, None, error) when the connection fails or the answer is cut."""
    headers = {"Cookie": "session=" + token}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Origin"] = ORIGIN
    c = http.client.HTTPConnection(URL.hostname, URL.port, timeout=60)
    try:
        c.request(method, path, body, headers)
        resp = c.getresponse()
        page = resp.read().decode("utf-8", "replace")
        return resp.status, resp.getheader("Location"), page
    except Exception as e:      # refused, reset or truncated: lost
        return 0, None, repr(e)
    finally:
        c.close()


class Load:
    """The requests and their answers, shared by the client threads."""

    def __init__(self, doctor, patients, slots):
        self.doctor, self.patients, self.slots = doctor, patients, slots
        self.lock = threading.Lock()
        self.done = 0
        self.killed_at = None            # requests done when the pool died
        self.gets, self.posts = [], []   # (status, complete) / (form, status, Location)
        self.kill_now = threading.Event()

    def count(self):
        with self.lock:
            self.done += 1
            if self.done == (2 * CLIENTS * ROUNDS) // 3:
                self.kill_now.set()

    def form(self, i, k):
        token, csrf, user = self.patients[i]
        return {"csrf": csrf, "doctor": self.doctor, "start": self.slots[i * ROUNDS + k],
                "reason": "scale-out", "key": secrets.token_hex(16)}

    def client(self, i):
        token = self.patients[i][0]
        for k in range(ROUNDS):
            st, _, page = request("GET", "/appointments", token)
            with self.lock:
                self.gets.append((st, page.rstrip().endswith("</html>"), len(page.encode())))
            self.count()
            f = self.form(i, k)
            st, loc, _ = request("POST", "/appointments", token, urllib.parse.urlencode(f))
            with self.lock:
                self.posts.append((i, f, st, loc))
            self.count()

    def killer(self):
        self.kill_now.wait()
        os.killpg(KILL_PGID, signal.SIGKILL)
        with self.lock:
            self.killed_at = self.done
        print("killed pool %s (process group %d) after %d of %d requests"
              % (DEAD, KILL_PGID, self.killed_at, 2 * CLIENTS * ROUNDS), flush=True)

    def run(self):
        threads = [threading.Thread(target=self.client, args=(i,)) for i in range(CLIENTS)]
        threads.append(threading.Thread(target=self.killer))
        for t in threads:
            t.start()
        for t in threads:
            t.join()


def check_gets(load):
    # The list page stays well under libfcgi's 8 KB output buffer, so a
    # worker sends each answer in one write and a kill never cuts one in
    # half (docs/scaling.md: what nginx cannot retry).
    lost = [st for st, complete, _ in load.gets if st != 200 or not complete]
    print("GET page sizes: %d to %d bytes" % (min(n for _, _, n in load.gets), max(n for _, _, n in load.gets)))
    check(len(load.gets) == CLIENTS * ROUNDS, "%d GETs sent" % (CLIENTS * ROUNDS))
    check(not lost, "no GET lost: every one answered 200 with the whole page (%d lost, statuses %s)"
          % (len(lost), sorted(set(lost))))


def check_posts(load):
    """Acknowledged bookings are in the database; the others answered 503."""
    acked = {}
    others = []
    for i, f, st, loc in load.posts:
        m = re.fullmatch(r"/appointments/([0-9]+)", loc or "")
        if st == 303 and m:
            acked[f["key"]] = (int(m.group(1)), load.patients[i][2])
        else:
            others.append((i, f, st))
    print("bookings: %d acknowledged, %d not (statuses %s)"
          % (len(acked), len(others), sorted(set(st for _, _, st in others))), flush=True)
    check(len(acked) >= CLIENTS * ROUNDS // 2, "most bookings acknowledged")
    check(all(st == 503 for _, _, st in others),
          "a booking not acknowledged got nginx's 503 page, never another answer")
    rows = {}
    for line in sql("SELECT idempotency_key, id, patient_id, status FROM appt.appointments "
                    "WHERE reason = 'scale-out'").splitlines():
        key, aid, pid, status = line.split("|")
        rows.setdefault(key, []).append((int(aid), int(pid), status))
    kept = [k for k, (aid, pid) in acked.items() if rows.get(k) == [(aid, pid, "booked")]]
    check(len(kept) == len(acked), "every acknowledged booking is in the database, booked, for its "
          "patient (%d of %d)" % (len(kept), len(acked)))
    return others


def check_resubmit(load, others):
    """Send each form not acknowledged again: booked once, never twice."""
    again = [request("POST", "/appointments", load.patients[i][0], urllib.parse.urlencode(f))
             for i, f, _ in others]
    check(all(st == 303 for st, _, _ in again), "every resubmitted form answers 303")
    total = len(load.posts)
    check(sql("SELECT count(*) FROM appt.appointments WHERE reason = 'scale-out'") == str(total),
          "one appointment per form: %d" % total)
    check(sql("SELECT count(DISTINCT idempotency_key) FROM appt.appointments WHERE reason = 'scale-out'")
          == str(total), "no duplicates: each form's key once")


def check_log(load):
    """What nginx saw: both pools served, GETs met the dead pool and were
    answered by the other, and the live pool served on alone."""
    path = os.environ["SCALE_ACCESS_LOG"]
    lines = [l for l in open(path, encoding="utf-8", errors="replace")
             if " /appointments HTTP/" in l]
    ua = [re.search(r" ua=(.*)$", l.rstrip("\n")).group(1) for l in lines]
    check(any(a == DEAD for a in ua), "the pool killed served requests before it died")
    check(any(a == LIVE for a in ua), "the other pool served requests too")
    retried = [l for l, a in zip(lines, ua) if l.split('"')[1].startswith("GET ")
               and a.startswith(DEAD + ", ") and " 200 " in l]
    print("GETs that met the dead pool and were answered by the other: %d" % len(retried), flush=True)
    check(len(retried) > 0, "GETs sent to the dead pool were answered by the other (nginx retried them)")
    check(load.killed_at is not None and load.killed_at < len(load.gets) + len(load.posts),
          "requests were still being sent after the kill")


def main():
    doctor, patients, slots = setup()
    load = Load(doctor, patients, slots)
    load.run()
    check_gets(load)
    others = check_posts(load)
    check_resubmit(load, others)
    check_log(load)
    sys.exit(1 if fails else 0)


main()
