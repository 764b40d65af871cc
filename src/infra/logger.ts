import winston from 'winston';
import type { Config } from '../config.js';

export type Logger = winston.Logger;

export function createLogger(config: Pick<Config, 'logLevel' | 'nodeEnv'>): Logger {
  const readable = winston.format.printf(({ level, message, timestamp, ...meta }) => {
    const rest = Object.keys(meta).length ? ` ${JSON.stringify(meta)}` : '';
    return `${timestamp as string} ${level} ${message as string}${rest}`;
  });
  return winston.createLogger({
    level: config.logLevel,
    format:
      config.nodeEnv === 'production'
        ? winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: true }), winston.format.json())
        : winston.format.combine(
            winston.format.timestamp({ format: 'HH:mm:ss.SSS' }),
            winston.format.errors({ stack: false }),
            winston.format.colorize(),
            readable,
          ),
    transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn'] })],
  });
}
