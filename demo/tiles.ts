// The demo's images, drawn at start-up instead of committed as binaries: a square in the colour of
// the server that serves it, with the server's letter and the tile's number, so a person sees at a
// glance where every pixel came from.
import { deflateSync } from 'node:zlib';

/** A colour as [r, g, b]. */
export type Rgb = [number, number, number];

/** 5×7 glyphs of the letters and digits the tiles use. */
const GLYPHS: Record<string, string[]> = {
  A: [' ### ', '#   #', '#   #', '#####', '#   #', '#   #', '#   #'],
  B: ['#### ', '#   #', '#   #', '#### ', '#   #', '#   #', '#### '],
  C: [' ####', '#    ', '#    ', '#    ', '#    ', '#    ', ' ####'],
  O: [' ### ', '#   #', '#   #', '#   #', '#   #', '#   #', ' ### '],
  '0': [' ### ', '#   #', '#  ##', '# # #', '##  #', '#   #', ' ### '],
  '1': ['  #  ', ' ##  ', '  #  ', '  #  ', '  #  ', '  #  ', ' ### '],
  '2': [' ### ', '#   #', '    #', '   # ', '  #  ', ' #   ', '#####'],
  '3': ['#####', '   # ', '  #  ', '   # ', '    #', '#   #', ' ### '],
  '4': ['   # ', '  ## ', ' # # ', '#  # ', '#####', '   # ', '   # '],
  '5': ['#####', '#    ', '#### ', '    #', '    #', '#   #', ' ### '],
  '6': ['  ## ', ' #   ', '#    ', '#### ', '#   #', '#   #', ' ### '],
  '7': ['#####', '    #', '   # ', '  #  ', ' #   ', ' #   ', ' #   '],
  '8': [' ### ', '#   #', '#   #', ' ### ', '#   #', '#   #', ' ### '],
  '9': [' ### ', '#   #', '#   #', ' ####', '    #', '   # ', ' ##  '],
};

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, sum]);
}

/** Encodes an RGB pixel buffer (`size` × `size`, row by row) as a PNG. */
export function encodePng(pixels: Uint8Array, size: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  const raw = Buffer.alloc((size * 3 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0; // filter: none
    raw.set(pixels.subarray(y * size * 3, (y + 1) * size * 3), y * (size * 3 + 1) + 1);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * A `size`-pixel square tile: `colour` with a soft vertical gradient, `letter` large in the middle
 * and `number` small in the corner. `striped` adds diagonal stripes (the origin's tiles), so the
 * origin stands apart by pattern as well as by colour.
 */
export function tile(colour: Rgb, letter: string, number: number, { size = 80, striped = false } = {}): Buffer {
  const px = new Uint8Array(size * size * 3);
  const put = (x: number, y: number, rgb: Rgb) => {
    if (x < 0 || y < 0 || x >= size || y >= size) return;
    px.set(rgb, (y * size + x) * 3);
  };
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const light = 1.18 - (0.3 * y) / size - (striped && (x + y) % 12 < 5 ? 0.12 : 0);
      put(x, y, colour.map((c) => Math.max(0, Math.min(255, Math.round(c * light)))) as Rgb);
    }
  const text = (s: string, left: number, top: number, scale: number, rgb: Rgb) => {
    [...s].forEach((ch, i) => {
      const rows = GLYPHS[ch.toUpperCase()];
      if (!rows) return;
      rows.forEach((row, gy) =>
        [...row].forEach((cell, gx) => {
          if (cell !== '#') return;
          for (let dy = 0; dy < scale; dy++)
            for (let dx = 0; dx < scale; dx++) put(left + (i * 6 + gx) * scale + dx, top + gy * scale + dy, rgb);
        }),
      );
    });
  };
  const big = Math.floor(size / 12);
  const shadow: Rgb = colour.map((c) => Math.round(c * 0.55)) as Rgb;
  const left = Math.round((size - 5 * big) / 2);
  const top = Math.round((size - 7 * big) / 2) - Math.round(size / 16);
  text(letter, left + 2, top + 2, big, shadow);
  text(letter, left, top, big, [255, 255, 255]);
  const digits = String(number);
  const small = Math.max(1, Math.floor(size / 40));
  const width = (digits.length * 6 - 1) * small;
  text(digits, size - width - 4 * small, size - 7 * small - 4 * small, small, [255, 255, 255]);
  return encodePng(px, size);
}
