// One client TCP connection, per RFC 7766: length-prefixed messages (§8),
// several queries per connection, pipelined queries processed concurrently
// and answered as each completes, possibly out of order (§6.2.1.1, §7), and
// an idle timeout (§6.2.3). Reading pauses while the client has too many
// queries in flight or is not reading its answers, so one connection cannot
// hold unbounded memory.

import type { Socket } from 'node:net';
import { FrameReader, frame } from '../dns/tcp-framing.js';
import type { Logger } from '../util/log.js';
import type { ClientInfo, MessageHandler } from './message-handler.js';

export interface TcpConnectionLimits {
  idleTimeoutMs: number;
  maxInFlight: number;
}

export class TcpConnection {
  private readonly reader = new FrameReader();
  private readonly client: ClientInfo;
  private readonly idleTimer: NodeJS.Timeout;
  /**
   * Whole messages received while at the in-flight cap. Reading is paused
   * whenever this is non-empty, so it holds at most one chunk's worth.
   */
  private readonly backlog: Buffer[] = [];
  private backlogHead = 0;
  private inFlight = 0;
  /** The socket's write buffer is past its high-water mark (the buffered-bytes cap). */
  private writeBlocked = false;
  private reading = true;
  private clientEnded = false;

  constructor(
    private readonly socket: Socket,
    private readonly handler: MessageHandler,
    private readonly logger: Logger,
    private readonly limits: TcpConnectionLimits,
    onClose: (connection: TcpConnection) => void,
  ) {
    this.client = { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0, transport: 'tcp' };
    this.idleTimer = setTimeout(this.onIdle, limits.idleTimeoutMs);
    socket.on('data', this.onData);
    socket.on('drain', this.onDrain);
    socket.on('end', this.onEnd);
    // Resets and broken pipes are what clients do; they are not our failures.
    socket.on('error', (err) => logger.debug({ err, client: this.client.address }, 'TCP connection error'));
    socket.on('close', () => {
      clearTimeout(this.idleTimer);
      onClose(this);
    });
  }

  destroy(): void {
    this.socket.destroy();
  }

  private readonly onData = (chunk: Buffer): void => {
    const messages = this.reader.push(chunk);
    if (messages.length === 0) return;
    this.idleTimer.refresh(); // the idle clock restarts on each message
    for (const message of messages) this.backlog.push(message);
    this.pump();
  };

  /** Starts what the caps allow, then reads on only if everything was started. */
  private pump(): void {
    const backlog = this.backlog;
    while (this.backlogHead < backlog.length && this.inFlight < this.limits.maxInFlight && !this.writeBlocked) {
      this.inFlight++;
      void this.serve(backlog[this.backlogHead++]);
    }
    if (this.backlogHead === backlog.length) {
      backlog.length = 0;
      this.backlogHead = 0;
    }
    const read = !this.clientEnded && backlog.length === 0 && this.inFlight < this.limits.maxInFlight &&
      !this.writeBlocked;
    if (read !== this.reading) {
      this.reading = read;
      if (read) this.socket.resume();
      else this.socket.pause();
    }
  }

  private async serve(message: Buffer): Promise<void> {
    try {
      const reply = await this.handler.handle(message, this.client);
      // Answers to a client that has gone are dropped; it will ask again.
      if (reply !== undefined && this.socket.writable && !this.socket.write(frame(reply))) {
        this.writeBlocked = true;
      }
    } catch (err) {
      this.logger.error({ err, client: this.client.address }, 'TCP query handler failed');
    }
    this.inFlight--;
    if (this.inFlight === 0) this.idleTimer.refresh(); // idle counts from the last answer, too
    this.pump();
    this.endIfDone();
  }

  private readonly onDrain = (): void => {
    this.writeBlocked = false;
    this.pump();
  };

  // The client half-closed (allowHalfOpen): answer what it asked, then close
  // our side too (RFC 7766 §6.2.4 leaves closing to either end).
  private readonly onEnd = (): void => {
    this.clientEnded = true;
    this.endIfDone();
  };

  private endIfDone(): void {
    if (this.clientEnded && this.inFlight === 0 && this.backlog.length === 0 && this.socket.writable) this.socket.end();
  }

  // RFC 7766 §6.2.3: the server closes connections that stay idle. Queries
  // still being resolved keep a connection busy, not idle; the timer is
  // restarted when the last of them is answered.
  private readonly onIdle = (): void => {
    if (this.inFlight === 0) this.socket.destroy();
  };
}
