import { resolve } from 'node:path';
import { z } from 'zod';

/** Every setting Maillage reads from its environment, validated once at start. */
const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  MAILLAGE_DATA_DIR: z.string().default('./var'),
  DATABASE_URL: z.string().url().optional(),
  SMTP_URL: z.string().url().optional(),
  BASE_URL: z.string().url().default('http://localhost:3000'),
  /** Vector tile style used as base layer by the maps; none by default (no external server is called). */
  MAP_STYLE_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof configSchema> & { dataDir: string };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')} : ${issue.message}`);
    throw new Error(`Configuration invalide :\n${lines.join('\n')}`);
  }
  return { ...parsed.data, dataDir: resolve(parsed.data.MAILLAGE_DATA_DIR) };
}
