import type { FastifyInstance } from 'fastify';
import { build } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { Mailer } from '../../src/platform/mail/mailer.ts';
import { loadData } from '../../src/startup.ts';
import { openTestDatabase, type TestDatabase } from './databases.ts';

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  close(): Promise<void>;
}

/**
 * The real application on a fresh real database (with the demo data and seed catalogue unless told otherwise),
 * not listening. Mail goes to `mailer` when given (e.g. SMTP to a test server), else to .eml files under var/test/mail;
 * `config` adds settings (environment variable names) to the test defaults.
 */
export async function buildTestApp({
  demo = true,
  mailer,
  config: settings = {},
}: {
  demo?: boolean;
  mailer?: Mailer;
  config?: Record<string, string>;
} = {}): Promise<TestApp> {
  const database = await openTestDatabase();
  await loadData(database.db, { withDemo: demo });
  // TRUST_PROXY: the tests play a TLS-terminating proxy (X-Forwarded-Proto) from many client addresses.
  const config = loadConfig({ LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', MAILLAGE_DATA_DIR: './var/test', TRUST_PROXY: 'true', ...settings });
  const app = await build({ config, database, mailer });
  return {
    app,
    database,
    async close() {
      await app.close();
      await database.dispose();
    },
  };
}
