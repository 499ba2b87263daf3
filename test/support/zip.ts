import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipOptions {
  /** Compression method per entry: 0 stored, 8 deflate (default), anything else is written raw under that number. */
  readonly method?: (name: string) => number;
  /** Archive comment after the end-of-central-directory record (the reader must search back past it). */
  readonly comment?: string;
  /** Corrupts an entry's local header signature, as a truncated or hand-edited archive would. */
  readonly badLocalHeader?: (name: string) => boolean;
  /** Extra bytes in a central directory entry's extra field. */
  readonly extra?: number;
  /** Bytes of file comment in a central directory entry. */
  readonly fileComment?: number;
}

/** A zip archive as `zip` writes plugins.zip (local headers, central directory, end record). */
export function zipArchive(files: Record<string, string>, options: ZipOptions = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [path, content] of Object.entries(files)) {
    const method = options.method?.(path) ?? 8;
    const raw = Buffer.from(content);
    const data = method === 8 ? deflateRawSync(raw) : raw;
    const nameBytes = Buffer.from(path);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(options.badLocalHeader?.(path) ? 0x04034b51 : 0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc32(raw), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const extra = Buffer.alloc(options.extra ?? 0, 0x55);
    const comment = Buffer.alloc(options.fileComment ?? 0, 0x41);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc32(raw), 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt16LE(comment.length, 32);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes, extra, comment);
    offset += local.length + nameBytes.length + data.length;
  }
  const centralDir = Buffer.concat(centrals);
  const comment = Buffer.from(options.comment ?? '');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(centralDir.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(comment.length, 20);
  return Buffer.concat([...locals, centralDir, end, comment]);
}
