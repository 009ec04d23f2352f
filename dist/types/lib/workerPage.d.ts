/**
 * The page half of cdn-loader-sw.js, run when the loader imports the file (see serviceWorker.ts):
 * registers the worker (scope "/"), hands it the manifest, and shares edge health both ways. The page's
 * pings and failures (`cdn:probe`, `cdn:edge`) go to the worker; the worker's failures and pings come
 * back into the page's health. The script URL carries a hash of the manifest, so an edited manifest
 * installs the worker afresh: its Static Routing rules, fixed at install, follow the manifest.
 */
export declare function startPage(): void;
