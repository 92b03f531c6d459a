// Draws Maillage's mark — one mesh of a net: four corners, two diagonals and the node where they cross, on the
// brand colour — as public/favicon.svg and, rasterised from the same shapes, public/favicon.ico (16, 32 and
// 48 pixels, PNG inside). Run it again after changing a shape: `node scripts/favicon.mjs`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
const BRAND = [0x0b, 0x55, 0x63];
const WHITE = [0xff, 0xff, 0xff];
const ACCENT = [0xff, 0xbf, 0x47];
// In a 32-unit square.
const RADIUS = 6;
const CORNERS = [
  [9, 9],
  [23, 9],
  [23, 23],
  [9, 23],
];
const CENTRE = [16, 16];
const SEGMENTS = [...CORNERS.map((corner, i) => [corner, CORNERS[(i + 1) % 4]]), [CORNERS[0], CORNERS[2]], [CORNERS[1], CORNERS[3]]];
const STROKE = 2;
const NODE = 3;

const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><title>Maillage</title>
<rect width="32" height="32" rx="${RADIUS}" fill="#0b5563"/>
<path d="${SEGMENTS.map(([a, b]) => `M${a.join(' ')}L${b.join(' ')}`).join('')}" stroke="#fff" stroke-width="${STROKE}" stroke-linecap="round"/>
<g fill="#fff">${CORNERS.map(([x, y]) => `<circle cx="${x}" cy="${y}" r="${NODE}"/>`).join('')}</g>
<circle cx="${CENTRE[0]}" cy="${CENTRE[1]}" r="${NODE + 0.5}" fill="#ffbf47"/>
</svg>
`;

const distanceToSegment = ([px, py], [[ax, ay], [bx, by]]) => {
  const [dx, dy] = [bx - ax, by - ay];
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
};

/** The colour at a point of the 32-unit square, or null outside the rounded square. */
function colourAt(x, y) {
  const cx = Math.min(Math.max(x, RADIUS), 32 - RADIUS);
  const cy = Math.min(Math.max(y, RADIUS), 32 - RADIUS);
  if (x < 0 || y < 0 || x > 32 || y > 32 || Math.hypot(x - cx, y - cy) > RADIUS) return null;
  if (Math.hypot(x - CENTRE[0], y - CENTRE[1]) <= NODE + 0.5) return ACCENT;
  if (CORNERS.some(([nx, ny]) => Math.hypot(x - nx, y - ny) <= NODE)) return WHITE;
  if (SEGMENTS.some((segment) => distanceToSegment([x, y], segment) <= STROKE / 2)) return WHITE;
  return BRAND;
}

/** RGBA pixels of a size × size image, 4 × 4 samples a pixel. */
function raster(size) {
  const pixels = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const colour = colourAt(((px + (sx + 0.5) / n) * 32) / size, ((py + (sy + 0.5) / n) * 32) / size);
          if (!colour) continue;
          for (let c = 0; c < 3; c++) sum[c] += colour[c];
          sum[3] += 1;
        }
      }
      const offset = (py * size + px) * 4;
      for (let c = 0; c < 3; c++) pixels[offset + c] = sum[3] ? Math.round(sum[c] / sum[3]) : 0;
      pixels[offset + 3] = Math.round((sum[3] / (n * n)) * 255);
    }
  }
  return pixels;
}

function png(size) {
  const pixels = raster(size);
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const chunk = (type, data) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** An ICO file holding PNG images (read by every current browser). */
function ico(sizes) {
  const images = sizes.map(png);
  const head = Buffer.alloc(6 + 16 * images.length);
  head.writeUInt16LE(0, 0);
  head.writeUInt16LE(1, 2);
  head.writeUInt16LE(images.length, 4);
  let offset = head.length;
  images.forEach((image, i) => {
    const entry = 6 + 16 * i;
    head.writeUInt8(sizes[i] % 256, entry);
    head.writeUInt8(sizes[i] % 256, entry + 1);
    head.writeUInt16LE(1, entry + 4); // colour planes
    head.writeUInt16LE(32, entry + 6); // bits per pixel
    head.writeUInt32LE(image.length, entry + 8);
    head.writeUInt32LE(offset, entry + 12);
    offset += image.length;
  });
  return Buffer.concat([head, ...images]);
}

writeFileSync(join(root, 'public/favicon.svg'), svg);
writeFileSync(join(root, 'public/favicon.ico'), ico([16, 32, 48]));
