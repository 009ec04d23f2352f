import { test } from 'node:test';
import assert from 'node:assert/strict';
import { race, type Outcome } from '../src/chain/race.js';

/** A manual clock: timers fire only when the test advances time. */
function clock() {
  let now = 0;
  const timers: { at: number; fn: () => void; live: boolean }[] = [];
  return {
    now: () => now,
    setTimer(fn: () => void, ms: number) {
      const t = { at: now + ms, fn, live: true };
      timers.push(t);
      return () => (t.live = false);
    },
    /** The main thread is busy for `ms`: no timer fires meanwhile. */
    stall(ms: number) {
      now += ms;
    },
    async advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const next = timers.filter((t) => t.live && t.at <= end).sort((x, y) => x.at - y.at)[0];
        if (!next) break;
        now = Math.max(now, next.at);
        next.live = false;
        next.fn();
        await Promise.resolve();
      }
      now = end;
      await Promise.resolve();
    },
  };
}

/** Candidates whose outcome the test decides; records starts, cancels and moves. */
function harness(timeout: number | null = 100) {
  const c = clock();
  const log: string[] = [];
  const pending = new Map<string, (o: Outcome) => void>();
  const hooks = {
    _start(s: string, live: boolean, done: (o: Outcome) => void) {
      log.push(`start ${s}${live ? '' : ' (hedge)'}`);
      pending.set(s, done);
      return () => void log.push(`cancel ${s}`);
    },
    _remaining: (_s: string, since: number) => (timeout === null ? null : since + timeout - c.now()),
    _moved: (from: string, to: string, reason: string) => log.push(`${reason} ${from}→${to}`),
    _now: c.now,
    _setTimer: c.setTimer,
  };
  return { c, log, hooks, finish: (s: string, o: Outcome) => pending.get(s)!(o) };
}

test('an error moves to the next candidate; the first success wins', async () => {
  const h = harness();
  const p = race(['a', 'b', 'origin'], h.hooks);
  h.finish('a', 'error');
  h.finish('b', 'ok');
  assert.equal(await p, 1);
  assert.deepEqual(h.log, ['start a', 'error a→b', 'start b']);
});

test('a late candidate gets the next started beside it; the first to finish wins', async () => {
  const h = harness();
  const p = race(['a', 'b', 'origin'], h.hooks);
  await h.c.advance(100);
  assert.deepEqual(h.log, ['start a', 'timeout a→b', 'start b (hedge)']);
  h.finish('a', 'ok');
  assert.equal(await p, 0);
  assert.deepEqual(h.log.slice(3), ['cancel b']);
});

test('a hedge that errors starts the next while the late one keeps running', async () => {
  const h = harness();
  const p = race(['a', 'b', 'origin'], h.hooks);
  await h.c.advance(100);
  h.finish('b', 'integrity');
  assert.deepEqual(h.log, ['start a', 'timeout a→b', 'start b (hedge)', 'integrity b→origin', 'start origin (hedge)']);
  h.finish('origin', 'ok');
  assert.equal(await p, 2);
  assert.deepEqual(h.log.slice(5), ['cancel a']);
});

test('a hanging edge never blocks the origin: every edge late, origin still starts', async () => {
  const h = harness();
  const p = race(['a', 'b', 'origin'], h.hooks);
  await h.c.advance(250);
  assert.deepEqual(h.log, ['start a', 'timeout a→b', 'start b (hedge)', 'timeout b→origin', 'start origin (hedge)']);
  h.finish('origin', 'ok');
  assert.equal(await p, 2);
});

test('every candidate at most once; all failing ends with -1', async () => {
  const h = harness();
  const p = race(['a', 'b', 'origin'], h.hooks);
  h.finish('a', 'error');
  h.finish('b', 'error');
  h.finish('origin', 'error');
  assert.equal(await p, -1);
  assert.equal(h.log.filter((l) => l.startsWith('start')).length, 3);
  // A late callback changes nothing.
  h.finish('a', 'ok');
  assert.equal(await p, -1);
});

test('without timers (lazy images, media) only errors move on', async () => {
  const h = harness(null);
  const p = race(['a', 'origin'], h.hooks);
  await h.c.advance(100000);
  assert.deepEqual(h.log, ['start a']);
  h.finish('a', 'error');
  h.finish('origin', 'ok');
  assert.equal(await p, 1);
});

test('the timer is re-armed while the source makes progress', async () => {
  const c = clock();
  let progress = 0;
  const log: string[] = [];
  const p = race(['a', 'origin'], {
    _start: (s, _live, done) => {
      log.push('start ' + s);
      if (s === 'origin') queueMicrotask(() => done('ok'));
      return () => {};
    },
    _remaining: (_s, since) => Math.max(since, progress) + 100 - c.now(),
    _moved: (f, t, r) => log.push(`${r} ${f}→${t}`),
    _now: c.now,
    _setTimer: c.setTimer,
  });
  await c.advance(90);
  progress = 90; // something else finished on this source
  await c.advance(90);
  assert.deepEqual(log, ['start a']);
  await c.advance(20);
  assert.deepEqual(log, ['start a', 'timeout a→origin', 'start origin']);
  assert.equal(await p, 1);
});

test('no candidates: -1 at once', async () => {
  assert.equal(await race([], harness().hooks), -1);
});

test('a lazy attempt that is late is replaced in place, not hedged: the next one starts live', async () => {
  const h = harness(100);
  const p = race(['a', 'b', 'origin'], { ...h.hooks, _lazy: true });
  await h.c.advance(100);
  assert.deepEqual(h.log, ['start a', 'cancel a', 'timeout a→b', 'start b']);
  h.finish('b', 'ok');
  assert.equal(await p, 1);
});

test('a passed deadline is confirmed once the main thread is idle; an answer by then wins', async () => {
  const h = harness(100);
  const idle: (() => void)[] = [];
  const p = race(['a', 'b', 'origin'], { ...h.hooks, _idle: (fn: () => void) => idle.push(fn) });
  await h.c.advance(100);
  assert.deepEqual(h.log, ['start a']);
  h.finish('a', 'ok');
  idle.shift()!();
  assert.equal(await p, 0);
  assert.deepEqual(h.log, ['start a']);
});

test('a check told its source is dead decides at once: before its deadline, with no idle check', async () => {
  const h = harness(1000);
  const idle: (() => void)[] = [];
  let check!: (now?: boolean) => void;
  race(['a', 'b', 'origin'], { ...h.hooks, _start: (s, live, done, c) => ((check = c), h.hooks._start(s, live, done)), _idle: (fn: () => void) => idle.push(fn) });
  await h.c.advance(10);
  check(false);
  assert.deepEqual(h.log, ['start a']);
  check(true);
  assert.deepEqual(h.log, ['start a', 'timeout a→b', 'start b (hedge)']);
  assert.equal(idle.length, 0);
});

test('a deadline still passed when the main thread is idle starts the next candidate', async () => {
  const h = harness(100);
  const idle: (() => void)[] = [];
  race(['a', 'b', 'origin'], { ...h.hooks, _idle: (fn: () => void) => idle.push(fn) });
  await h.c.advance(100);
  idle.shift()!();
  assert.deepEqual(h.log, ['start a', 'timeout a→b', 'start b (hedge)']);
});

test('a check that comes more than 250 ms late (a long task) decides nothing: it looks again 250 ms later', async () => {
  const h = harness(400);
  const p = race(['a', 'b'], h.hooks);
  // The check due at 250 runs at 750, after a 700 ms long task; the answer was queued behind it.
  h.c.stall(750);
  await h.c.advance(0);
  assert.deepEqual(h.log, ['start a']);
  h.finish('a', 'ok');
  assert.equal(await p, 0);
  // On time, a deadline that passed moves on.
  const g = harness(400);
  void race(['a', 'b'], g.hooks);
  await g.c.advance(400);
  assert.deepEqual(g.log, ['start a', 'timeout a→b', 'start b (hedge)']);
});

test('a deadline still passes when every timer comes late (a hidden tab runs timers once a second)', async () => {
  const h = harness(400);
  // Chromium aligns a hidden tab's timers to whole seconds: each check comes up to 1 s after it was due.
  const setTimer = h.hooks._setTimer;
  h.hooks._setTimer = (fn: () => void, ms: number) => setTimer(fn, Math.ceil((h.c.now() + ms) / 1000) * 1000 - h.c.now());
  void race(['a', 'b'], h.hooks);
  // The edge hangs for a minute: well past its 400 ms deadline, the origin must have been hedged.
  await h.c.advance(60_000);
  assert.deepEqual(h.log, ['start a', 'timeout a→b', 'start b (hedge)']);
});
