// The seam between the listeners and the query pipeline: a listener hands a
// received message to a MessageHandler and sends back whatever bytes it
// returns. QueryHandler is the production one; listener tests use fakes.

export type Transport = 'udp' | 'tcp';

export interface ClientInfo {
  address: string;
  port: number;
  transport: Transport;
}

export interface MessageHandler {
  /** Resolves with the wire response, or undefined when nothing must be sent. */
  handle(wire: Buffer, client: ClientInfo): Promise<Buffer | undefined>;
  /**
   * Optional synchronous fast path: the response when it can be given at
   * once (a cache hit), else undefined and the listener calls handle().
   */
  answerNow?(wire: Buffer, client: ClientInfo): Buffer | undefined;
}
