// Builds the multi-page fixture app in e2e/vite-app/ with the real Vite and the built plugin
// (dist/vite.mjs, as `cdn-loader/vite` resolves for a user), and serves the output on the test servers:
// the pages from the origin, every other file from the origin and each edge.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { build } from 'vite';
import cdnLoader, { type CdnLoaderOptions } from 'cdn-loader/vite';
import type { TestServer } from './servers.js';

/** The fixture app (from the repository's root, where npm runs every test). */
export const APP = resolve('e2e/vite-app');

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript',
  css: 'text/css',
  png: 'image/png',
  gif: 'image/gif',
  json: 'application/json',
};

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));

export interface Built {
  dir: string;
  /** Paths of the output files (`/assets/main-….js`), pages included. */
  files: string[];
  remove(): void;
}

/** `vite build` of the fixture app with the plugin; `options` are the plugin's (null: no plugin). */
export async function buildApp(options: CdnLoaderOptions | null, vite: { base?: string; html?: { cspNonce?: string } } = {}): Promise<Built> {
  const dir = mkdtempSync(join(tmpdir(), 'cdn-loader-vite-'));
  await build({
    root: APP,
    configFile: false,
    logLevel: 'silent',
    base: vite.base,
    html: vite.html,
    build: {
      outDir: dir,
      emptyOutDir: true,
      // The fixture's images are tiny: keep them files, as real images are.
      assetsInlineLimit: 0,
      rollupOptions: { input: { main: join(APP, 'index.html'), about: join(APP, 'about/index.html') } },
    },
    plugins: options ? [cdnLoader(options)] : [],
  });
  const files = walk(dir).map((f) => '/' + relative(dir, f).split(sep).join('/'));
  return { dir, files, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Serves a build: pages (also at their folder's URL) from `origin`, all other files from every server. */
export function serve(b: Built, origin: TestServer, edges: TestServer[], base = '/'): void {
  for (const f of b.files) {
    const body = readFileSync(join(b.dir, f));
    const type = TYPES[f.split('.').pop()!] ?? 'application/octet-stream';
    const at = base.replace(/\/$/, '') + f;
    if (f.endsWith('.html')) {
      origin.file(at, body, type);
      if (f.endsWith('/index.html')) origin.file(at.slice(0, -'index.html'.length), body, type);
      continue;
    }
    for (const s of [origin, ...edges]) s.file(at, body, type);
  }
}
