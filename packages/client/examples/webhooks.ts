import { createServer, type Server } from 'node:http';
import { createClient, verifyWebhookSignature, type WebhookEvent } from '@hoshin/client';

/**
 * Registers a receiver for published plans of Mitaka (as the public sees them); returns the
 * endpoint's ID and its signing secret, which is shown only now.
 */
export async function registerWebhook(url: string, token: string, receiver: string) {
  // A planning-section (or admin) token.
  const hoshin = createClient({ url, token });
  const result = await hoshin.createWebhookEndpoint({
    url: receiver,
    events: ['PLAN'],
    filter: { municipality: '132047' },
  });
  switch (result.__typename) {
    case 'CreateWebhookEndpointSuccess':
      return { id: result.webhook.endpoint.id, secret: result.webhook.secret };
    default:
      throw new Error(`not registered: ${result.message}`);
  }
}

/**
 * A receiver: checks each delivery's signature over the raw body (within 5 minutes of its
 * timestamp), answers 2xx at once and hands the event on. Anything else answers 400.
 */
export function webhookReceiver(secret: string, onEvent: (event: WebhookEvent) => void): Server {
  return createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    try {
      const event = await verifyWebhookSignature(secret, {
        headers: req.headers,
        body: Buffer.concat(chunks),
      });
      res.writeHead(204).end();
      // Deliveries may repeat (a retry after a lost answer, a redelivery): `event.id` tells.
      onEvent(event);
    } catch {
      res.writeHead(400).end();
    }
  });
}
