// Section 1: sizes, from scripts/size.mjs (the same numbers and budget the size check uses).
import { spawnSync } from 'node:child_process';

export interface FileSize {
  path: string;
  bytes: number;
  gzip: number;
  brotli: number;
  limit: number | null;
  over: boolean;
  missing?: boolean;
}

export interface SizeReport {
  config: string;
  files: FileSize[];
  ok: boolean;
  problems: string[];
}

export const ASSETS_RETRY_FILE = 'node_modules/assets-retry/dist/assets-retry.umd.js';

export function sizes(): SizeReport {
  // Exit status 1 only means "over budget": the report is on stdout either way.
  const r = spawnSync(process.execPath, ['scripts/size.mjs', '--json', ASSETS_RETRY_FILE], { encoding: 'utf8' });
  try {
    return JSON.parse(r.stdout) as SizeReport;
  } catch {
    throw new Error(`bench: scripts/size.mjs gave no report (exit ${r.status}): ${r.stderr}`);
  }
}
