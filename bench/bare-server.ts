// The benchmark's yardstick: a bare Fastify 5 server whose one route answers a fixed JSON document, with
// nothing else (no auth, no database, no validation). Started by bench/run.ts in its own process.
// Environment: BARE_PORT (required) and BARE_BODY (the JSON to answer, a copy of a real get-by-id response).
import Fastify from 'fastify';

const port = Number(process.env.BARE_PORT);
const bodyText = process.env.BARE_BODY ?? '{}';
if (!Number.isInteger(port) || port <= 0) throw new Error('BARE_PORT must be a port number');

// @NOTE the route returns the parsed object, so Fastify serialises it on every request as it does for Paddock.
const body = JSON.parse(bodyText) as unknown;

const app = Fastify({ logger: false });
app.get('/bare', async () => body);

await app.listen({ port, host: '127.0.0.1' });
console.log(
  `bare listening on http://127.0.0.1:${port} (${Buffer.byteLength(JSON.stringify(body))} bytes per response)`,
);

const stop = async () => {
  await app.close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
