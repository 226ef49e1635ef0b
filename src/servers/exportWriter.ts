// Writes an export chunk by chunk: the engine builds a few thousand rows at a time, the file gets them as they
// come, so 200k rows never sit in the extension host's memory whole and a cancel stops between chunks.
import { createWriteStream, promises as files } from 'node:fs';
import { once } from 'node:events';
import type { ExportFormat } from '../model/requestExport';

export const EXPORT_CHUNK_ROWS = 5000;

export interface ExportSource {
  exportChunk(format: ExportFormat, from: number, limit: number): Promise<{ text: string; rows: number; total: number }>;
}

export type ExportOutcome = { readonly kind: 'written'; readonly rows: number } | { readonly kind: 'canceled' };

/**
 * Streams the export to `file`. `progress` hears rows written and the total; `canceled` is asked between
 * chunks, and a canceled export leaves no partial file behind.
 */
export async function writeExport(
  source: ExportSource,
  format: ExportFormat,
  file: string,
  progress: (written: number, total: number) => void,
  canceled: () => boolean,
): Promise<ExportOutcome> {
  const stream = createWriteStream(file, { encoding: 'utf8' });
  const opened = once(stream, 'open');
  const failed = new Promise<never>((_resolve, reject) => stream.once('error', reject));
  failed.catch(() => undefined);
  try {
    await Promise.race([opened, failed]);
    let from = 0;
    for (;;) {
      const chunk = await source.exportChunk(format, from, EXPORT_CHUNK_ROWS);
      if (!stream.write(chunk.text)) {
        await Promise.race([once(stream, 'drain'), failed]);
      }
      from += chunk.rows;
      progress(from, chunk.total);
      if (from >= chunk.total || chunk.rows === 0) {
        break;
      }
      if (canceled()) {
        stream.destroy();
        await files.unlink(file).catch(() => undefined);
        return { kind: 'canceled' };
      }
    }
    stream.end();
    await Promise.race([once(stream, 'finish'), failed]);
    return { kind: 'written', rows: from };
  } catch (error) {
    stream.destroy();
    await files.unlink(file).catch(() => undefined);
    throw error;
  }
}
