// Turns the guard's findings (UTF-8 byte offsets into the screened text) into runs of
// the JavaScript string (UTF-16), each with the findings that cover it, so the page can
// wrap the covered runs in <mark>.
import type { Finding, Severity } from './api';

// For every UTF-8 byte offset that starts a code point (and the end), the UTF-16 index
// of that code point. Offsets inside a code point map to the code point's start.
export function byteToIndex(text: string): (byte: number) => number {
  const starts: number[] = []; // starts[byte] = utf16 index
  let byte = 0;
  let index = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (let i = 0; i < len; i++) starts[byte + i] = index;
    byte += len;
    index += ch.length;
  }
  starts[byte] = index;
  return (b: number) => (b <= 0 ? 0 : b >= byte ? index : starts[b]);
}

export interface Run {
  text: string;
  // Indexes (into the findings array) of the findings covering this run.
  findings: number[];
  // Findings that end with this run (their reference numbers go after it).
  ending: number[];
}

const RANK: Record<Severity, number> = { info: 0, review: 1, block: 2 };

export function strongest(findings: Finding[], indexes: number[]): Severity {
  let best: Severity = 'info';
  for (const i of indexes) if (RANK[findings[i].severity] > RANK[best]) best = findings[i].severity;
  return best;
}

// Findings about the text as a whole rather than a passage of it: the reading-level
// grade spans every byte, and marking everything would mark nothing.
export function aboutWholeText(f: Finding): boolean {
  return f.kind === 'reading_level' && f.type === 'grade';
}

// Splits `text` at every finding boundary. Findings with an empty span (such as a
// missing alt text) and findings about the whole text cover nothing.
export function runs(text: string, findings: Finding[]): Run[] {
  const toIndex = byteToIndex(text);
  const spans = findings.map((f) =>
    aboutWholeText(f) ? { start: 0, end: 0 } : { start: toIndex(f.start), end: toIndex(f.end) },
  );
  const cuts = new Set<number>([0, text.length]);
  for (const s of spans) {
    if (s.end > s.start) {
      cuts.add(s.start);
      cuts.add(s.end);
    }
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const out: Run[] = [];
  for (let k = 0; k + 1 < sorted.length; k++) {
    const a = sorted[k];
    const b = sorted[k + 1];
    const covering: number[] = [];
    const ending: number[] = [];
    spans.forEach((s, i) => {
      if (s.end > s.start && s.start <= a && s.end >= b) {
        covering.push(i);
        if (s.end === b) ending.push(i);
      }
    });
    out.push({ text: text.slice(a, b), findings: covering, ending });
  }
  return out;
}

// The part of the text a finding covers ("" for findings about the whole text).
export function excerpt(text: string, f: Finding): string {
  if (aboutWholeText(f)) return '';
  const toIndex = byteToIndex(text);
  return text.slice(toIndex(f.start), toIndex(f.end));
}
