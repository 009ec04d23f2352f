// Engine differences the loader does not handle yet: tests that fail in one engine for a reason
// observed and written down here. They still run there and must fail (Playwright's test.fail): the day
// one passes, the run says so and its line goes. Read by the `site` fixture and by the WebKit runner,
// and listed in docs/browsers.md. Keyed by engine, then by the test's own title.
const BLACKHOLED_STYLESHEET =
  "Firefox ESR 153 holds every image, image preload and fetch() of the page, to any host (probes included), while a stylesheet whose media matches, or a <link rel=preload as=style> (the loader's hedge), waits on a host that never answers (Gecko marks those requests Leader, and its network layer holds every other request that is not marked Unblocked until they end; scripts and other stylesheets still load); nothing the page does releases them (removing the <link> or the preload: still held 40 s later; a new href or a fresh element: 12 s later). A stylesheet whose media does not match holds nothing, but it cannot be the hedge: Gecko defers such a stylesheet until every other stylesheet in flight has loaded, so it never starts while one hangs (see the engines.spec test on non-matching stylesheets, and docs/browsers.md for what was tried). On a page the loader's service worker controls there is no hold (serviceWorker.spec). The images' timers then fail over to sources whose requests are held too, and they do not arrive within the test"
const NON_MATCHING_DEFERRED =
  'Firefox ESR 153 (Gecko\'s CSS loader) does not request a stylesheet whose media does not match while another stylesheet is in flight: it waits until every such load has ended, so it never starts while one hangs (measured with standalone pages: never requested while the first hangs; on a healthy page, a second and third start only once the first has loaded; the image loads)'

const MOVED_STYLESHEET_HOLDS_PARSER =
  'Firefox ESR 153 keeps the parser blocked by a script after a stylesheet that hung, once the stylesheet has moved and applied from another source: the inline script never runs and nothing after it is parsed (measured with standalone pages: a new href, a clone in its place, remove(), disabled or another media release nothing; in Chromium each of them does). A plain stylesheet at a hung edge is rescued in Firefox only when no parser-blocking script follows it'

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
    'a stylesheet of a media that does not match is fetched while another stylesheet hangs, and neither holds an image': NON_MATCHING_DEFERRED,
    'a rewritten static site with its first edge blackholed, first and next page: nothing is lost, each file comes once from the next edge': BLACKHOLED_STYLESHEET,
    'a static site rewritten with --plain-urls, its first edge blackholed: every image is shown, from the next edge': BLACKHOLED_STYLESHEET,
    'a plain stylesheet at a hung edge, the runtime in <head>, an inline script in <body>: once it moved, the page parses on (Firefox: never)': MOVED_STYLESHEET_HOLDS_PARSER,
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
