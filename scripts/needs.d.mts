// Types of scripts/needs.mjs, for playwright.config.ts, e2e/ and the unit tests.

/** Something the tests need from the machine. */
export interface Need {
  name: string;
  /** The browser engine, for $ENGINES. */
  engine?: 'chromium' | 'firefox' | 'webkit';
  found(env: NodeJS.ProcessEnv): boolean;
  /** Playwright's own browser of that name, downloaded by `npx playwright install`. */
  playwright?: 'chromium' | 'firefox';
  /** The Debian/Ubuntu packages that provide it. */
  apt: string[];
  /** The variable that points the tests at a copy of one's own. */
  env: string;
}

export interface Machine {
  apt: boolean;
  root: boolean;
  /** sudo runs without a password. */
  sudo: boolean;
  /** sudo is installed at all. */
  hasSudo: boolean;
  download: boolean;
}

export type Step =
  | { kind: 'playwright'; needs: Need[]; args: string[] }
  | { kind: 'apt'; needs: Need[]; packages: string[]; sudo: boolean };

export function onPath(name: string, env?: NodeJS.ProcessEnv): string | undefined;
export function playwrightHas(browser: 'chromium' | 'firefox'): boolean;
/** $CHROMIUM_PATH, else undefined when Playwright's own is installed, else Debian's (or undefined: none). */
export function chromiumPath(env?: NodeJS.ProcessEnv): string | undefined;
/** $FIREFOX_PATH, else the system's Firefox ESR (undefined: none, or Playwright's own if installed). */
export function firefoxPath(env?: NodeJS.ProcessEnv): string | undefined;
export function nginxPath(env?: NodeJS.ProcessEnv): string | undefined;
export function webkit(env?: NodeJS.ProcessEnv): { driver: string; browser: string; xvfbRun?: string } | undefined;
export const NEEDS: Need[];
export function needed(env?: NodeJS.ProcessEnv): Need[];
export function plan(missing: Need[], machine: Machine): { steps: Step[]; message: string };
