// Helpers for requests that arrive as HTTP upgrades (exec), where there is
// no ServerResponse: answering with a plain HTTP error and reading
// repeated headers.
import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import { statusBody } from './status.js';

/** Values of a header that may repeat or be comma-joined. */
export function headerValues(value: string | string[] | undefined): string[] {
  const all = Array.isArray(value) ? value : value ? [value] : [];
  return all.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

export function rejectUpgrade(socket: Duplex, code: number, reason: string, message: string): void {
  const body = JSON.stringify(statusBody(code, reason, message));
  socket.end(
    `HTTP/1.1 ${code} ${STATUS_CODES[code] ?? 'Error'}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}
