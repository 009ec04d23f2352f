/** The inline boot (`dist/cdn-loader-boot.js`): inlined in `<head>` after the manifest, before the runtime. */
import { startBoot } from './boot/boot.js';

if (!window.CDNBoot)
  try {
    startBoot(document.currentScript as HTMLScriptElement | null);
  } catch {
    // The runtime starts as if there were no boot, and reports what is wrong.
  }
