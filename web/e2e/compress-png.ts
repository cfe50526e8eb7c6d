import { readFileSync, writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';

function encode(source: Buffer, bits: number): Buffer {
  const png = PNG.sync.read(source);
  const step = 2 ** (8 - bits);
  const { data } = png;
  for (let i = 0; i < data.length; i += 4) {
    for (let c = 0; c < 3; c++) {
      data[i + c] = Math.min(255, Math.round((data[i + c] ?? 0) / step) * step);
    }
    data[i + 3] = 255;
  }
  return PNG.sync.write(png, { colorType: 2, deflateLevel: 9, filterType: -1 });
}

/**
 * compressPng rewrites a screenshot smaller: channels are rounded to fewer bits (blurred
 * gradients otherwise defeat PNG's compression), alpha is dropped and the data deflated at
 * the highest level. It keeps the most bits that fit `budget` bytes and returns the size.
 */
export function compressPng(path: string, budget = 300 * 1024): number {
  const source = readFileSync(path);
  let out: Buffer = source;
  for (const bits of [7, 6, 5, 4]) {
    out = encode(source, bits);
    if (out.length < budget) break;
  }
  writeFileSync(path, out);
  return out.length;
}
