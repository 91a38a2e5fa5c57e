import type { IncomingMessage } from 'node:http';
import { badRequest, FlowstateError } from '../errors.ts';
import { unsafeNumberIssues } from './unsafeNumbers.ts';

/** Deepest nesting of arrays/objects accepted in a body: deeper input would overflow recursive code later. */
export const MAX_JSON_DEPTH = 64;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a request body of at most `maxBytes` as UTF-8 text.
 * Throws PAYLOAD_TOO_LARGE (before reading, when Content-Length already says so)
 * and BAD_REQUEST for bytes that are not UTF-8.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    return Promise.reject(tooLarge(maxBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        // Keep reading (and dropping) so the client gets our 413 instead of a reset.
        req.resume();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      try {
        resolve(utf8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
      } catch {
        reject(new FlowstateError('BAD_REQUEST', 'request body is not valid UTF-8'));
      }
    };
    // The client went away mid-body: its mistake, not ours (and nobody is left to read the answer).
    const onError = (cause: Error) => {
      cleanup();
      reject(new FlowstateError('BAD_REQUEST', 'the request body could not be read', { cause }));
    };
    const onAborted = () => onError(new Error('request aborted by the client'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

/**
 * Parses JSON text from a client. Malformed JSON, nesting deeper than
 * {@link MAX_JSON_DEPTH} and `__proto__` keys are BAD_REQUEST; so are number
 * literals the parse would change (beyond 2^53, `1e400`), naming their fields.
 */
export function parseJson(text: string): unknown {
  if (text.length > MAX_JSON_DEPTH) {
    const depth = maxNesting(text);
    if (depth > MAX_JSON_DEPTH) {
      throw new FlowstateError('BAD_REQUEST', `JSON nests ${depth} levels deep; the limit is ${MAX_JSON_DEPTH}`);
    }
  }
  // `__proto__` as a key survives JSON.parse as an own property, then turns into a prototype
  // when some later code copies it by assignment: refuse it at the edge. Escapes can spell it too.
  const suspicious = text.includes('__proto__') || text.includes('\\u');
  let value: unknown;
  try {
    value = suspicious ? JSON.parse(text, rejectProtoKey) : JSON.parse(text);
  } catch (err) {
    if (err instanceof FlowstateError) throw err;
    throw new FlowstateError('BAD_REQUEST', `malformed JSON: ${(err as Error).message}`, { cause: err });
  }
  const unsafe = unsafeNumberIssues(text);
  if (unsafe.length > 0) throw badRequest(unsafe);
  return value;
}

/**
 * Reads and parses a JSON request body. The content type must be JSON
 * (`application/json` or `application/*+json`) when given; absent, JSON is assumed.
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const type = req.headers['content-type'];
  if (type !== undefined && !isJsonContentType(type)) {
    throw new FlowstateError('UNSUPPORTED_MEDIA_TYPE', 'the body must be JSON: send Content-Type: application/json');
  }
  const text = await readBody(req, maxBytes);
  if (text.trim() === '') throw new FlowstateError('BAD_REQUEST', 'the request body is empty; it must be a JSON object');
  return parseJson(text);
}

/** True for `application/json` and `application/<x>+json`, parameters ignored. */
export function isJsonContentType(header: string): boolean {
  const mime = header.split(';', 1)[0].trim().toLowerCase();
  return mime === 'application/json' || (mime.startsWith('application/') && mime.endsWith('+json'));
}

function tooLarge(maxBytes: number): FlowstateError {
  return new FlowstateError('PAYLOAD_TOO_LARGE', `the request body is over the limit of ${maxBytes} bytes`);
}

function rejectProtoKey(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new FlowstateError('BAD_REQUEST', 'the key "__proto__" is not allowed');
  return value;
}

/** Deepest bracket nesting outside string literals; a linear scan, no allocation. */
function maxNesting(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > max) max = depth;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return max;
}
