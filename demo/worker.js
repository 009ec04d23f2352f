// The service worker panel of the demo: shows whether the worker controls the page, breaks and heals
// edges through POST /control, loads the app's code-split chunk on demand and shows which source
// served each file (GET /worker-served). No inline script, no innerHTML.
const $ = (id) => document.getElementById(id);
const out = $('sw-out');
const say = (...lines) => {
  out.textContent = lines.join('\n');
};

function showState() {
  const sw = navigator.serviceWorker;
  $('sw-state').textContent = !sw
    ? 'This browser has no service workers (they need http://localhost or https).'
    : sw.controller
      ? 'The worker controls this page: every request of a registered path (/assets/) goes through it.'
      : 'The loader is registering the worker; it takes over in a moment (or reload the page).';
}
navigator.serviceWorker?.addEventListener('controllerchange', showState);
showState();

async function served() {
  const list = await (await fetch('/worker-served', { cache: 'no-store' })).json();
  return list.map((f) => `${f.path.padEnd(36)} ← ${f.from.join(', ') || '(not yet)'}`);
}

async function edges() {
  const state = await (await fetch('/control', { cache: 'no-store' })).json();
  const box = $('sw-edges');
  box.replaceChildren();
  for (const e of state.edges) {
    const label = document.createElement('span');
    label.className = 'label';
    label.textContent = `${e.id} (${e.state})`;
    box.append(label);
    for (const [s, text] of [['down', 'refuse'], ['broken', '500'], ['hang', 'hang'], ['healthy', 'heal']]) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = text;
      b.addEventListener('click', async () => {
        await fetch('/control?' + new URLSearchParams({ edge: e.id, state: s }), { method: 'POST' });
        await edges();
        say(`${e.id}: ${s}`, ...(await served()));
      });
      box.append(b);
    }
    box.append(document.createElement('br'));
  }
}

$('sw-lazy').addEventListener('click', async () => {
  say('loading…');
  try {
    const r = await window.__app.lazy();
    say(
      `chunk ran: state.n = ${r.n}, module instances = ${r.instances}, fonts loaded = ${r.fonts}`,
      `page's view of the edges: ${window.CDNLoader.edges().map((e) => `${e.id} ${e.state}`).join(', ')}`,
      '',
      ...(await served()),
      '',
      'A chunk loads once per page: reload to try another fault.',
    );
  } catch (e) {
    say('failed: ' + e.message, ...(await served()));
  }
});

void edges().then(async () => say(...(await served())));
