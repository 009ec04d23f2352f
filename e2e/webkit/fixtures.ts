// What the browser tests import as './fixtures.js' when the WebKit runner bundles them: the same
// helpers and `expect`, and a `test` that collects the tests instead of running them, so the very
// same spec files run in WebKit. Fixtures: `page` (a WebDriverPage), `site`, `browserName`.
import { expect } from '@playwright/test';
import { Unsupported } from './page.js';

export { expect };
export { events, settled, sawEvent, addImage, images, imageSources, startSite, recordEvents, DEFAULT_ASSETS } from '../fixtures.js';
export type { Site, SeenEvent, OpenOptions } from '../fixtures.js';

export type Fixtures = Record<string, unknown>;
type Body = (fixtures: Fixtures) => unknown;

/** Thrown by test.skip() inside a running test. */
export class Skip extends Error {}

interface Scope {
  title: string;
  parent?: Scope;
  beforeEach: Body[];
  afterEach: Body[];
  afterAll: Body[];
  /** Why every test of this scope cannot run here (test.use(), test.extend()). */
  unsupported?: string;
}

export interface Collected {
  file: string;
  titles: string[];
  fn: Body;
  scope: Scope;
  /** Skipped when collected (test.skip(title, fn), test.fixme). */
  skip?: string;
  timeout: number;
}

export const collected: Collected[] = [];
let file = '';
let scope: Scope = { title: '', beforeEach: [], afterEach: [], afterAll: [] };
/** The timeout of the test now running, which test.setTimeout() changes. */
export const running: { timeout: number; expectFail?: string } = { timeout: 30000 };

/** Called by the runner before each bundled spec file's tests are defined. */
export function beginFile(name: string): void {
  file = name;
  scope = { title: '', beforeEach: [], afterEach: [], afterAll: [] };
}

const titles = (s: Scope | undefined): string[] => (s ? [...titles(s.parent), s.title].filter(Boolean) : []);
const timeoutOf = (s: Scope | undefined): number => (s ? ((s as Scope & { timeout?: number }).timeout ?? timeoutOf(s.parent)) : 30000);

function add(title: string, fn: Body, skip?: string) {
  collected.push({ file, titles: [...titles(scope), title], fn, scope, skip, timeout: timeoutOf(scope) });
}

function describe(title: string | (() => void), fn?: () => void) {
  const body = typeof title === 'function' ? title : fn!;
  const outer = scope;
  scope = { title: typeof title === 'string' ? title : '', parent: outer, beforeEach: [], afterEach: [], afterAll: [] };
  try {
    body();
  } finally {
    scope = outer;
  }
}
describe.configure = (o: { timeout?: number } = {}) => {
  if (o.timeout) (scope as Scope & { timeout?: number }).timeout = o.timeout;
};
describe.serial = describe;
describe.parallel = describe;
describe.skip = (title: string, fn: () => void) => {
  const outer = scope;
  scope = { title, parent: outer, beforeEach: [], afterEach: [], afterAll: [], unsupported: 'test.describe.skip' };
  try {
    fn();
  } finally {
    scope = outer;
  }
};

function skipOrFixme(kind: string) {
  return (...args: unknown[]) => {
    // Declaration form: test.skip(title, fn).
    if (typeof args[0] === 'string' && typeof args[1] === 'function') return add(args[0], args[1] as Body, `${kind} in the spec`);
    // Inside a test: test.skip(), test.skip(condition, reason).
    if (args.length === 0 || args[0]) throw new Skip(typeof args[1] === 'string' ? args[1] : `${kind} without a reason`);
  };
}

export const test = Object.assign((title: string, fn: Body) => add(title, fn), {
  describe,
  skip: skipOrFixme('test.skip'),
  fixme: skipOrFixme('test.fixme'),
  /** test.fail(condition, reason) inside a test: it must fail (a known bug), and passing is reported. */
  fail: (...args: unknown[]) => {
    if (args.length === 0 || args[0]) running.expectFail = typeof args[1] === 'string' ? args[1] : 'test.fail without a reason';
  },
  only: () => {
    throw new Error('test.only in a spec file');
  },
  slow: () => undefined,
  setTimeout: (ms: number) => {
    running.timeout = ms;
  },
  info: () => ({ annotations: [] as { type: string; description?: string }[], project: { name: 'webkit' }, timeout: running.timeout, setTimeout: (ms: number) => (running.timeout = ms) }),
  beforeEach: (fn: Body) => scope.beforeEach.push(fn),
  afterEach: (fn: Body) => scope.afterEach.push(fn),
  afterAll: (fn: Body) => scope.afterAll.push(fn),
  beforeAll: () => {
    scope.unsupported = 'test.beforeAll';
  },
  use: () => {
    scope.unsupported = 'test.use() options';
  },
  extend: () => {
    throw new Unsupported('test.extend() with fixtures of its own');
  },
  step: async (_title: string, fn: () => unknown) => fn(),
});
