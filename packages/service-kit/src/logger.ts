import pino, { type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs; tokens and passwords are redacted wherever they appear. */
export function createLogger(service: string, level: string = 'info'): Logger {
  return pino({
    name: service,
    level,
    redact: {
      paths: ['*.password', '*.token', '*.authorization', 'req.headers.authorization', 'headers.authorization'],
      censor: '[redacted]',
    },
  });
}
