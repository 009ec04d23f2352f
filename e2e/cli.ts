import { spawnSync } from 'node:child_process';
import { expect } from '@playwright/test';

/** Runs the `cdn-loader` command as npx runs it (bin/cdn-loader.mjs); expects it to succeed; its standard output. */
export function cli(...args: string[]): string {
  const r = spawnSync(process.execPath, ['bin/cdn-loader.mjs', ...args], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}
