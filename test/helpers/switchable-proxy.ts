/**
 * A TCP proxy that can be switched off: while down, its port refuses connections (ECONNREFUSED) and
 * the connections it was carrying are reset (ECONNRESET), which is what a client sees of a database
 * that went away. Switched on again, it listens on the same port. Tests put it between one client and
 * dynalite (LocalStackOptions.processDynamoEndpoint).
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export class SwitchableProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private target: { host: string; port: number } | undefined;
  private constructor(readonly port: number) {}

  /** Starts the proxy on a free port (up, with no target until `forwardTo`). */
  static async start(): Promise<SwitchableProxy> {
    const probe = createServer();
    const port = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => resolve((probe.address() as { port: number }).port)));
    await new Promise((resolve) => probe.close(resolve));
    const proxy = new SwitchableProxy(port);
    await proxy.up();
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Sets where connections go (an `http://host:port` endpoint); answers this proxy's endpoint. */
  forwardTo(endpoint: string): string {
    const url = new URL(endpoint);
    this.target = { host: url.hostname, port: Number(url.port) };
    return this.url;
  }

  /** Listens again on the same port. */
  async up(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => this.pipe(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  /** Stops listening (new connections are refused) and resets every connection in flight. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  async close(): Promise<void> {
    await this.down();
  }

  private pipe(client: Socket): void {
    if (!this.target) return void client.resetAndDestroy();
    const upstream = createConnection(this.target);
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
