// A small app built by a real bundler (Vite) for the service worker's tests and the demo: a module
// entry with modulepreload, a code-split chunk with its own stylesheet, a web font and a background
// image in that stylesheet's url()s, and a module that counts its instances (one, if module identity
// holds whichever source served a chunk).
import { build } from 'vite';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync, copyFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { png } from './servers.js';

/** A built file: its URL path, body and content type. */
export interface BuiltFile {
  path: string;
  body: Buffer;
  type: string;
}

const SOURCES: Record<string, string> = {
  'index.html': `<!doctype html>
<html><head><meta charset="utf-8"><title>vite app</title>
<script src="/cdn-loader.js" data-manifest="/cdn-manifest.json"></script>
</head><body><h1>vite app</h1><p id="out">loading</p>
<script type="module" src="/src/main.js"></script>
</body></html>
`,
  'src/state.js': `(window.__instances = window.__instances || []).push(import.meta.url);
export const state = { n: 0 };
`,
  'src/main.js': `import { state } from './state.js';
import { greet } from './shared.js';
import './main.css';
state.n++;
window.__app = { state, lazy: () => import('./lazy.js').then((m) => m.run()) };
document.getElementById('out').textContent = greet('ready');
document.documentElement.dataset.app = 'ready';
`,
  'src/shared.js': `export const greet = (s) => 'app: ' + s;
`,
  'src/main.css': `h1 { color: rgb(20, 20, 120); }
`,
  'src/lazy.js': `import { state } from './state.js';
import { greet } from './shared.js';
import './lazy.css';
export async function run() {
  state.n++;
  const el = document.createElement('div');
  el.className = 'lazy-bg';
  el.textContent = greet('lazy');
  document.body.append(el);
  const faces = await document.fonts.load('16px LazyFont');
  const bg = getComputedStyle(el).backgroundImage;
  return { n: state.n, instances: window.__instances.length, fonts: faces.length, bg };
}
`,
  'src/lazy.css': `@font-face { font-family: 'LazyFont'; src: url('./lazy-font.ttf') format('truetype'); }
.lazy-bg { font-family: 'LazyFont', sans-serif; background-image: url('./bg.png'); min-height: 20px; }
`,
};

const TYPES: Record<string, string> = {
  js: 'text/javascript',
  css: 'text/css',
  html: 'text/html; charset=utf-8',
  png: 'image/png',
  ttf: 'font/ttf',
};

/** A TrueType font of this machine (DejaVu ships with Debian's Chromium and Firefox). */
function findFont(): string {
  for (const p of ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/TTF/DejaVuSans.ttf']) if (existsSync(p)) return p;
  throw new Error('workerApp: no DejaVuSans.ttf on this machine (apt-get install fonts-dejavu-core)');
}

/** Builds the app with Vite into a temporary folder; returns its files (index.html at /index.html). */
export async function buildViteApp(): Promise<BuiltFile[]> {
  const root = mkdtempSync(join(tmpdir(), 'cdn-loader-vite-'));
  try {
    for (const [name, text] of Object.entries(SOURCES)) {
      mkdirSync(join(root, name, '..'), { recursive: true });
      writeFileSync(join(root, name), text);
    }
    writeFileSync(join(root, 'src/bg.png'), png(200, 120, 40, 8));
    copyFileSync(findFont(), join(root, 'src/lazy-font.ttf'));
    await build({
      root,
      configFile: false,
      logLevel: 'silent',
      build: { outDir: join(root, 'dist'), assetsInlineLimit: 0, minify: false, emptyOutDir: true },
    });
    const out: BuiltFile[] = [];
    const walk = (dir: string, at: string) => {
      for (const f of readdirSync(dir, { withFileTypes: true }))
        if (f.isDirectory()) walk(join(dir, f.name), `${at}${f.name}/`);
        else out.push({ path: at + f.name, body: readFileSync(join(dir, f.name)), type: TYPES[f.name.split('.').pop()!] ?? 'application/octet-stream' });
    };
    walk(join(root, 'dist'), '/');
    return out;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
