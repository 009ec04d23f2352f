// Type-level tests of the public API and the manifest types, checked by `npm run typecheck` (tsc), never
// run. They import 'cdn-loader' itself, so they see what a user sees: package.json `exports` → dist's
// declarations. A line after `@ts-expect-error` must NOT compile; tsc fails if it does.
import { init, on, setMode, getMode, edges, resolve, load, probe, report } from 'cdn-loader';
import type { AssetInput, EdgeInput, EdgeStatus, EventMap, EventName, InitOptions, Manifest, Mode } from 'cdn-loader';
import schema from '../schema/cdn-manifest.schema.json' with { type: 'json' };

/** True when A and B are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const same = <A, B>(ok: Equal<A, B>): Equal<A, B> => ok;

// --- The schema and the TypeScript types name the same fields, at every level. ---
type Props<S> = S extends { properties: infer P } ? keyof P : never;
type Branch<S> = S extends { anyOf: readonly (infer B)[] } ? Extract<B, { properties: unknown }> : never;
type P = typeof schema.properties;

same<Props<typeof schema>, keyof Manifest>(true);
same<Props<Branch<P['origin']>>, keyof Extract<Manifest['origin'], object>>(true);
same<Props<Branch<P['edges']['items']>>, keyof EdgeInput>(true);
same<Props<Branch<P['assets']['items']>>, keyof AssetInput>(true);
same<Props<P['probe']>, keyof NonNullable<Manifest['probe']>>(true);
same<Props<P['failover']>, keyof NonNullable<Manifest['failover']>>(true);

// --- Manifests ---
const full: Required<Manifest> = {
  $schema: 'https://unpkg.com/cdn-loader/schema/cdn-manifest.schema.json',
  mode: 'round-robin',
  origin: { url: 'https://www.example.org', weight: 0 },
  edges: ['https://cdn3.example.org', { id: 'eu', url: 'https://cdn-eu.example.org', weight: 2 }],
  assets: ['/images/', { path: '/js/app.js', integrity: 'sha384-x', mode: 'off' }],
  sticky: true,
  probe: { type: 'fetch', path: '/cdn-probe.gif', timeout: 2000, interval: 30000, ttl: 300000 },
  failover: { timeout: 'auto', retries: 1 },
  debug: false,
  manifestTimeout: 1500,
  maxStale: 86400000,
  serviceWorker: '/cdn-loader-sw.js',
};
const minimal: Manifest = {};
const numeric: Manifest = { origin: 'https://www.example.org', failover: { timeout: 800 } };
// @ts-expect-error an unknown mode
const badMode: Manifest = { mode: 'fast' };
// @ts-expect-error an edge object needs its url
const noUrl: Manifest = { edges: [{ id: 'eu' }] };
// @ts-expect-error an asset object needs its path
const noPath: Manifest = { assets: [{ integrity: 'sha384-x' }] };
// @ts-expect-error probe.type is "image" or "fetch"
const badProbe: Manifest = { probe: { type: 'xhr' } };
// @ts-expect-error failover.timeout is a number or "auto"
const badTimeout: Manifest = { failover: { timeout: 'never' } };
// @ts-expect-error a misspelt field is caught in TypeScript (the loader ignores it)
const typo: Manifest = { edge: [] };
void [full, minimal, numeric, badMode, noUrl, noPath, badProbe, badTimeout, typo];

// --- init() ---
init({ manifest: '/cdn-manifest.json' });
init({ manifest: full, mode: 'off', debug: true, manifestTimeout: 500 });
// @ts-expect-error the manifest is required
init({});
// @ts-expect-error a mode is one of the three
init({ manifest: '/m.json', mode: 'sometimes' });
const opts: InitOptions = { manifest: { edges: ['https://cdn.example.org'] } };
void opts;

// --- The API ---
const m: Mode = getMode();
setMode('always');
// @ts-expect-error not a mode
setMode('fast');
const list: EdgeStatus[] = edges();
const state: 'up' | 'down' = list[0].state;
const latency: number | null = list[0].latency;
const url: string = resolve('/images/a.png');
const el: Promise<Element> = load('/js/late.js');
const probed: Promise<EdgeStatus[]> = probe();
const rows: unknown[] = report();
void [m, state, latency, url, el, probed, rows];

// --- Events: `on` takes the name with or without `cdn:`, and types the detail by it. ---
const off: () => void = on('load', (d) => {
  const source: string = d.source;
  const element: Element = d.element;
  void [source, element];
});
off();
on('cdn:fallback', (d, event) => {
  const reason: 'error' | 'timeout' | 'integrity' = d.reason;
  const same: CustomEvent<EventMap['cdn:fallback']> = event;
  void [reason, same, d.from, d.to, d.url];
});
on('edge', (d) => {
  const s: 'up' | 'down' = d.state;
  void s;
});
on('ready', (d) => void (d.mode satisfies Mode));
on('probe', (d) => void (d.ok satisfies boolean));
on('error', (d) => void (d.url satisfies string));
// @ts-expect-error no such event
on('loaded', () => {});
// @ts-expect-error a load event has no reason
on('load', (d) => d.reason);
const names: EventName[] = ['cdn:ready', 'cdn:load', 'cdn:fallback', 'cdn:error', 'cdn:edge', 'cdn:probe'];
same<EventName, keyof EventMap>(true);
void names;

// --- The events on document, typed by name (DocumentEventMap); window hears none of them. ---
document.addEventListener('cdn:fallback', (e) => {
  const from: string = e.detail.from;
  const reason: 'error' | 'timeout' | 'integrity' = e.detail.reason;
  void [from, reason];
});
document.addEventListener('cdn:load', (e) => void (e.detail.source satisfies string));
document.addEventListener('cdn:edge', (e) => void (e.detail.state satisfies 'up' | 'down'));
document.addEventListener('cdn:ready', (e) => void (e.detail.mode satisfies Mode));
// @ts-expect-error a load event has no reason
document.addEventListener('cdn:load', (e) => e.detail.reason);
// @ts-expect-error the events are dispatched on document and do not bubble: a window listener gets a plain Event
window.addEventListener('cdn:load', (e) => e.detail);
// Other events keep their own types.
document.addEventListener('click', (e) => void (e.clientX satisfies number));
