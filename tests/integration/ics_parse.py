#!/usr/bin/python3
"""ics_parse: check an iCalendar file (a feed) or an e-mail message with a
text/calendar part (a notifier mail) with a real parser (python3-icalendar).

usage: ics_parse.py FILE UID START_EPOCH [METHOD|-] [SEQUENCE|-] [STATUS|-]

Exit 0 when FILE parses and holds a VEVENT with that UID whose DTSTART is
the instant START_EPOCH (seconds since the epoch, UTC), and, when given,
the calendar METHOD, the event SEQUENCE and STATUS match. Prints the
reason and exits 1 otherwise, 2 on bad usage."""
import datetime
import email
import email.policy
import sys

import icalendar


def calendar_text(data):
    """The iCalendar text of a raw .ics file or of a MIME message."""
    if data.lstrip().startswith(b"BEGIN:VCALENDAR"):
        return data
    msg = email.message_from_bytes(data, policy=email.policy.default)
    for part in msg.walk():
        if part.get_content_type() == "text/calendar" or \
                (part.get_filename() or "").endswith(".ics"):
            payload = part.get_payload(decode=True)
            if payload:
                return payload
    raise ValueError("no text/calendar part in the message")


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    path, uid, start = argv[1], argv[2], int(argv[3])
    method = argv[4] if len(argv) > 4 and argv[4] != "-" else None
    sequence = argv[5] if len(argv) > 5 and argv[5] != "-" else None
    status = argv[6] if len(argv) > 6 and argv[6] != "-" else None
    with open(path, "rb") as f:
        data = calendar_text(f.read())
    # strict line endings: every line must end in CRLF
    if b"\n" in data.replace(b"\r\n", b""):
        print("bare LF in the calendar text")
        return 1
    for line in data.split(b"\r\n"):
        if len(line) > 75:
            print("line longer than 75 octets: %r" % line)
            return 1
    cal = icalendar.Calendar.from_ical(data)
    if method is not None and str(cal.get("METHOD", "")) != method:
        print("METHOD %r, expected %r" % (cal.get("METHOD"), method))
        return 1
    want = datetime.datetime.fromtimestamp(start, tz=datetime.timezone.utc)
    found = False
    for ev in cal.walk("VEVENT"):
        if str(ev.get("UID")) != uid:
            continue
        found = True
        dt = ev.decoded("DTSTART")
        if not isinstance(dt, datetime.datetime) or dt.tzinfo is None:
            print("DTSTART is not an instant: %r" % (dt,))
            return 1
        if dt != want:
            print("DTSTART %s, expected %s" % (dt.isoformat(), want.isoformat()))
            return 1
        if ev.decoded("DTEND") <= dt:
            print("DTEND not after DTSTART")
            return 1
        if sequence is not None and str(ev.get("SEQUENCE")) != sequence:
            print("SEQUENCE %r, expected %r" % (ev.get("SEQUENCE"), sequence))
            return 1
        if status is not None and str(ev.get("STATUS")) != status:
            print("STATUS %r, expected %r" % (ev.get("STATUS"), status))
            return 1
    if not found:
        print("no VEVENT with UID %s" % uid)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
