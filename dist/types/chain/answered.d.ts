/**
 * Whether a 2xx response for `url` arrived (Resource Timing's `responseStatus`): a load that failed
 * after one did failed its integrity check, not its source. (WebKit has no `responseStatus`: false.)
 */
export declare const answered: (url: string) => boolean;
