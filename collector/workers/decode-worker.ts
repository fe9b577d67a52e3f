import { parentPort } from 'node:worker_threads';
import { decodeToFrame, failureOf, type DecodeJob } from '../otlp/decode-to-frame.js';

/**
 * A collector decode thread: decodes request bodies the main thread hands it
 * and posts back the framed spool record (its bytes transferred, not copied)
 * or the failure. Messages in: { id, job }. Messages out: { id, decoded } or
 * { id, failure }.
 */
const port = parentPort!;

port.on('message', ({ id, job }: { id: number; job: DecodeJob }) => {
  try {
    const decoded = decodeToFrame(job);
    const frame = decoded.frame === undefined ? undefined : ownBytes(decoded.frame);
    port.postMessage({ id, decoded: { ...decoded, frame } }, frame === undefined ? [] : [frame.buffer as ArrayBuffer]);
  } catch (error) {
    port.postMessage({ id, failure: failureOf(error) });
  }
});

/** The bytes in an ArrayBuffer of their own (a pooled Buffer's ArrayBuffer must never be transferred). */
function ownBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
}
