/** The parts of ServiceWorkerGlobalScope the worker uses (the DOM library has no worker types). */
export interface WorkerScope {
    location: Location;
    registration: {
        unregister(): Promise<boolean>;
    };
    clients: {
        claim(): Promise<void>;
        get(id: string): Promise<{
            url: string;
        } | undefined>;
        matchAll(o?: {
            includeUncontrolled?: boolean;
        }): Promise<{
            postMessage(m: unknown): void;
        }[]>;
    };
    skipWaiting(): Promise<void>;
    addEventListener(type: string, fn: (e: any) => void): void;
}
/**
 * The service worker: takes the manifest from the pages (and keeps it across restarts), fails over
 * every GET of a registered path by the loader's rules, and shares edge health with the pages. It
 * steps down (passes everything through and unregisters) when the manifest no longer names it, is
 * withdrawn (404/410) or is not valid.
 */
export declare function startWorker(scope: WorkerScope): void;
