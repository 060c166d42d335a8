// Users: the organization's people and their roles; administrators add people, disable
// and re-enable them, and change their roles (per brand or organization-wide).
import { useEffect, useState } from 'preact/hooks';
import {
  api,
  newIdempotencyKey,
  ROLE_LABELS,
  ROLES,
  type Brand,
  type Role,
  type RoleGrant,
  type SessionInfo,
  type User,
} from '../api';

const PAGE_SIZE = 25;

export function UsersPage({ session }: { session: SessionInfo }) {
  const canManage = session.actions.includes('users.manage');
  const [brands, setBrands] = useState<Brand[]>([]);
  const [users, setUsers] = useState<User[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState('');
  const [status, setStatus] = useState('');
  const [editing, setEditing] = useState<number | null>(null);

  const load = async (cursor: string | null) => {
    setLoading(true);
    setError('');
    try {
      const page = await api.users(cursor, PAGE_SIZE);
      setUsers((prev) => (cursor ? [...prev, ...page.items] : page.items));
      setNext(page.next_cursor);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    api
      .organization()
      .then((o) => setBrands(o.brands))
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    load(null);
  }, []);

  const replace = (u: User) => setUsers((prev) => prev.map((p) => (p.id === u.id ? u : p)));

  const toggle = async (u: User) => {
    setError('');
    try {
      const changed = await api.patchUser(u.id, { disabled: !u.disabled });
      replace(changed);
      setStatus(`${changed.email} is now ${changed.disabled ? 'disabled' : 'enabled'}.`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <>
      <h1>Users</h1>
      <p class="visually-hidden" role="status">
        {status}
      </p>
      {status && (
        <p class="notice" aria-hidden="true">
          {status}
        </p>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {canManage && (
        <AddUser
          brands={brands}
          onAdded={(u) => {
            setUsers((prev) => [...prev, u]);
            setStatus(`Added ${u.email}.`);
          }}
        />
      )}
      <section aria-labelledby="users-list-heading">
        <h2 id="users-list-heading">People in your organization</h2>
        <div class="table-wrap">
          <table class="data">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Roles</th>
                <th scope="col">Status</th>
                {canManage && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id} data-email={u.email}>
                  <td>{u.display_name}</td>
                  <td>{u.email}</td>
                  <td>
                    {editing === u.id ? (
                      <RoleEditor
                        user={u}
                        brands={brands}
                        onDone={(changed) => {
                          setEditing(null);
                          if (changed) {
                            replace(changed);
                            setStatus(`Saved the roles of ${changed.email}.`);
                          }
                        }}
                      />
                    ) : (
                      <RoleList roles={u.roles} brands={brands} />
                    )}
                  </td>
                  <td>{u.disabled ? <span class="badge badge-off">Disabled</span> : 'Active'}</td>
                  {canManage && (
                    <td class="row-actions">
                      {u.id !== session.user.id && (
                        <button
                          type="button"
                          class="secondary"
                          onClick={() => toggle(u)}
                          aria-label={`${u.disabled ? 'Enable' : 'Disable'} ${u.email}`}
                        >
                          {u.disabled ? 'Enable' : 'Disable'}
                        </button>
                      )}
                      {editing !== u.id && (
                        <button
                          type="button"
                          class="secondary"
                          onClick={() => setEditing(u.id)}
                          aria-label={`Change roles of ${u.email}`}
                        >
                          Change roles
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {loading && <p role="status">Loading users…</p>}
        {next && !loading && (
          <button type="button" class="secondary" onClick={() => load(next)}>
            Show more users
          </button>
        )}
      </section>
    </>
  );
}

function scopeName(grant: RoleGrant, brands: Brand[]): string {
  if (grant.brand_id === null || grant.brand_id === undefined) return 'whole organization';
  return brands.find((b) => b.id === grant.brand_id)?.name ?? `brand ${grant.brand_id}`;
}

function RoleList({ roles, brands }: { roles: RoleGrant[]; brands: Brand[] }) {
  if (roles.length === 0) return <span>No roles</span>;
  return (
    <ul class="plain">
      {roles.map((g, i) => (
        <li key={i}>
          {ROLE_LABELS[g.role] ?? g.role} — {scopeName(g, brands)}
        </li>
      ))}
    </ul>
  );
}

// Rows of (role, scope) with add and remove buttons. `idPrefix` keeps ids unique when
// several editors are on the page.
function GrantsEditor({
  idPrefix,
  grants,
  brands,
  onChange,
}: {
  idPrefix: string;
  grants: RoleGrant[];
  brands: Brand[];
  onChange: (g: RoleGrant[]) => void;
}) {
  const set = (i: number, g: RoleGrant) => onChange(grants.map((old, k) => (k === i ? g : old)));
  return (
    <fieldset class="grants">
      <legend>Roles</legend>
      {grants.length === 0 && <p class="hint">No roles: this person can sign in but do nothing.</p>}
      {grants.map((g, i) => (
        <div class="grant-row" key={i}>
          <div class="field">
            <label for={`${idPrefix}-role-${i}`}>Role {i + 1}</label>
            <select
              id={`${idPrefix}-role-${i}`}
              value={g.role}
              onChange={(e) => set(i, { ...g, role: e.currentTarget.value as Role })}
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for={`${idPrefix}-scope-${i}`}>For role {i + 1}</label>
            <select
              id={`${idPrefix}-scope-${i}`}
              value={g.brand_id === null || g.brand_id === undefined ? '' : String(g.brand_id)}
              onChange={(e) => {
                const v = e.currentTarget.value;
                set(i, { ...g, brand_id: v === '' ? null : Number(v) });
              }}
            >
              <option value="">Whole organization</option>
              {brands.map((b) => (
                <option key={b.id} value={String(b.id)}>
                  {b.name}
                </option>
              ))}
            </select>
          </div>
          <button
            type="button"
            class="secondary"
            onClick={() => onChange(grants.filter((_, k) => k !== i))}
            aria-label={`Remove role ${i + 1}`}
          >
            Remove
          </button>
        </div>
      ))}
      <button
        type="button"
        class="secondary"
        onClick={() => onChange([...grants, { role: 'author', brand_id: brands[0]?.id ?? null }])}
      >
        Add a role
      </button>
    </fieldset>
  );
}

function AddUser({ brands, onAdded }: { brands: Brand[]; onAdded: (u: User) => void }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [grants, setGrants] = useState<RoleGrant[]>([{ role: 'author', brand_id: null }]);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  // One key per form: a double submit or a retry after a lost answer adds the user once.
  const [key, setKey] = useState(newIdempotencyKey);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      const user = await api.addUser(
        { email: email.trim(), display_name: name.trim(), password, roles: grants },
        key,
      );
      onAdded(user);
      setEmail('');
      setName('');
      setPassword('');
      setGrants([{ role: 'author', brand_id: null }]);
      setKey(newIdempotencyKey());
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="add-user-heading" class="card">
      <h2 id="add-user-heading">Add a user</h2>
      <form onSubmit={submit}>
        <div class="row">
          <div class="field">
            <label for="add-email">Email</label>
            <input
              id="add-email"
              type="email"
              required
              autoComplete="off"
              value={email}
              onInput={(e) => {
                setEmail(e.currentTarget.value);
                setKey(newIdempotencyKey());
              }}
            />
          </div>
          <div class="field">
            <label for="add-name">Display name</label>
            <input
              id="add-name"
              required
              maxLength={200}
              autoComplete="off"
              value={name}
              onInput={(e) => {
                setName(e.currentTarget.value);
                setKey(newIdempotencyKey());
              }}
            />
          </div>
          <div class="field">
            <label for="add-password">Initial password</label>
            <input
              id="add-password"
              type="password"
              required
              minLength={12}
              autoComplete="new-password"
              aria-describedby="add-password-hint"
              value={password}
              onInput={(e) => {
                setPassword(e.currentTarget.value);
                setKey(newIdempotencyKey());
              }}
            />
            <span class="hint" id="add-password-hint">
              At least 12 characters.
            </span>
          </div>
        </div>
        <GrantsEditor
          idPrefix="add"
          grants={grants}
          brands={brands}
          onChange={(g) => {
            setGrants(g);
            setKey(newIdempotencyKey());
          }}
        />
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Adding…' : 'Add user'}
        </button>
      </form>
    </section>
  );
}

function RoleEditor({
  user,
  brands,
  onDone,
}: {
  user: User;
  brands: Brand[];
  onDone: (changed: User | null) => void;
}) {
  const [grants, setGrants] = useState<RoleGrant[]>(
    user.roles.map((g) => ({ role: g.role, brand_id: g.brand_id ?? null })),
  );
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      onDone(await api.patchUser(user.id, { roles: grants }));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={save} aria-label={`Roles of ${user.email}`}>
      <GrantsEditor idPrefix={`edit-${user.id}`} grants={grants} brands={brands} onChange={setGrants} />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="button-row">
        <button type="submit" disabled={busy}>
          Save roles
        </button>
        <button type="button" class="secondary" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
