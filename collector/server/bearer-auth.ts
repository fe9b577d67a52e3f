import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Checks `Authorization: Bearer <token>` in constant time: both sides are
 * hashed to equal-length digests first, so neither the token's length nor a
 * common prefix shows in the timing.
 */
export function bearerTokenMatches(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer[ \t]+(.+)$/i.exec(authorization ?? '');
  const presented = match ? match[1]!.trim() : '';
  const equal = timingSafeEqual(digest(presented), digest(token));
  return equal && presented.length > 0;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
