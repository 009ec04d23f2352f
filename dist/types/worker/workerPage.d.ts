/** The version of a manifest's JSON text, as the page puts it in the worker's URL. */
export declare const version: (text: string) => string;
export declare function startPage(): void;
