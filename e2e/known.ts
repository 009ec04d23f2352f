// Engine differences the loader does not handle yet: tests that fail in one engine for a reason
// observed and written down here. They still run there and must fail (Playwright's test.fail): the day
// one passes, the run says so and its line goes. Read by the `site` fixture and by the WebKit runner,
// and listed in docs/browsers.md. Keyed by engine, then by the test's own title.
const BLACKHOLED_STYLESHEET =
  'Firefox ESR 153 holds every image, image preload and fetch() of the page, to any host (probes included), while a stylesheet whose media matches, or a <link rel=preload as=style> (the loader\'s hedge), waits on a host that never answers; scripts and other stylesheets still load. Measured with standalone pages: nothing the page does releases them: not removing the <link> or the preload (still held 40 s later), not changing its href or replacing it with a fresh element (12 s later). A stylesheet whose media does not match holds nothing (and giving it up costs no render blocking: a stylesheet whose href a script sets blocks neither later scripts nor requestAnimationFrame, measured in Firefox and Chromium), but a hedge of that kind did not start within 1.5 s while the element\'s own request hung, and a preload hedge holds the images while it waits. The images\' timers then fail over to sources whose requests are held too (every edge is marked down), and they do not arrive within the test'

export const KNOWN: Record<string, Record<string, string>> = {
  firefox: {
    'blackhole × always × one edge faulty: every kind loads, scripts once in order, bounded requests': BLACKHOLED_STYLESHEET,
    'blackhole × always × all edges faulty: every kind loads, scripts once in order, bounded requests': BLACKHOLED_STYLESHEET,
    'blackhole × round-robin × one edge faulty: every kind loads, scripts once in order, bounded requests': BLACKHOLED_STYLESHEET,
    'blackhole × round-robin × all edges faulty: every kind loads, scripts once in order, bounded requests': BLACKHOLED_STYLESHEET,
    'a blackholed edge: images, a stylesheet and scripts all arrive from the next edge, scripts in order':
      BLACKHOLED_STYLESHEET,
    'a hanging edge: the whole module graph, the styles and the images move to the next edge': BLACKHOLED_STYLESHEET,
    'blackholed edge, first and next page: the runtime fails over what the boot started, from when it started': BLACKHOLED_STYLESHEET,
    'a rewritten static site with its first edge blackholed, first and next page: nothing is lost, each file comes once from the next edge': BLACKHOLED_STYLESHEET,
    'scripts run in document order, once each, also when one fails over':
      'Firefox fires load, not error, on a no-cors <link rel=preload as=script> answered 500 (Chromium fires error; with crossorigin, as under SRI, Firefox fires error too; the status of a no-cors answer is hidden: responseStatus 0), and does not keep that answer for the <script>: the failing edge is asked twice for a script without integrity',
  },
  webkit: {
    'a manifest preloaded by the page is fetched once, not twice':
      "WebKitGTK 2.50 never hands a page's <link rel=preload as=fetch crossorigin> to fetch(): measured with cache 'no-cache' and 'default', with the fetch started after the preload's load event, and with Cache-Control: max-age=60 on the answer; the preload carries an Origin header, the fetch none. The manifest is fetched twice",
    'a <picture> hedge on a hanging edge is dropped once another source won: its request does not hang on':
      'WebKitGTK 2.50 does not end an image request when the <img> (detached or in the page) loses its src or gets another one: measured with a standalone page, a request to a host that never answers is still open 2.5 s after removing the src, or setting it to a data: URL. The hedge\'s request to the hanging edge hangs on',
  },
};

/** Why `title` is known to fail in `engine`, or undefined. */
export const knownFailure = (engine: string, title: string): string | undefined => KNOWN[engine]?.[title];

/**
 * Tests that failed in one engine on the build that merged issues 11, 12, 15 and 16 (2026-11-30) and
 * whose cause is not known yet: they are skipped there, with this reason in the run's report, until
 * someone finds out (issue 13 stays open for them). Unlike KNOWN, nothing here was measured.
 */
const NOT_YET_EXPLAINED = 'failed in Firefox ESR 153 on the merged build of 2026-11-30, cause not yet investigated (issue 13)';
export const UNEXPLAINED: Record<string, Record<string, string>> = {
  firefox: Object.fromEntries(
    [
    ].map((t) => [t, NOT_YET_EXPLAINED]),
  ),
};

/** Why `title` is skipped in `engine` for now, or undefined. */
export const unexplained = (engine: string, title: string): string | undefined => UNEXPLAINED[engine]?.[title];
