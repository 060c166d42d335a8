// Notifications: the bell in the header (unread count, polled) and the page that lists
// them (/notifications) with links to the posts, mark read and mark all read.
import { useEffect, useState } from 'preact/hooks';
import { notificationsApi, type Notification } from '../posts';
import { onLinkClick } from '../router';
import { ErrorAlert, errorText } from './messages';

const POLL_MS = 30_000;

// Listeners told when the page changes what is read, so the bell follows at once.
const changed = new Set<() => void>();
const announceChange = () => changed.forEach((f) => f());

// The header's link to the notifications, with the unread count in words. Polls every
// 30 seconds and again on every navigation (`path`).
export function NotificationBell({ path }: { path: string }) {
  const [unread, setUnread] = useState<number | null>(null);
  useEffect(() => {
    let stopped = false;
    const poll = () =>
      notificationsApi
        .list(true)
        .then((r) => !stopped && setUnread(r.unread))
        .catch(() => {
          // A failed poll keeps the last count; the next one tries again.
        });
    poll();
    const timer = setInterval(poll, POLL_MS);
    changed.add(poll);
    return () => {
      stopped = true;
      clearInterval(timer);
      changed.delete(poll);
    };
  }, [path]);
  const label = unread === null ? 'Notifications' : `Notifications, ${unread} unread`;
  return (
    <a href="/notifications" onClick={onLinkClick} class="bell" aria-label={label} data-testid="bell" data-unread={unread ?? ''}>
      <svg class="bell-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
        <path
          fill="currentColor"
          d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
        />
      </svg>
      {unread ? <span class="bell-count" aria-hidden="true">{unread}</span> : null}
    </a>
  );
}

// Where a notification leads: reviewers to their queue, authors to their post.
function target(n: Notification, canDraft: boolean): string | null {
  if (n.post_id === null) return null;
  if (n.kind === 'review_requested') return '/review';
  return canDraft ? `/posts/${n.post_id}` : '/review';
}

export function NotificationsPage({ canDraft }: { canDraft: boolean }) {
  const [items, setItems] = useState<Notification[] | null>(null);
  const [error, setError] = useState('');
  const [status, setStatus] = useState('');
  const load = () =>
    notificationsApi
      .list()
      .then((r) => setItems(r.items))
      .catch((e: unknown) => setError(errorText(e)));
  useEffect(() => {
    load();
  }, []);

  const act = async (f: () => Promise<unknown>, done: string) => {
    setError('');
    try {
      await f();
      await load();
      announceChange();
      setStatus(done);
    } catch (e) {
      setError(errorText(e));
    }
  };

  const unread = items?.filter((n) => n.read_at === null).length ?? 0;
  return (
    <>
      <h1>Notifications</h1>
      <ErrorAlert error={error} />
      {items === null && !error && <p role="status">Loading notifications…</p>}
      {items !== null && (
        <>
          <p>
            {unread} unread.{' '}
            {unread > 0 && (
              <button type="button" class="secondary" onClick={() => act(notificationsApi.markAllRead, 'All marked read.')}>
                Mark all read
              </button>
            )}
          </p>
          {items.length === 0 ? (
            <p class="notice">No notifications yet. You will hear here when a post needs your review or yours is reviewed.</p>
          ) : (
            <ul class="plain notification-list">
              {items.map((n) => {
                const to = target(n, canDraft);
                return (
                  <li key={n.id} class={`notification${n.read_at ? '' : ' unread'}`} data-kind={n.kind}>
                    <p>
                      {!n.read_at && <span class="badge badge-info">New</span>}{' '}
                      {to ? (
                        <a href={to} onClick={onLinkClick}>
                          {n.message}
                        </a>
                      ) : (
                        n.message
                      )}
                    </p>
                    <p class="hint">
                      <time dateTime={n.created_at}>{new Date(n.created_at).toLocaleString()}</time>
                      {!n.read_at && (
                        <>
                          {' '}
                          <button
                            type="button"
                            class="link-button"
                            onClick={() => act(() => notificationsApi.markRead(n.id), 'Marked read.')}
                          >
                            Mark read<span class="visually-hidden">: {n.message}</span>
                          </button>
                        </>
                      )}
                    </p>
                  </li>
                );
              })}
            </ul>
          )}
        </>
      )}
      <p role="status">{status}</p>
    </>
  );
}
