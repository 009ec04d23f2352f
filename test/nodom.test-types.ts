// The manifest's types in Node code without the DOM lib (test/tsconfig.nodom.json: lib es2022, types
// node, library declarations checked too), as a build script that writes a manifest has them. Checked by
// `npm run typecheck`, never run.
import type { AssetInput, EdgeInput, Manifest, Mode } from 'cdn-loader/manifest';
import { writeFileSync } from 'node:fs';

const mode: Mode = 'round-robin';
const edges: EdgeInput[] = [{ id: 'eu', url: 'https://cdn-eu.example.org', weight: 2 }];
const assets: AssetInput[] = [{ path: '/js/app.js', integrity: 'sha384-x' }];
const manifest: Manifest = { mode, edges, assets: ['/images/', ...assets], failover: { timeout: 'auto' } };
// @ts-expect-error still checked: an unknown mode
const bad: Manifest = { mode: 'fast' };
void bad;
// @ts-expect-error no DOM here: the page's types are not in this program
void (null as unknown as HTMLElement);

writeFileSync('/dev/null', JSON.stringify(manifest));
