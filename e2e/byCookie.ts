/**
 * The file a test server (e2e/servers.ts) or the bench's emulated host (bench/network.ts) answers a request
 * with: the one at `path#name=value` when the request carries that cookie (a page's returning form, written
 * for the cookie `cdn_boot`: runtime/bootCache.ts), else the one at `path`.
 */
export const fileFor = <T>(files: Map<string, T>, path: string, cookie: string | undefined): T | undefined =>
  String(cookie ?? '')
    .split(/;\s*/)
    .map((c) => files.get(`${path}#${c}`))
    .find(Boolean) ?? files.get(path);
