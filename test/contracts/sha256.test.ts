/** contracts/sha256.ts is the hash of every bounded name: it must be Node's SHA-256 digit for digit. */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { sha256Hex } from '../../contracts/sha256';
import { boundedName } from '../../contracts/names';

const node = (text: string) => createHash('sha256').update(text).digest('hex');

describe('sha256Hex', () => {
  it('gives the FIPS 180-4 test vectors', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('equals Node for every length around the 64-byte block and padding boundaries', () => {
    for (let n = 0; n <= 200; n++) expect(sha256Hex('x'.repeat(n))).toBe(node('x'.repeat(n)));
  });

  it('equals Node on any string, multi-byte UTF-8 included', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => sha256Hex(text) === node(text)));
  });

  it('keeps the names it shortens what they were with node:crypto', () => {
    const long = 'a-very-long-platform-name-x-an-even-longer-team-name-yz-airflow-access';
    expect(boundedName(long, 64)).toBe(`${long.slice(0, 55).replace(/[-_.]+$/, '')}-${node(long).slice(0, 8)}`);
  });
});
