"""Reads an iCalendar file with PyPI's icalendar (an independent parser) and prints what it found as
JSON, for the Swift tests to check. Exits 1 if the file does not parse or has no VCALENDAR."""
import json
import sys

from icalendar import Calendar

with open(sys.argv[1], "rb") as handle:
    raw = handle.read()
calendar = Calendar.from_ical(raw)
if calendar.name != "VCALENDAR":
    sys.exit(1)
events = []
for component in calendar.walk("VEVENT"):
    attendees = component.get("ATTENDEE", [])
    if not isinstance(attendees, list):
        attendees = [attendees]
    rrule = component.get("RRULE")
    exdates = component.get("EXDATE", [])
    if not isinstance(exdates, list):
        exdates = [exdates]
    events.append({
        "uid": str(component.get("UID")),
        "summary": str(component.get("SUMMARY")),
        "location": str(component.get("LOCATION", "")),
        "description": str(component.get("DESCRIPTION", "")),
        "sequence": int(component.get("SEQUENCE", 0)),
        "status": str(component.get("STATUS", "")),
        "start": component.decoded("DTSTART").isoformat(),
        "organizer": str(component.get("ORGANIZER").params.get("CN")) if component.get("ORGANIZER") else None,
        "attendees": [{"name": str(a.params.get("CN")), "partstat": str(a.params.get("PARTSTAT"))} for a in attendees],
        "rrule": rrule.to_ical().decode() if rrule else None,
        "exdates": sum(len(e.dts) for e in exdates),
    })
long_lines = [line for line in raw.split(b"\r\n") if len(line) > 75]
print(json.dumps({"events": events, "longLines": len(long_lines), "crlf": raw.count(b"\r\n") == raw.count(b"\n")}, ensure_ascii=False))
