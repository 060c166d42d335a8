// Pages with little on them: sections a later release fills, refusals, unknown paths.
import type { Section } from '../nav';

export function ComingPage({ section }: { section: Section }) {
  return (
    <>
      <h1>{section.label}</h1>
      <p class="coming">
        <strong>Coming in a later release.</strong> {section.coming}
      </p>
    </>
  );
}

export function NotAllowedPage({ section }: { section: string }) {
  return (
    <>
      <h1>Not allowed</h1>
      <p class="error" role="alert">
        Your roles do not allow the {section} page. Ask an administrator if you need access.
      </p>
    </>
  );
}

export function NotFoundPage() {
  return (
    <>
      <h1>Page not found</h1>
      <p>There is no page at this address. Choose a section from the navigation.</p>
    </>
  );
}
