// The app: asks the server who is signed in, shows the sign-in page or the frame with
// the page the address names.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, onSessionEnded, setCsrfToken, type SessionInfo } from './api';
import { ANYONE, findSection, SECTIONS } from './nav';
import { navigate, onLinkClick, usePath } from './router';
import { SignInPage } from './pages/signin';
import { ScreenPage } from './pages/screen';
import { UsersPage } from './pages/users';
import { CalendarPage } from './pages/calendar';
import { CalendarIoPage } from './pages/calendar_io';
import { AuditPage } from './pages/audit';
import { CampaignsPage } from './pages/campaigns';
import { ComingPage, NotAllowedPage, NotFoundPage } from './pages/simple';
import { ComposePage } from './pages/compose';
import { ReviewPage } from './pages/review';
import { SeriesPage } from './pages/series';
import { NotificationBell, NotificationsPage } from './pages/notifications';
import { AuthorizationsPage } from './pages/authorizations';

type State =
  | { kind: 'loading' }
  | { kind: 'signed-out'; notice?: string }
  | { kind: 'signed-in'; session: SessionInfo }
  | { kind: 'unreachable'; detail: string };

export function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });

  const signedIn = (session: SessionInfo) => {
    setCsrfToken(session.csrf_token);
    setState({ kind: 'signed-in', session });
  };

  useEffect(() => {
    onSessionEnded(() =>
      setState({ kind: 'signed-out', notice: 'Your session has ended. Please sign in again.' }),
    );
    api
      .session()
      .then(signedIn)
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 401) setState({ kind: 'signed-out' });
        else setState({ kind: 'unreachable', detail: e instanceof Error ? e.message : String(e) });
      });
  }, []);

  switch (state.kind) {
    case 'loading':
      return (
        <main class="centered" id="main">
          <p role="status">Loading carepost…</p>
        </main>
      );
    case 'unreachable':
      return (
        <main class="centered" id="main">
          <h1>carepost is not available</h1>
          <p role="alert">{state.detail}</p>
        </main>
      );
    case 'signed-out':
      return <SignInPage notice={state.notice} onSignedIn={signedIn} />;
    case 'signed-in':
      return (
        <Frame
          session={state.session}
          onSignedOut={() => setState({ kind: 'signed-out', notice: 'You have signed out.' })}
        />
      );
  }
}

function Frame({ session, onSignedOut }: { session: SessionInfo; onSignedOut: () => void }) {
  const path = usePath();
  const allowed = (action: string) => action === ANYONE || session.actions.includes(action);
  const visible = SECTIONS.filter((s) => !s.hidden && allowed(s.action));
  const [signOutError, setSignOutError] = useState('');
  const heading = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // "/" opens the first section this user may use.
  useEffect(() => {
    if (path === '/' && visible.length > 0) navigate(visible.find((s) => !s.coming)?.path ?? visible[0].path, true);
  }, [path]);

  // After in-app navigation, move focus to the new page's main region so keyboard and
  // screen-reader users start reading the new page, as after a full page load.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    heading.current?.focus();
  }, [path]);

  const section = findSection(path);
  useEffect(() => {
    document.title = section ? `${section.label} · carepost` : 'carepost';
  }, [section]);

  const signOut = async () => {
    try {
      await api.signOut();
    } catch (e) {
      // 401: already signed out, which is what the user wants.
      if (!(e instanceof ApiError && e.status === 401)) {
        setSignOutError(e instanceof Error ? e.message : String(e));
        return;
      }
    }
    setCsrfToken('');
    history.replaceState(null, '', '/');
    onSignedOut();
  };

  let page;
  if (path === '/') page = <p role="status">Opening…</p>;
  else if (!section) page = <NotFoundPage />;
  else if (!allowed(section.action)) page = <NotAllowedPage section={section.label} />;
  else if (section.coming) page = <ComingPage section={section} />;
  else if (path === '/calendar/io') page = <CalendarIoPage />;
  else if (section.path === '/calendar') page = <CalendarPage session={session} />;
  else if (section.path === '/campaigns') page = <CampaignsPage session={session} path={path} />;
  else if (section.path === '/screen') page = <ScreenPage />;
  else if (section.path === '/users') page = <UsersPage session={session} />;
  else if (section.path === '/audit') page = <AuditPage session={session} />;
  // ---- composer and review (webcompose) ----
  else if (section.path === '/compose') page = <ComposePage key="new" session={session} postId={null} />;
  else if (section.path === '/posts') {
    const id = Number(path.split('/')[2]);
    page = Number.isInteger(id) && id > 0 ? <ComposePage key={id} session={session} postId={id} /> : <NotFoundPage />;
  } else if (section.path === '/series') {
    const id = Number(path.split('/')[2]);
    page = Number.isInteger(id) && id > 0 ? <SeriesPage key={id} id={id} /> : <NotFoundPage />;
  } else if (section.path === '/review') page = <ReviewPage session={session} />;
  else if (section.path === '/notifications') page = <NotificationsPage canDraft={allowed('posts.draft')} />;
  else if (section.path === '/authorizations') page = <AuthorizationsPage session={session} />;
  // ---- end composer and review ----
  else page = <NotFoundPage />;

  return (
    <div class="frame">
      <a class="skip-link" href="#main">
        Skip to main content
      </a>
      <header class="topbar">
        <span class="brand">carepost</span>
        <div class="account">
          <NotificationBell path={path} />
          <span class="who">
            Signed in as <strong>{session.user.display_name || session.user.email}</strong>
          </span>
          <button type="button" class="secondary" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      {signOutError && (
        <p class="error banner" role="alert">
          Sign-out failed: {signOutError}
        </p>
      )}
      <div class="body">
        <nav class="sidenav" aria-label="Main">
          <ul>
            {visible.map((s) => (
              <li key={s.path}>
                <a
                  href={s.path}
                  onClick={onLinkClick}
                  aria-current={section?.path === s.path ? 'page' : undefined}
                >
                  {s.label}
                  {s.coming && <span class="tag"> coming</span>}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" tabIndex={-1} ref={heading}>
          {page}
        </main>
      </div>
    </div>
  );
}
