// Reads a response body against a size cap: the read stops as soon as the cap is crossed, so what a server
// sends (a huge list, an endless stream, a compression bomb) never costs more memory than the cap.
import type { Readable, Transform } from 'node:stream';
import { TextDecoder } from 'node:util';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { CmError } from './errors';
import * as l10n from '@vscode/l10n';

export interface BodyContext {
  readonly url: string;
  readonly maxBytes: number;
  readonly contentType: string | undefined;
  readonly contentEncoding: string | undefined;
  readonly contentLength: string | undefined;
}

/** The body as text: decompressed (gzip, deflate, br), decoded from its charset, without a byte-order mark. */
export async function readBodyText(body: Readable, context: BodyContext): Promise<string> {
  const declared = Number(context.contentLength);
  if (Number.isFinite(declared) && declared > context.maxBytes) {
    discard(body);
    throw tooLargeError(context);
  }
  const decoder = textDecoderFor(context);
  const decompressor = decompressorFor(context);
  if (decoder instanceof CmError || decompressor instanceof CmError) {
    discard(body);
    throw decoder instanceof CmError ? decoder : (decompressor as CmError);
  }
  if (decompressor !== undefined) {
    // pipe() does not pass a failure of the socket on to the decompressor, which would then wait forever.
    body.once('error', (error) => decompressor.destroy(error));
  }
  const source: AsyncIterable<Buffer> = decompressor === undefined ? body : body.pipe(decompressor);
  // With a declared length (the usual case) the bytes go straight into one buffer as they arrive, instead of
  // being gathered and copied again at the end: one copy fewer of a 200 MB body, and half the peak memory.
  const declaredFits = decompressor === undefined && Number.isInteger(declared) && declared > 0;
  const whole = declaredFits ? Buffer.allocUnsafe(declared) : undefined;
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of source) {
      if (total + chunk.length > context.maxBytes) {
        throw tooLargeError(context);
      }
      if (whole !== undefined && total + chunk.length <= whole.length) {
        chunk.copy(whole, total);
      } else {
        chunks.push(chunk);
      }
      total += chunk.length;
    }
  } catch (error) {
    discard(body);
    decompressor?.destroy();
    if (error instanceof CmError) {
      throw error;
    }
    if (decompressor !== undefined && isZlibError(error)) {
      throw encodingError(context, l10n.t`its ${context.contentEncoding ?? ''} compressed body is damaged`, error);
    }
    throw error;
  }
  const bytes = whole !== undefined && chunks.length === 0 ? whole.subarray(0, total) : concatenate(whole, chunks, total);
  if (decoder === 'utf-8') {
    // Buffer's own UTF-8 decoding is the fastest there is for a 200 MB body; JSON.parse refuses a byte-order mark.
    const text = bytes.toString('utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
  return decoder.decode(bytes);
}

/** What arrived beyond a declared length (a server that lied about it) joined to what fit. */
function concatenate(whole: Buffer | undefined, chunks: Buffer[], total: number): Buffer {
  if (whole === undefined) {
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
  }
  const fitted = total - chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  return Buffer.concat([whole.subarray(0, fitted), ...chunks], total);
}

function discard(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}

function tooLargeError({ url, maxBytes }: { url: string; maxBytes: number }): CmError {
  const megabytes = Math.round(maxBytes / (1024 * 1024));
  return new CmError({
    kind: 'tooLarge',
    message: l10n.t`The CM server's answer is larger than ${megabytes} MB, so reading it stopped there (mimcm.maxResponseMegabytes).`,
    hint: l10n.t(
      'Leave large finished statuses (Completed, Canceled) out of mimcm.statuses, or raise mimcm.maxResponseMegabytes (up to 1024).',
    ),
    action: 'openSettings',
    url,
  });
}

function encodingError({ url }: BodyContext, what: string, cause?: unknown): CmError {
  return new CmError({
    kind: 'encoding',
    message: l10n.t`The CM server's answer cannot be read: ${what}.`,
    hint: l10n.t(
      'The CM REST API answers in UTF-8 JSON; something between you and the server (a proxy or filter) changed the answer. The log has details.',
    ),
    action: 'showLog',
    url,
    cause,
  });
}

function decompressorFor(context: BodyContext): Transform | CmError | undefined {
  const encodings = (context.contentEncoding ?? '')
    .toLowerCase()
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '' && part !== 'identity');
  if (encodings.length === 0) {
    return undefined;
  }
  if (encodings.length > 1) {
    return encodingError(context, l10n.t`it is compressed several times over (Content-Encoding: ${encodings.join(', ')})`);
  }
  switch (encodings[0]) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      return encodingError(context, l10n.t`it is compressed with "${encodings[0]?.slice(0, 40) ?? ''}", which MIM CM cannot decompress`);
  }
}

/** UTF-8 unless the Content-Type names another charset that the runtime can decode (e.g. UTF-16, windows-1252). */
function textDecoderFor(context: BodyContext): TextDecoder | 'utf-8' | CmError {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(context.contentType ?? '')?.[1]?.toLowerCase();
  if (charset === undefined || charset === 'utf-8' || charset === 'utf8') {
    return 'utf-8';
  }
  try {
    return new TextDecoder(charset);
  } catch {
    return encodingError(context, l10n.t`it is in the character set "${charset.slice(0, 40)}", which MIM CM cannot decode`);
  }
}

function isZlibError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}
