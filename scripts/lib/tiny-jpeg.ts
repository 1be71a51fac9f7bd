/**
 * A tiny deterministic baseline JPEG encoder (JFIF, YCbCr 4:4:4, Annex K quantization and Huffman
 * tables) for the thumbnails of generated fixtures. Dev/test only. Pure function of its input:
 * same pixels + quality → same bytes.
 */

const ZIGZAG = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
  28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61,
  54, 47, 55, 62, 63,
];

const Q_LUMA = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51,
  87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101,
  72, 92, 95, 98, 112, 100, 103, 99,
];
const Q_CHROMA = [
  17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99,
  99, 99, 99, ...new Array<number>(32).fill(99),
];

const DC_LUMA_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_CHROMA_BITS = [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0];
const DC_VALUES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const AC_LUMA_BITS = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d];
const AC_LUMA_VALUES = [
  0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71, 0x14,
  0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09,
  0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a,
  0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65,
  0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88,
  0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9,
  0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca,
  0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea,
  0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
];
const AC_CHROMA_BITS = [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77];
const AC_CHROMA_VALUES = [
  0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71, 0x13, 0x22, 0x32,
  0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0, 0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16,
  0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39,
  0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64,
  0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86,
  0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
  0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8,
  0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9,
  0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
];

type Huff = Map<number, [code: number, len: number]>;

function buildHuff(bits: number[], values: number[]): Huff {
  const total = bits.reduce((a, b) => a + b, 0);
  if (total !== values.length || new Set(values).size !== values.length) throw new Error('tiny-jpeg: bad Huffman table');
  const out: Huff = new Map();
  let code = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    for (let i = 0; i < bits[len - 1]; i++) out.set(values[k++], [code++, len]);
    code <<= 1;
  }
  return out;
}

const H = {
  dcL: buildHuff(DC_LUMA_BITS, DC_VALUES),
  dcC: buildHuff(DC_CHROMA_BITS, DC_VALUES),
  acL: buildHuff(AC_LUMA_BITS, AC_LUMA_VALUES),
  acC: buildHuff(AC_CHROMA_BITS, AC_CHROMA_VALUES),
};

function scaledTable(base: number[], quality: number): number[] {
  const q = Math.min(100, Math.max(1, Math.round(quality)));
  const s = q < 50 ? Math.floor(5000 / q) : 200 - q * 2;
  return base.map((v) => Math.min(255, Math.max(1, Math.floor((v * s + 50) / 100))));
}

// Separable DCT-II basis, computed once. Math.cos is deterministic enough across runs of one Node;
// the coefficients are rounded to integers right after quantization.
const COS: number[] = [];
for (let x = 0; x < 8; x++) for (let u = 0; u < 8; u++) COS[x * 8 + u] = Math.cos(((2 * x + 1) * u * Math.PI) / 16);
const C = (u: number): number => (u === 0 ? Math.SQRT1_2 : 1);

function fdctQuant(block: Float64Array, qt: number[]): Int32Array {
  const tmp = new Float64Array(64);
  for (let y = 0; y < 8; y++)
    for (let u = 0; u < 8; u++) {
      let s = 0;
      for (let x = 0; x < 8; x++) s += block[y * 8 + x] * COS[x * 8 + u];
      tmp[y * 8 + u] = s;
    }
  const out = new Int32Array(64);
  for (let v = 0; v < 8; v++)
    for (let u = 0; u < 8; u++) {
      let s = 0;
      for (let y = 0; y < 8; y++) s += tmp[y * 8 + u] * COS[y * 8 + v];
      const coef = (0.25 * C(u) * C(v) * s) / qt[v * 8 + u];
      out[v * 8 + u] = Math.round(coef);
    }
  return out;
}

class BitWriter {
  bytes: number[] = [];
  private acc = 0;
  private n = 0;
  write(code: number, len: number): void {
    for (let i = len - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((code >> i) & 1);
      if (++this.n === 8) {
        this.bytes.push(this.acc);
        if (this.acc === 0xff) this.bytes.push(0);
        this.acc = 0;
        this.n = 0;
      }
    }
  }
  flush(): void {
    while (this.n !== 0) this.write(1, 1);
  }
}

function magnitude(v: number): [size: number, bits: number] {
  const a = Math.abs(v);
  let size = 0;
  while (a >> size) size++;
  return [size, v >= 0 ? v : v + (1 << size) - 1];
}

function encodeBlock(w: BitWriter, coefs: Int32Array, prevDc: number, dc: Huff, ac: Huff): number {
  const [dsize, dbits] = magnitude(coefs[0] - prevDc);
  const [dcode, dlen] = dc.get(dsize)!;
  w.write(dcode, dlen);
  if (dsize) w.write(dbits, dsize);
  let run = 0;
  for (let k = 1; k < 64; k++) {
    const v = coefs[ZIGZAG[k]];
    if (v === 0) {
      run++;
      continue;
    }
    while (run > 15) {
      const [c, l] = ac.get(0xf0)!;
      w.write(c, l);
      run -= 16;
    }
    const [size, bits] = magnitude(v);
    const [c, l] = ac.get((run << 4) | size)!;
    w.write(c, l);
    w.write(bits, size);
    run = 0;
  }
  if (run > 0) {
    const [c, l] = ac.get(0x00)!;
    w.write(c, l);
  }
  return coefs[0];
}

const u16 = (n: number): number[] => [(n >> 8) & 0xff, n & 0xff];

/** Encode RGB pixels (`rgb.length === width*height*3`) as a baseline JFIF JPEG. */
export function encodeJpeg(width: number, height: number, rgb: Uint8Array, quality = 60): Uint8Array {
  if (rgb.length !== width * height * 3) throw new TypeError('tiny-jpeg: rgb must be width*height*3 bytes');
  const qtL = scaledTable(Q_LUMA, quality);
  const qtC = scaledTable(Q_CHROMA, quality);
  const w = new BitWriter();
  const prev = [0, 0, 0];
  const blocks = [new Float64Array(64), new Float64Array(64), new Float64Array(64)];
  for (let by = 0; by < height; by += 8)
    for (let bx = 0; bx < width; bx += 8) {
      for (let y = 0; y < 8; y++)
        for (let x = 0; x < 8; x++) {
          const px = Math.min(width - 1, bx + x);
          const py = Math.min(height - 1, by + y);
          const i = (py * width + px) * 3;
          const r = rgb[i], g = rgb[i + 1], b = rgb[i + 2];
          blocks[0][y * 8 + x] = 0.299 * r + 0.587 * g + 0.114 * b - 128;
          blocks[1][y * 8 + x] = -0.168736 * r - 0.331264 * g + 0.5 * b;
          blocks[2][y * 8 + x] = 0.5 * r - 0.418688 * g - 0.081312 * b;
        }
      prev[0] = encodeBlock(w, fdctQuant(blocks[0], qtL), prev[0], H.dcL, H.acL);
      prev[1] = encodeBlock(w, fdctQuant(blocks[1], qtC), prev[1], H.dcC, H.acC);
      prev[2] = encodeBlock(w, fdctQuant(blocks[2], qtC), prev[2], H.dcC, H.acC);
    }
  w.flush();

  const out: number[] = [0xff, 0xd8];
  out.push(0xff, 0xe0, ...u16(16), 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0);
  out.push(0xff, 0xdb, ...u16(2 + 65 * 2), 0x00, ...ZIGZAG.map((z) => qtL[z]), 0x01, ...ZIGZAG.map((z) => qtC[z]));
  out.push(0xff, 0xc0, ...u16(17), 8, ...u16(height), ...u16(width), 3, 1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1);
  const dht = (cls: number, bits: number[], values: number[]): number[] => [cls, ...bits, ...values];
  const tables = [
    dht(0x00, DC_LUMA_BITS, DC_VALUES),
    dht(0x10, AC_LUMA_BITS, AC_LUMA_VALUES),
    dht(0x01, DC_CHROMA_BITS, DC_VALUES),
    dht(0x11, AC_CHROMA_BITS, AC_CHROMA_VALUES),
  ].flat();
  out.push(0xff, 0xc4, ...u16(2 + tables.length), ...tables);
  out.push(0xff, 0xda, ...u16(12), 3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0);
  out.push(...w.bytes, 0xff, 0xd9);
  return new Uint8Array(out);
}

/**
 * A small picture made from a seed: a sky/ground gradient with a sun disc, so thumbnails differ
 * from each other and look like something.
 */
export function sceneThumbnail(seed: number, width = 48, height = 36, quality = 55): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  const hue = (seed * 47) % 360;
  const sunX = ((seed * 13) % width) | 0;
  const sunY = (((seed * 7) % Math.max(1, height >> 1)) + 4) | 0;
  const horizon = (height * (0.55 + ((seed % 5) - 2) * 0.05)) | 0;
  const base = hsl(hue, 0.55, 0.6);
  const ground = hsl((hue + 140) % 360, 0.45, 0.35);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      let c: number[];
      if (y < horizon) {
        const t = y / horizon;
        c = base.map((v) => v * (1 - 0.4 * t) + 255 * 0.4 * t);
      } else {
        const t = (y - horizon) / Math.max(1, height - horizon);
        c = ground.map((v) => v * (1 - 0.5 * t));
      }
      const d = Math.hypot(x - sunX, y - sunY);
      if (d < 5) c = [255, 236, 160];
      rgb[i] = Math.round(c[0]);
      rgb[i + 1] = Math.round(c[1]);
      rgb[i + 2] = Math.round(c[2]);
    }
  return encodeJpeg(width, height, rgb, quality);
}

function hsl(h: number, s: number, l: number): number[] {
  const k = (n: number): number => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number): number => l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1));
  return [f(0) * 255, f(8) * 255, f(4) * 255];
}
