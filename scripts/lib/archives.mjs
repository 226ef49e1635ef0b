// Reading the archives the build deals with, in plain Node so the scripts run on Windows as on Linux: a VSIX (a
// zip: its listing and one entry) and an npm tarball (gzipped tar).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync, inflateRawSync } from 'node:zlib';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;

/** Every entry of a zip file: name, size, compressed size and where its local header is. */
export function zipEntries(file) {
  const zip = readFileSync(file);
  // The end record is the last 22 bytes, unless a comment (up to 64 KiB) follows it.
  let end = -1;
  for (let offset = zip.length - 22; offset >= Math.max(0, zip.length - 22 - 65_535); offset--) {
    if (zip.readUInt32LE(offset) === END_OF_CENTRAL_DIRECTORY) {
      end = offset;
      break;
    }
  }
  if (end === -1) {
    throw new Error(`${file} is not a zip file`);
  }
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const entries = [];
  for (let index = 0; index < count; index++) {
    if (zip.readUInt32LE(offset) !== CENTRAL_FILE_HEADER) {
      throw new Error(`${file}: broken central directory`);
    }
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    entries.push({
      name: zip.toString('utf8', offset + 46, offset + 46 + nameLength),
      method: zip.readUInt16LE(offset + 10),
      compressedSize: zip.readUInt32LE(offset + 20),
      size: zip.readUInt32LE(offset + 24),
      localHeader: zip.readUInt32LE(offset + 42),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The bytes of one zip entry (stored or deflated, as vsce writes them). */
export function zipEntry(file, name) {
  const entry = zipEntries(file).find((candidate) => candidate.name === name);
  if (entry === undefined) {
    throw new Error(`${file} has no ${name}`);
  }
  const zip = readFileSync(file);
  if (zip.readUInt32LE(entry.localHeader) !== LOCAL_FILE_HEADER) {
    throw new Error(`${file}: broken local header for ${name}`);
  }
  const start = entry.localHeader + 30 + zip.readUInt16LE(entry.localHeader + 26) + zip.readUInt16LE(entry.localHeader + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  return entry.method === 0 ? Buffer.from(data) : inflateRawSync(data);
}

/** Writes the files of a gzipped tar (an npm tarball) under `folder`; entries that would leave it are refused. */
export function extractTarball(tgz, folder) {
  const tar = gunzipSync(tgz);
  let longName;
  for (let offset = 0; offset + 512 <= tar.length;) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) {
      break;
    }
    const text = (start, length) => header.toString('utf8', start, start + length).replace(/\0.*$/s, '');
    const size = Number.parseInt(text(124, 12).trim() || '0', 8);
    const type = text(156, 1);
    const body = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      // A pax header: a long path for the next entry.
      longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1];
      continue;
    }
    const prefix = text(345, 155);
    const name = longName ?? (prefix === '' ? text(0, 100) : `${prefix}/${text(0, 100)}`);
    longName = undefined;
    if (type !== '0' && type !== '' && type !== '\0') {
      continue;
    }
    const target = path.resolve(folder, name);
    if (!target.startsWith(path.resolve(folder) + path.sep)) {
      throw new Error(`refusing ${name}: it leaves ${folder}`);
    }
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, body);
  }
}
