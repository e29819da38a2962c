/**
 * The app icons, drawn in code (no binary assets to download): a minimal PNG encoder (node:zlib)
 * and the two icons Teams asks for: color 192x192 (full colour) and outline 32x32 (white on
 * transparent).
 */
import { crc32, deflateSync } from "node:zlib";

type Rgba = readonly [number, number, number, number];

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** Encodes an RGBA image (8 bits per channel, no interlace). */
export function encodePng(width: number, height: number, pixel: (x: number, y: number) => Rgba): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  const raw = Buffer.alloc(height * (1 + width * 4));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * 4);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) raw.set(pixel(x, y), row + 1 + x * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** Reads width, height and colour type back from a PNG header (for tests). */
export function pngInfo(png: Buffer): { width: number; height: number; colourType: number } {
  if (png.subarray(1, 4).toString("ascii") !== "PNG") throw new Error("not a PNG");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), colourType: png[25] ?? -1 };
}

/** A ring with a check mark, in unit coordinates (0..1): true where the shape is. */
function shape(u: number, v: number): boolean {
  const dx = u - 0.5;
  const dy = v - 0.5;
  const r = Math.sqrt(dx * dx + dy * dy);
  const ring = r > 0.34 && r < 0.42;
  // Check mark: two thick strokes.
  const onSegment = (ax: number, ay: number, bx: number, by: number, w: number) => {
    const t = Math.max(
      0,
      Math.min(1, ((u - ax) * (bx - ax) + (v - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)),
    );
    const px = ax + t * (bx - ax) - u;
    const py = ay + t * (by - ay) - v;
    return Math.sqrt(px * px + py * py) < w;
  };
  return ring || onSegment(0.33, 0.5, 0.45, 0.62, 0.045) || onSegment(0.45, 0.62, 0.68, 0.38, 0.045);
}

const ACCENT: Rgba = [0x1f, 0x5f, 0xad, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

export function colorIcon(): Buffer {
  const size = 192;
  return encodePng(size, size, (x, y) => (shape((x + 0.5) / size, (y + 0.5) / size) ? WHITE : ACCENT));
}

export function outlineIcon(): Buffer {
  const size = 32;
  return encodePng(size, size, (x, y) => (shape((x + 0.5) / size, (y + 0.5) / size) ? WHITE : CLEAR));
}
