// Screen: paste a text, choose where it goes, see what the guard finds, marked in place.
import { useState } from 'preact/hooks';
import { api, type Finding, type ScreenResult, type Severity } from '../api';
import { aboutWholeText, excerpt, runs, strongest } from '../highlight';

const PLATFORMS: [string, string][] = [
  ['', 'Any platform (no platform limits)'],
  ['facebook', 'Facebook'],
  ['instagram', 'Instagram'],
  ['threads', 'Threads'],
  ['x', 'X'],
  ['linkedin', 'LinkedIn'],
  ['youtube', 'YouTube'],
  ['pinterest', 'Pinterest'],
  ['tiktok', 'TikTok'],
  ['bluesky', 'Bluesky'],
  ['mastodon', 'Mastodon'],
];

// docs/openapi.yaml, POST /api/v1/screen: context is post, reply or inbound.
const CONTEXTS: [string, string][] = [
  ['post', 'Post we publish'],
  ['reply', 'Reply we send to a comment or message'],
  ['inbound', 'Comment or message we received'],
];

const KIND_LABELS: Record<string, string> = {
  phi: 'Protected health information',
  patient_confirmation: 'Confirms someone is a patient',
  misinformation: 'Health misinformation',
  alarmist: 'Alarmist wording',
  medical_claim: 'Medical claim to review',
  reading_level: 'Reading level',
  crisis: 'Crisis signal',
  platform_limit: 'Platform limit',
};

export const SEVERITY_LABELS: Record<Severity, string> = {
  block: 'Blocks',
  review: 'Review',
  info: 'Note',
};

export const VERDICTS = {
  block: { title: 'Blocked', text: 'This text cannot go out as written: fix every finding marked “Blocks”.' },
  review: { title: 'Needs review', text: 'Nothing blocks, but a person should check the findings marked “Review”.' },
  pass: { title: 'No problems found', text: 'The guard found nothing to change.' },
};

export function ScreenPage() {
  const [text, setText] = useState('');
  const [platform, setPlatform] = useState('');
  const [context, setContext] = useState('post');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  // The result with the text it was computed for (the textarea may change after).
  const [result, setResult] = useState<{ text: string; result: ScreenResult } | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!text.trim()) {
      setError('Paste or type the text to screen first.');
      return;
    }
    setBusy(true);
    setError('');
    try {
      const r = await api.screen({ text, context, platform: platform || undefined });
      setResult({ text, result: r });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setResult(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1>Screen a text</h1>
      <p class="lead">
        Paste a post, a reply or a message. The guard checks it for protected health information,
        misinformation, alarmist wording, medical claims, crisis signals, reading level and platform
        limits. Nothing you screen here is stored.
      </p>
      <form class="screen-form" onSubmit={submit}>
        <div class="field">
          <label for="screen-text">Text to screen</label>
          <textarea
            id="screen-text"
            rows={6}
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
            aria-describedby={error ? 'screen-error' : undefined}
          />
        </div>
        <div class="row">
          <div class="field">
            <label for="screen-platform">Platform</label>
            <select id="screen-platform" value={platform} onChange={(e) => setPlatform(e.currentTarget.value)}>
              {PLATFORMS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="screen-context">Kind of text</label>
            <select id="screen-context" value={context} onChange={(e) => setContext(e.currentTarget.value)}>
              {CONTEXTS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <div class="actions">
            <button type="submit" disabled={busy}>
              {busy ? 'Screening…' : 'Screen'}
            </button>
          </div>
        </div>
        {error && (
          <p class="error" id="screen-error" role="alert">
            {error}
          </p>
        )}
      </form>
      <div aria-live="polite">{result && <ScreenResultView text={result.text} result={result.result} />}</div>
    </>
  );
}

function ScreenResultView({ text, result }: { text: string; result: ScreenResult }) {
  const verdict = VERDICTS[result.verdict];
  const findings = result.findings;
  const counts = { block: 0, review: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return (
    <section class="screen-result" aria-labelledby="result-heading">
      <h2 id="result-heading">Result</h2>
      <div class={`verdict verdict-${result.verdict}`} data-verdict={result.verdict}>
        <span class="verdict-icon" aria-hidden="true">
          {result.verdict === 'block' ? '✕' : result.verdict === 'review' ? '!' : '✓'}
        </span>
        <div>
          <p class="verdict-title">{verdict.title}</p>
          <p>
            {verdict.text} {findings.length === 0 ? '' : `${counts.block} blocking, ${counts.review} to review, ${counts.info} notes.`}
          </p>
        </div>
      </div>
      {findings.length > 0 && (
        <>
          <h3>Your text, with findings marked</h3>
          <p class="legend">
            <mark class="sev-block">Blocks</mark> solid double underline,{' '}
            <mark class="sev-review">Review</mark> dashed underline, <mark class="sev-info">Note</mark> dotted
            underline. The number after a marked passage is its finding below.
          </p>
          <HighlightedText text={text} findings={findings} />
          <h3>Findings</h3>
          <ol class="findings">
            {findings.map((f, i) => (
              <FindingItem key={i} index={i} finding={f} text={text} />
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

// The text with each finding's passage in a <mark>; `idPrefix` keeps the finding links
// apart when a page shows several texts.
export function HighlightedText({
  text,
  findings,
  idPrefix = 'finding',
  label,
}: {
  text: string;
  findings: Finding[];
  idPrefix?: string;
  label?: string;
}) {
  return (
    <div class="highlighted" data-testid="highlighted-text" aria-label={label} role={label ? 'group' : undefined}>
      {runs(text, findings).map((run, k) => {
        if (run.findings.length === 0) return <span key={k}>{run.text}</span>;
        const severity = strongest(findings, run.findings);
        const names = run.findings.map((i) => `finding ${i + 1}: ${describe(findings[i])}`).join('; ');
        return (
          <span key={k}>
            <mark class={`sev-${severity}`} data-severity={severity} title={names}>
              <span class="visually-hidden">[{SEVERITY_LABELS[severity]} starts] </span>
              {run.text}
              <span class="visually-hidden"> [ends]</span>
            </mark>
            {run.ending.map((i) => (
              <a key={i} class="ref" href={`#${idPrefix}-${i + 1}`} aria-label={`Finding ${i + 1}`}>
                {i + 1}
              </a>
            ))}
          </span>
        );
      })}
    </div>
  );
}

// docs/findings.schema.json: the PHI types, as a reader would name them.
const PHI_LABELS: Record<string, string> = {
  NAME: 'name',
  GEO: 'place smaller than a state',
  DATE: 'date',
  AGE_OVER_89: 'age over 89',
  PHONE: 'phone number',
  FAX: 'fax number',
  EMAIL: 'email address',
  SSN: 'Social Security number',
  MRN: 'medical record number',
  HEALTH_PLAN: 'health plan number',
  ACCOUNT: 'account number',
  LICENSE: 'licence number',
  VEHICLE: 'vehicle identifier',
  DEVICE: 'device identifier',
  URL: 'web address',
  IP: 'IP address',
  BIOMETRIC: 'biometric identifier',
  OTHER_ID: 'other identifier',
};

export function describe(f: Finding): string {
  const kind = KIND_LABELS[f.kind] ?? f.kind;
  if (f.kind === 'phi') return `${kind}: ${PHI_LABELS[f.type] ?? f.type}`;
  if (f.kind === 'crisis') return `${kind}: ${f.type === 'self_harm' ? 'self-harm' : 'medical emergency'}`;
  return kind;
}

export function FindingItem({
  index,
  finding,
  text,
  idPrefix = 'finding',
}: {
  index: number;
  finding: Finding;
  text: string;
  idPrefix?: string;
}) {
  const quoted = excerpt(text, finding);
  return (
    <li id={`${idPrefix}-${index + 1}`} class={`finding sev-${finding.severity}`} data-severity={finding.severity} tabIndex={-1}>
      <p class="finding-head">
        <span class={`badge badge-${finding.severity}`}>{SEVERITY_LABELS[finding.severity]}</span>{' '}
        <strong>{describe(finding)}</strong>
        {quoted ? (
          <>
            {' '}
            in <q>{quoted.length > 120 ? quoted.slice(0, 117) + '…' : quoted}</q>
          </>
        ) : (
          aboutWholeText(finding) && ' (the whole text)'
        )}
      </p>
      <p>{finding.message}</p>
      {finding.suggestion && (
        <p>
          <strong>Suggestion:</strong> {finding.suggestion}
        </p>
      )}
      {finding.rebuttal && (
        <p>
          <strong>What the evidence says:</strong> {finding.rebuttal}
        </p>
      )}
      {finding.sources && finding.sources.length > 0 && (
        <ul class="sources">
          {finding.sources.map((s) => (
            <li key={s.url}>
              <a href={s.url} target="_blank" rel="noopener noreferrer">
                {s.title}
              </a>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
