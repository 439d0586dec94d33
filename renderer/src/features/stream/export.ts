// Saves messages as a file the browser downloads: a Blob, an <a download>, then the URL is freed.
import type { StreamMessage } from '../../../../shared/model/stream';
import { messageJson } from './message-format';

export type ExportFormat = 'ndjson' | 'json';

/** One file of `messages`, built in parts so 100,000 messages never become one giant string. */
export function exportMessages(messages: readonly StreamMessage[], format: ExportFormat, baseName: string): void {
  const parts: string[] = [];
  if (format === 'ndjson') {
    for (const m of messages) parts.push(`${JSON.stringify(messageJson(m))}\n`);
  } else {
    parts.push('[\n');
    messages.forEach((m, i) => parts.push(`  ${JSON.stringify(messageJson(m))}${i < messages.length - 1 ? ',' : ''}\n`));
    parts.push(']\n');
  }
  const type = format === 'ndjson' ? 'application/x-ndjson' : 'application/json';
  download(new Blob(parts, { type }), `${baseName}.${format}`);
}

export function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has its own reference by now; a moment later the URL can go.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** "sales.orders.v1-2026-10-01T12-03-27" */
export function exportBaseName(topic: string, at = new Date()): string {
  return `${topic.replace(/[^\w.-]+/g, '_')}-${at.toISOString().slice(0, 19).replace(/:/g, '-')}`;
}
