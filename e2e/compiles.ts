// Where Chromium compiled a script's functions, read from a trace (categories: COMPILE_TRACE).
import type { Browser, Page } from '@playwright/test';

/** The trace categories that `compiles` needs. */
export const COMPILE_TRACE = ['devtools.timeline', 'v8', 'disabled-by-default-v8.compile'];

type Ev = { name: string; ph: string; ts: number; dur?: number; pid: number; tid: number; args?: { data?: { url?: string } } };

/**
 * Stops `browser`'s trace and counts, for the script whose URL ends with `path`: `streamed`, functions
 * compiled off the main thread (V8.CompileIgnition on the renderer's other threads, from the script's
 * streaming to its evaluation: the page's other scripts are inline, or run later); `lazy`, functions
 * compiled on the main thread at their first call inside its evaluation (V8.CompileCode), which counts
 * any function first called there: the inline boot's `stop` (runtime/takeover.ts), a page's listener
 * of an event the runtime dispatches while it evaluates.
 */
export async function compiles(browser: Browser, path: string): Promise<{ streamed: number; lazy: number } | undefined> {
  const trace = (JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: Ev[] }).traceEvents;
  const run = trace.find((e) => e.name === 'EvaluateScript' && e.args?.data?.url?.endsWith(path));
  const stream = trace.find((e) => e.name === 'v8.parseOnBackground' && e.pid === run?.pid && e.tid !== run.tid && JSON.stringify(e.args ?? {}).includes(path));
  if (!run || !stream) return;
  const on = (e: Ev, main: boolean) => e.pid === run.pid && (e.tid === run.tid) === main;
  return {
    streamed: trace.filter((e) => e.name === 'V8.CompileIgnition' && on(e, false) && e.ts >= stream.ts && e.ts <= run.ts).length,
    lazy: trace.filter((e) => e.name === 'V8.CompileCode' && on(e, true) && e.ts >= run.ts && e.ts <= run.ts + run.dur!).length,
  };
}

/** Starts tracing what `compiles` reads. */
export const traceCompiles = (browser: Browser, page: Page) => browser.startTracing(page, { categories: COMPILE_TRACE });
