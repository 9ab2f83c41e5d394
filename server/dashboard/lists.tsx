/**
 * Rule lists managed on the server: the school's list source (categories, allow and block lists),
 * imports by upload, what to check before publishing, publishing (signed on the server, or
 * exported, signed offline with `steward rules sign` and uploaded), and the history with rollback.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, versionText, when } from './http.ts';

type Finding = { kind: string; message: string; count: number; examples: string[] };
type Change = { part: string; added: number; removed: number; examples: string[] };
type History = {
  version: number;
  issuedAt: string;
  publishedAt: string;
  how: 'server' | 'offline' | 'rollback' | 'expiry';
  restored?: number;
  entries: number;
  changes: Change[];
};
type ListState = {
  signing: 'server' | 'offline';
  publicKey: string | null;
  current: { version: number; issuedAt: string } | null;
  newListDue: boolean;
  categories: {
    id: string;
    label: string | null;
    mode: 'block' | 'warn' | 'allow';
    builtIn: boolean;
    entries: number;
  }[];
  allowList: number;
  blockList: number;
  grants: { entry: string; until: string | null }[];
  history: History[];
};
type Draft = { version: number; bytes: number; findings: Finding[]; changes: Change[] };

const HOW: Record<History['how'], string> = {
  server: 'Signed on the server',
  offline: 'Signed offline and uploaded',
  rollback: 'Rollback',
  expiry: 'Republished when granted access ended',
};
const FORMATS = ['auto', 'plain', 'hosts', 'adblock', 'dnsmasq', 'ut1-domains', 'ut1-urls'];
const n = new Intl.NumberFormat('en-GB');

function changeText(changes: Change[]): string {
  if (changes.length === 0) return 'No change to the entries';
  return changes
    .map(
      (c) =>
        `${c.part}: ${c.added > 0 ? `+${n.format(c.added)}` : ''}${c.added && c.removed ? ' ' : ''}${c.removed > 0 ? `−${n.format(c.removed)}` : ''}`,
    )
    .join('; ');
}

function partName(part: string, state: ListState): string {
  if (part === 'allowList') return 'Allow list';
  if (part === 'blockList') return 'Block list';
  const id = part.replace(/^category:/, '');
  const c = state.categories.find((x) => x.id === id);
  return c?.label ? `${c.label} (${id})` : id;
}

function Entries({
  part,
  state,
  onChange,
}: {
  part: string;
  state: ListState;
  onChange: () => void;
}) {
  const [query, setQuery] = useState('');
  const [page, setPage] = useState<{ total: number; entries: string[] } | null>(null);
  const [add, setAdd] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState('auto');
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    api<{ total: number; entries: string[] }>(
      `/api/lists/entries?part=${encodeURIComponent(part)}&q=${encodeURIComponent(query)}&limit=100`,
    )
      .then(setPage)
      .catch((e: Error) => setError(e.message));
  useEffect(() => {
    void load();
  }, [part, query]);

  const run = async (work: () => Promise<string>) => {
    setError(null);
    try {
      setStatus(await work());
      await load();
      onChange();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const name = partName(part, state);
  return (
    <section aria-labelledby="entries-heading" class="entries">
      <h3 id="entries-heading">Entries: {name}</h3>
      <label for="entry-search">Find entries containing</label>
      <input
        id="entry-search"
        type="search"
        value={query}
        onInput={(e) => setQuery(e.currentTarget.value)}
      />
      {page && (
        <>
          <p>
            {n.format(page.total)} entries{query ? ' match' : ''}
            {page.total > page.entries.length ? `; the first ${page.entries.length} are shown` : ''}
            . Built-in entries are not listed here.
          </p>
          <ul class="entry-list">
            {page.entries.map((e) => (
              <li key={e}>
                <code>{e}</code>{' '}
                <button
                  type="button"
                  class="secondary small"
                  aria-label={`Remove ${e}`}
                  onClick={() =>
                    run(async () => {
                      await api('/api/lists/entries', { part, remove: [e] });
                      return `Removed ${e}.`;
                    })
                  }
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <form
        class="entries-form"
        onSubmit={(ev) => {
          ev.preventDefault();
          void run(async () => {
            const r = await api<{ added: number; refused: { entry: string; reason: string }[] }>(
              '/api/lists/entries',
              { part, add: add.split(/\s+/).filter(Boolean) },
            );
            setAdd('');
            return `Added ${n.format(r.added)}.${r.refused.map((x) => ` Not added: ${x.entry} (${x.reason}).`).join('')}`;
          });
        }}
      >
        <label for="entries-add">Add domains or address prefixes (one per line)</label>
        <textarea
          id="entries-add"
          rows={3}
          value={add}
          onInput={(e) => setAdd(e.currentTarget.value)}
        />
        <button type="submit">Add</button>
      </form>
      <form
        class="entries-form"
        onSubmit={(ev) => {
          ev.preventDefault();
          if (!file) return;
          void run(async () => {
            const text = await file.text();
            const r = await api<{
              format: string;
              read: number;
              added: number;
              skippedCount: number;
              skipped: { line: number; text: string; reason: string }[];
            }>(
              `/api/lists/import?part=${encodeURIComponent(part)}&format=${format}&name=${encodeURIComponent(file.name)}`,
              text,
              'text/plain',
            );
            return `Imported ${file.name} as ${r.format}: read ${n.format(r.read)}, added ${n.format(r.added)} new. ${
              r.skippedCount === 0
                ? 'No lines skipped.'
                : `Skipped ${n.format(r.skippedCount)} lines, e.g. ${r.skipped
                    .slice(0, 3)
                    .map((s) => `line ${s.line} "${s.text}" (${s.reason})`)
                    .join('; ')}.`
            }`;
          });
        }}
      >
        <label for="import-file">
          Import a list file (UT1 domains or urls, hosts, AdBlock, dnsmasq or plain)
        </label>
        <input
          id="import-file"
          type="file"
          onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
        />
        <label for="import-format">Format</label>
        <select
          id="import-format"
          value={format}
          onChange={(e) => setFormat(e.currentTarget.value)}
        >
          {FORMATS.map((f) => (
            <option key={f} value={f}>
              {f === 'auto' ? 'Work it out from the file' : f}
            </option>
          ))}
        </select>
        <button type="submit" disabled={!file}>
          Import
        </button>
      </form>
      <p aria-live="polite">{status}</p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

export function ListsPage() {
  const [state, setState] = useState<ListState | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [part, setPart] = useState<string | null>(null);
  const [newId, setNewId] = useState('');
  const [newLabel, setNewLabel] = useState('');
  const [upload, setUpload] = useState<{ list: File | null; sig: File | null }>({
    list: null,
    sig: null,
  });

  const load = async () => {
    try {
      setState(await api<ListState>('/api/lists'));
      setDraft(await api<Draft>('/api/lists/draft'));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  useEffect(() => {
    void load();
  }, []);

  const run = async (work: () => Promise<string>) => {
    setError(null);
    try {
      setStatus(await work());
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  if (!state) {
    return (
      <div class="view">
        <h2>Rule lists</h2>
        {error ? (
          <p class="error" role="alert">
            {error}
          </p>
        ) : (
          <p aria-live="polite">Loading the lists…</p>
        )}
      </div>
    );
  }
  return (
    <div class="view">
      <h2>Rule lists</h2>
      <p data-testid="list-current">
        {state.current
          ? `Published: ${versionText(state.current)}.`
          : 'No list has been published yet.'}{' '}
        {state.signing === 'server'
          ? 'Lists are signed on this server with the key in its data folder.'
          : 'Lists are signed offline: export the draft, sign it with steward rules sign, and upload both files.'}
      </p>
      {state.newListDue && (
        <p class="error" role="alert">
          Access granted from a request has ended: publish a new list so browsers stop allowing it.
        </p>
      )}
      {state.publicKey && (
        <>
          <label for="public-key">Public key (the policy's ruleListPublicKey)</label>
          <textarea id="public-key" readOnly rows={3} value={state.publicKey} />
        </>
      )}
      <p aria-live="polite" data-testid="lists-message">
        {status}
      </p>
      {error && (
        <p class="error" role="alert" data-testid="lists-error">
          {error}
        </p>
      )}

      <section aria-labelledby="check-heading">
        <h3 id="check-heading">Before publishing</h3>
        {draft && (
          <>
            <p>
              The next list: {changeText(draft.changes)}. {(draft.bytes / 1024 / 1024).toFixed(1)}{' '}
              MB.
            </p>
            {draft.findings.length === 0 ? (
              <p>Nothing to check: no conflicts between categories.</p>
            ) : (
              <ul data-testid="findings">
                {draft.findings.map((f) => (
                  <li key={f.kind}>
                    {f.message}
                    <ul>
                      {f.examples.map((x) => (
                        <li key={x}>
                          <code>{x}</code>
                        </li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
        {state.signing === 'server' ? (
          <button
            type="button"
            onClick={() =>
              run(async () => {
                const r = await api<{ published: History }>('/api/lists/publish', {});
                return `Published ${versionText(r.published)}.`;
              })
            }
          >
            Publish now
          </button>
        ) : (
          <>
            <p>
              <a href="/api/lists/export" download>
                Export the draft to sign
              </a>{' '}
              then run{' '}
              <code>
                npx steward rules sign --key rule-list-private.pem steward-rule-list-VERSION.json
              </code>
              .
            </p>
            <form
              class="lists-form"
              onSubmit={(ev) => {
                ev.preventDefault();
                const { list, sig } = upload;
                if (!list || !sig) return;
                void run(async () => {
                  const r = await api<{ published: History }>('/api/lists/upload', {
                    list: await list.text(),
                    signature: await sig.text(),
                  });
                  return `Published ${versionText(r.published)}.`;
                });
              }}
            >
              <label for="upload-list">Signed list (.json)</label>
              <input
                id="upload-list"
                type="file"
                accept=".json"
                onChange={(e) => setUpload({ ...upload, list: e.currentTarget.files?.[0] ?? null })}
              />
              <label for="upload-sig">Its signature (.json.sig)</label>
              <input
                id="upload-sig"
                type="file"
                accept=".sig"
                onChange={(e) => setUpload({ ...upload, sig: e.currentTarget.files?.[0] ?? null })}
              />
              <button type="submit" disabled={!upload.list || !upload.sig}>
                Upload and publish
              </button>
            </form>
          </>
        )}
      </section>

      <section aria-labelledby="source-heading">
        <h3 id="source-heading">The school's lists</h3>
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a table that scrolls sideways must be reachable by keyboard to scroll it (WCAG 2.1.1). */}
        <section class="scroll" tabIndex={0} aria-labelledby="categories-caption">
          <table>
            <caption id="categories-caption">Categories and lists</caption>
            <thead>
              <tr>
                <th scope="col">List</th>
                <th scope="col">The policy's mode</th>
                <th scope="col">Steward's built-in list</th>
                <th scope="col">The school's entries</th>
                <th scope="col">Edit</th>
              </tr>
            </thead>
            <tbody>
              {state.categories.map((c) => (
                <tr key={c.id}>
                  <th scope="row">{c.label ? `${c.label} (${c.id})` : c.id}</th>
                  <td>
                    <select
                      aria-label={`Mode of ${c.id} in the policy`}
                      value={c.mode}
                      onChange={(e) =>
                        run(async () => {
                          await api('/api/lists/category', {
                            id: c.id,
                            mode: e.currentTarget.value,
                          });
                          return `${c.id}: mode noted.`;
                        })
                      }
                    >
                      <option value="block">Block</option>
                      <option value="warn">Warn</option>
                      <option value="allow">Allow</option>
                    </select>
                  </td>
                  <td>{c.builtIn ? 'Included' : '—'}</td>
                  <td>{n.format(c.entries)}</td>
                  <td>
                    <button
                      type="button"
                      class="secondary"
                      onClick={() => setPart(`category:${c.id}`)}
                    >
                      Entries of {c.id}
                    </button>
                  </td>
                </tr>
              ))}
              <tr>
                <th scope="row">Allow list</th>
                <td>Always allowed</td>
                <td>—</td>
                <td>
                  {n.format(state.allowList)} (+ {n.format(state.grants.length)} from requests)
                </td>
                <td>
                  <button type="button" class="secondary" onClick={() => setPart('allowList')}>
                    Entries of the allow list
                  </button>
                </td>
              </tr>
              <tr>
                <th scope="row">Block list</th>
                <td>Always blocked</td>
                <td>—</td>
                <td>{n.format(state.blockList)}</td>
                <td>
                  <button type="button" class="secondary" onClick={() => setPart('blockList')}>
                    Entries of the block list
                  </button>
                </td>
              </tr>
            </tbody>
          </table>
        </section>
        <p class="hint">
          The mode is what your policy sets for each category; it is used here only to find domains
          listed in two categories that the policy treats differently.
        </p>
        <form
          class="lists-form"
          onSubmit={(ev) => {
            ev.preventDefault();
            void run(async () => {
              await api('/api/lists/category', { id: newId.trim(), label: newLabel.trim() });
              setNewId('');
              setNewLabel('');
              return `Added the category ${newId.trim()}.`;
            });
          }}
        >
          <label for="new-id">New category id (a-z, 0-9, - and _)</label>
          <input
            id="new-id"
            value={newId}
            required
            onInput={(e) => setNewId(e.currentTarget.value)}
          />
          <label for="new-label">Its name for staff</label>
          <input
            id="new-label"
            value={newLabel}
            required
            onInput={(e) => setNewLabel(e.currentTarget.value)}
          />
          <button type="submit">Add category</button>
        </form>
        {part && <Entries part={part} state={state} onChange={() => void load()} />}
      </section>

      <section aria-labelledby="history-heading">
        <h3 id="history-heading">History</h3>
        {state.history.length === 0 ? (
          <p>Nothing published yet.</p>
        ) : (
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a table that scrolls sideways must be reachable by keyboard to scroll it (WCAG 2.1.1).
          <section class="scroll" tabIndex={0} aria-labelledby="history-caption">
            <table>
              <caption id="history-caption">Published lists, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Published</th>
                  <th scope="col">How</th>
                  <th scope="col">Entries</th>
                  <th scope="col">What changed</th>
                  <th scope="col">Roll back</th>
                </tr>
              </thead>
              <tbody>
                {state.history.map((h, i) => (
                  <tr key={h.version} data-testid="history-row">
                    <th scope="row">{versionText(h)}</th>
                    <td>
                      {HOW[h.how]}
                      {h.restored
                        ? ` to the list of ${when(state.history.find((x) => x.version === h.restored)?.issuedAt ?? h.issuedAt)}`
                        : ''}
                    </td>
                    <td>{n.format(h.entries)}</td>
                    <td>{changeText(h.changes)}</td>
                    <td>
                      {i === 0 ? (
                        'In force'
                      ) : state.signing === 'server' ? (
                        <button
                          type="button"
                          class="secondary"
                          onClick={() =>
                            run(async () => {
                              const r = await api<{ published: History }>('/api/lists/rollback', {
                                version: h.version,
                              });
                              return `Rolled back: published the list of ${versionText(h)} again as ${versionText(r.published)}.`;
                            })
                          }
                        >
                          Roll back to version {h.version}
                        </button>
                      ) : (
                        <a href={`/api/lists/export?restore=${h.version}`} download>
                          Export version {h.version} to sign again
                        </a>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )}
      </section>
    </div>
  );
}
