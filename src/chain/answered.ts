/**
 * Whether a 2xx response for `url` arrived (Resource Timing's `responseStatus`): a load that failed
 * after one did failed its integrity check, not its source. (WebKit has no `responseStatus`: false.)
 */
export const answered = (url: string): boolean =>
  performance.getEntriesByName(url).some((e) => {
    const s = (e as PerformanceResourceTiming).responseStatus;
    return s >= 200 && s < 300;
  });
