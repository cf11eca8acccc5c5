// The peer our token endpoint is measured against: a minimal Node.js endpoint that mints a
// LiveKit join token with livekit-server-sdk, shaped like the connection-details route of
// LiveKit's example meeting app (random identity, room grant, five-minute TTL). It keeps no
// state and checks no session, so it is the floor of what minting a token costs in Node.
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { AccessToken } from 'livekit-server-sdk';

const port = Number(process.env.PORT ?? 0);
const apiKey = process.env.LIVEKIT_API_KEY;
const apiSecret = process.env.LIVEKIT_API_SECRET;
const serverUrl = process.env.LIVEKIT_URL;
if (!apiKey || !apiSecret || !serverUrl) {
  console.error('LIVEKIT_API_KEY, LIVEKIT_API_SECRET and LIVEKIT_URL are required');
  process.exit(1);
}

const server = createServer(async (request, response) => {
  const url = new URL(request.url, 'http://peer');
  const room = url.searchParams.get('room');
  if (request.method !== 'POST' || url.pathname !== '/token' || !room) {
    response.writeHead(404).end();
    return;
  }
  const identity = `peer_${randomUUID()}`;
  const token = new AccessToken(apiKey, apiSecret, { identity, name: 'Peer', ttl: '5m' });
  token.addGrant({ room, roomJoin: true, canPublish: true, canSubscribe: true, canPublishData: true });
  const body = JSON.stringify({ serverUrl, roomName: room, participantName: identity, participantToken: await token.toJwt() });
  response.writeHead(200, { 'content-type': 'application/json' }).end(body);
});

server.listen(port, '127.0.0.1', () => console.log(`listening on ${server.address().port}`));
