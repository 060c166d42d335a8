// Small message blocks the composer, review and notification pages share.

// An error the user must read, announced at once; nothing when `error` is empty.
export function ErrorAlert({ error, prefix = '' }: { error: string; prefix?: string }) {
  if (!error) return null;
  return (
    <p class="error" role="alert">
      {prefix}
      {error}
    </p>
  );
}

export const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));
