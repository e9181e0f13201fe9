// Operators read these logs: pino JSON to stdout, one line per notable event.
// Per-query lines are debug-level and callers guard them with isLevelEnabled
// so they cost nothing when off.

import { pino, type Logger } from 'pino';

export type { Logger };

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function createLogger(level: LogLevel): Logger {
  return pino({ level, base: { name: 'hops' } });
}

export const silentLogger: Logger = pino({ level: 'silent' });
