// Time zones for the calendar. A post is stored as a UTC instant plus the IANA zone it
// was planned in; the calendar shows it in the viewer's zone (the browser's) and, when
// that differs, in its planned zone. Moving a post to another day keeps its wall time
// in the planned zone ("9:00 in New York" stays 9:00 across a DST change), so the new
// instant is computed from the zone's rules, which the browser knows through Intl.

export const viewerZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export interface WallTime {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const partsFormats = new Map<string, Intl.DateTimeFormat>();

function partsFormat(zone: string): Intl.DateTimeFormat {
  let f = partsFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormats.set(zone, f);
  }
  return f;
}

// The wall time in `zone` at instant `ms` (milliseconds since the epoch).
export function wallTime(ms: number, zone: string): WallTime {
  const out: Record<string, number> = {};
  for (const p of partsFormat(zone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return {
    year: out.year,
    month: out.month,
    day: out.day,
    hour: out.hour % 24,
    minute: out.minute,
    second: out.second,
  };
}

const asUtc = (w: WallTime) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

// The zone's offset from UTC at instant `ms`, in milliseconds (New York in winter: -5 h).
function offsetAt(ms: number, zone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return asUtc(wallTime(whole, zone)) - whole;
}

// The instant of wall time `w` in `zone`. A wall time the zone skips (2:30 on the night
// clocks spring forward) becomes the same length after the gap (3:30); a wall time the
// zone has twice (1:30 on the night clocks fall back) becomes the first of the two.
export function instantOf(w: WallTime, zone: string): number {
  const guess = asUtc(w);
  const before = offsetAt(guess - 86_400_000, zone);
  const after = offsetAt(guess + 86_400_000, zone);
  const first = guess - before; // the reading with the offset in force before any change
  const second = guess - after;
  const valid = [first, second].filter((t) => asUtc(wallTime(t, zone)) === guess);
  if (valid.length > 0) return Math.min(...valid);
  // In a gap: the offset before the change carries the time past it.
  return first;
}

// The same wall time as `ms` in `zone`, `days` calendar days later (or earlier).
export function shiftDays(ms: number, zone: string, days: number): number {
  const w = wallTime(ms, zone);
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day + days));
  return instantOf(
    { ...w, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() },
    zone,
  );
}

// Days from `a` to `b` (YYYY-MM-DD dates).
export function daysBetween(a: string, b: string): number {
  const t = (iso: string) => {
    const [y, m, d] = iso.split('-').map(Number);
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((t(b) - t(a)) / 86_400_000);
}

const pad = (n: number) => String(n).padStart(2, '0');

// YYYY-MM-DD of the instant in `zone`.
export function dateIn(ms: number, zone: string): string {
  const w = wallTime(ms, zone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

// "9:00 AM" in `zone`; with `named`, "9:00 AM EST".
export function clock(ms: number, zone: string, named = false): string {
  return new Intl.DateTimeFormat(undefined, {
    timeZone: zone,
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: named ? 'short' : undefined,
  }).format(new Date(ms));
}

// RFC 3339 in UTC without milliseconds: 2027-02-08T14:00:00Z.
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
