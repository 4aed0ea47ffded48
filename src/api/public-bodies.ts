import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

// A public response is built once into every encoding it is served in (identity, gzip, brotli),
// each with its own strong ETag, so a request only picks bytes and compares a validator. The
// compressors run on libuv's thread pool (never on the event loop the checks' timers share).

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);

/** Bodies smaller than this are sent as they are: compressing them gains little. */
export const COMPRESS_FROM_BYTES = 1_024;
/** Brotli's cost grows steeply past 5; a page rebuilt every few seconds wants it cheap. */
const BROTLI_QUALITY = 5;

export type Encoding = 'identity' | 'gzip' | 'br';

export interface Representation {
  bytes: Buffer;
  etag: string;
}

/** One response body in every encoding it is served in. */
export interface PreparedBody {
  type: string;
  identity: Representation;
  /** Absent when the body is too small to gain from compression. */
  gzip?: Representation;
  br?: Representation;
}

/**
 * Hashes and compresses `body` once. `compress: false` builds the identity bytes only (for
 * responses that are not kept, so a flood of them costs no compression).
 */
export async function prepareBody(
  body: string,
  type: string,
  options: { compress: boolean } = { compress: true },
): Promise<PreparedBody> {
  const bytes = Buffer.from(body, 'utf8');
  const hash = createHash('sha1').update(bytes).digest('base64url');
  const identity = { bytes, etag: `"${hash}"` };
  if (!options.compress || bytes.length < COMPRESS_FROM_BYTES) return { type, identity };
  const [gzipped, brotlied] = await Promise.all([
    gzip(bytes),
    brotli(bytes, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
  ]);
  return {
    type,
    identity,
    gzip: { bytes: gzipped, etag: `"${hash}-gz"` },
    br: { bytes: brotlied, etag: `"${hash}-br"` },
  };
}

/**
 * The encoding to send: brotli, then gzip, among those the client accepts (`q=0` refuses one,
 * `*` accepts any) and the body has; identity otherwise.
 */
export function chooseEncoding(
  acceptEncoding: string | undefined,
  available: { gzip: boolean; br: boolean },
): Encoding {
  if (acceptEncoding === undefined || acceptEncoding === '') return 'identity';
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const accepts = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (available.br && accepts('br')) return 'br';
  if (available.gzip && accepts('gzip')) return 'gzip';
  return 'identity';
}

/** True when `If-None-Match` names `etag` (weak comparison, as RFC 9110 asks for GET) or is `*`. */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}

/**
 * Sends the representation the request asks for: 304 when its validator matches, else the
 * prebuilt bytes, with `Cache-Control` for `maxAgeS` and `Vary: Accept-Encoding` whenever the
 * bytes depend on it.
 */
export function sendPrepared(
  request: FastifyRequest,
  reply: FastifyReply,
  body: PreparedBody,
  maxAgeS: number,
): FastifyReply {
  const encoding = chooseEncoding(request.headers['accept-encoding'], {
    gzip: body.gzip !== undefined,
    br: body.br !== undefined,
  });
  const chosen = (encoding === 'identity' ? undefined : body[encoding]) ?? body.identity;
  void reply
    .header('cache-control', `public, max-age=${maxAgeS}`)
    .header('etag', chosen.etag)
    .header('x-content-type-options', 'nosniff');
  if (body.gzip !== undefined) void reply.header('vary', 'accept-encoding');
  if (matchesIfNoneMatch(request.headers['if-none-match'], chosen.etag))
    return reply.status(304).send();
  if (encoding !== 'identity') void reply.header('content-encoding', encoding);
  return reply.type(body.type).send(chosen.bytes);
}
