// Wall-clock times in an IANA zone, with the browser's own time-zone data (Intl): the
// composer plans "9:00 on 12 March in America/New_York" and the server stores the UTC
// instant plus the zone.

// The browser's zone, the default for a new post.
export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

// Every zone the browser knows (the browser's own first when it is missing).
export function allZones(): string[] {
  const withSupported = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const zones = withSupported.supportedValuesOf?.('timeZone') ?? [];
  const own = browserZone();
  return zones.includes(own) ? zones : [own, ...zones];
}

// The wall-clock parts of `instant` in `zone`.
function partsIn(instant: number, zone: string): { date: string; time: string; asUtc: number } {
  const parts: Record<string, string> = {};
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  for (const p of format.formatToParts(new Date(instant))) parts[p.type] = p.value;
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const time = `${parts.hour}:${parts.minute}`;
  const asUtc = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  return { date, time, asUtc };
}

// "2027-03-12" + "09:00" in `zone` as an RFC 3339 UTC time. A time the clocks skip
// (spring forward) moves forward by the gap; an ambiguous one takes the earlier instant.
export function zonedToUtc(date: string, time: string, zone: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  // Offsets near the wall time; try each and keep those that map back to it.
  let guess = wall - (partsIn(wall, zone).asUtc - wall);
  const offset2 = partsIn(guess, zone).asUtc - guess;
  const candidates = [wall - (partsIn(wall, zone).asUtc - wall), wall - offset2];
  const exact = candidates.filter((c) => partsIn(c, zone).asUtc === wall).sort((a, b) => a - b);
  guess = exact.length > 0 ? exact[0] : Math.max(...candidates);
  return new Date(guess).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// An RFC 3339 time as the date and time on the wall in `zone`.
export function utcToZoned(iso: string, zone: string): { date: string; time: string } {
  const { date, time } = partsIn(Date.parse(iso), zone);
  return { date, time };
}
