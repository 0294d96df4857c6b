// Static assets of the server-rendered pages. `stylesheet()` knows nothing of Fastify; `assetRoutes(app)`
// registers the one route that serves it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { STYLESHEET_HREF } from './layout.js';

export interface StaticAsset {
  body: string;
  content_type: string;
  /** A strong validator of the body, quoted as HTTP wants it. */
  etag: string;
  cache_control: string;
}

let cached: StaticAsset | undefined;

/** The stylesheet `/assets/paddock.css` (read once from the file next to this module). */
export function stylesheet(): StaticAsset {
  if (!cached) {
    const body = readFileSync(new URL('./paddock.css', import.meta.url), 'utf8');
    cached = {
      body,
      content_type: 'text/css; charset=utf-8',
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      // @NOTE the URL carries no version, so caches keep it for an hour and then revalidate with the ETag.
      cache_control: 'public, max-age=3600',
    };
  }
  return cached;
}

/** True when an If-None-Match header names this ETag (or is `*`). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*');
}

/** Registers GET (and HEAD) /assets/paddock.css. Needs no authentication. */
export function assetRoutes(app: FastifyInstance): void {
  app.get(STYLESHEET_HREF, async (request, reply) => {
    const asset = stylesheet();
    reply.header('cache-control', asset.cache_control).header('etag', asset.etag);
    if (etagMatches(request.headers['if-none-match'], asset.etag)) return reply.code(304).send();
    return reply.type(asset.content_type).send(asset.body);
  });
}
