// Parse iCalendar files with Mozilla's ical.js, as Thunderbird does, and report what
// it saw as JSON: each VEVENT's uid, summary, start, end (in UTC or as dates), status,
// and whether every TZID used is backed by a VTIMEZONE.
const fs = require("fs");
const ICAL = require("ical.js");

const results = process.argv.slice(2).map((file) => {
  const component = new ICAL.Component(ICAL.parse(fs.readFileSync(file, "utf8")));
  const zones = new Set(component.getAllSubcomponents("vtimezone").map((tz) => tz.getFirstPropertyValue("tzid")));
  for (const tz of component.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(tz);
  }
  const used = new Set();
  const events = component.getAllSubcomponents("vevent").map((vevent) => {
    for (const name of ["dtstart", "dtend"]) {
      const tzid = vevent.getFirstProperty(name)?.getParameter("tzid");
      if (tzid) used.add(tzid);
    }
    const event = new ICAL.Event(vevent);
    const show = (time) => (time.isDate ? time.toString() : time.toJSDate().toISOString());
    return {
      uid: event.uid,
      summary: event.summary,
      start: show(event.startDate),
      end: show(event.endDate),
      status: vevent.getFirstPropertyValue("status"),
      sequence: event.sequence,
    };
  });
  return { file, events, missingZones: [...used].filter((z) => !zones.has(z)) };
});
process.stdout.write(JSON.stringify(results));
