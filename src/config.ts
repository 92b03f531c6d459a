import { resolve } from 'node:path';
import { z } from 'zod';

/** Every setting Maillage reads from its environment, validated once at start. */
const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  MAILLAGE_DATA_DIR: z.string().default('./var'),
  DATABASE_URL: z.string().url().optional(),
  /** SMTP server of outgoing mail (smtp://user:password@host:587, smtps://… for TLS); without it, mail is written as .eml files under MAILLAGE_DATA_DIR/mail. */
  SMTP_URL: z.string().url().optional(),
  /** Sender of the mail Maillage sends (« Nom <adresse> » or an address); default: Maillage <ne-pas-repondre@host of BASE_URL>. */
  MAIL_FROM: z.string().min(3).optional(),
  BASE_URL: z.string().url().default('http://localhost:3000'),
  /** Vector tile style used as base layer by the maps; none by default (no external server is called). */
  MAP_STYLE_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof configSchema> & { dataDir: string };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (DATABASE_URL= in a shell or a unit file) means « not set ».
  const parsed = configSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')} : ${issue.message}`);
    throw new Error(`Configuration invalide :\n${lines.join('\n')}`);
  }
  return { ...parsed.data, dataDir: resolve(parsed.data.MAILLAGE_DATA_DIR) };
}
