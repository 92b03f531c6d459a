import { resolve } from 'node:path';
import { z } from 'zod';

/** Every setting Maillage reads from its environment, validated once at start. */
const configSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('0.0.0.0'),
    MAILLAGE_DATA_DIR: z.string().default('./var'),
    DATABASE_URL: z.string().url().optional(),
    /** Connections of each Maillage process to PostgreSQL; default: twice the processor cores plus two. */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).optional(),
    /** Longest SQL statement of a serving process, in seconds: a request never holds a connection for longer. */
    STATEMENT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
    /** SMTP server of outgoing mail (smtp://user:password@host:587, smtps://… for TLS); without it, mail is written as .eml files under MAILLAGE_DATA_DIR/mail. */
    SMTP_URL: z.string().url().optional(),
    /** Sender of the mail Maillage sends (« Nom <adresse> » or an address); default: Maillage <ne-pas-repondre@host of BASE_URL>. */
    MAIL_FROM: z.string().min(3).optional(),
    /** Public address of the site, in links and mail; default: http://localhost:PORT. */
    BASE_URL: z.string().url().optional(),
    /** Vector tile style used as base layer by the maps; none by default (no external server is called). */
    MAP_STYLE_URL: z.string().url().optional(),
    /** Largest file accepted in an application (Mo); a form's field may ask for less, never more. */
    MAX_UPLOAD_MB: z.coerce.number().positive().max(1000).default(10),
    /** Folder of the files joined to applications; default MAILLAGE_DATA_DIR/files. */
    FILES_DIR: z.string().min(1).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** « json » (one object a line, for a log collector), « texte » (readable lines), « auto »: text on a terminal outside production, JSON otherwise. */
    LOG_FORMAT: z.enum(['auto', 'json', 'texte'], { error: 'valeurs possibles : « auto », « json » ou « texte ».' }).default('auto'),
    /** « production » turns on the checks of a public service (see productionProblems); anything else is development. */
    NODE_ENV: z.string().optional(),
    /** Bearer token that opens /metriques (Prometheus); unset: the path answers 404. */
    METRICS_TOKEN: z
      .string()
      .trim()
      .min(24, '24 caractères au moins (par exemple le résultat de « openssl rand -hex 32 »).')
      .regex(/^[\x21-\x7e]+$/, 'des caractères visibles, sans espace (par exemple le résultat de « openssl rand -hex 32 »).')
      .optional(),
    /**
     * Which reverse proxies may tell the client's address and protocol (X-Forwarded-For / -Proto), as Fastify's
     * trustProxy reads it: « true » (any: only when no client can reach Maillage but through the proxy), or
     * addresses and ranges separated by commas (e.g. « 127.0.0.1,10.0.0.0/8 »). Unset: none, so that nobody can
     * pick the address the rate limits count.
     */
    TRUST_PROXY: z
      .string()
      .trim()
      .regex(/^(true|[0-9a-fA-F.:/,\s]+)$/, 'TRUST_PROXY : « true », ou des adresses IP et plages séparées par des virgules.')
      .optional(),
    /** Seconds between two looks of a serving instance at the job queue (alert digests, mail); 0: this instance runs no jobs. */
    JOBS_POLL_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
    /** OpenID Connect sign-in (ProConnect…): on only when issuer, client id and secret are all set. */
    OIDC_ISSUER: z
      .url({ error: 'OIDC_ISSUER doit être une URL, par exemple https://auth.agentconnect.gouv.fr/api/v2.' })
      .refine(isSecureOrLoopback, 'OIDC_ISSUER doit être en https (http n’est accepté que sur la machine locale : localhost, 127.0.0.1).')
      .optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    /** Name of the provider on the sign-in button (« Se connecter avec … »). */
    OIDC_LABEL: z.string().trim().min(1).max(60, 'OIDC_LABEL : 60 caractères au plus.').default('ProConnect'),
    OIDC_SCOPES: z
      .string()
      .trim()
      .default('openid email given_name usual_name')
      .refine((scopes) => scopes.split(/\s+/).includes('openid'), 'OIDC_SCOPES doit contenir « openid ».'),
  })
  .refine((c) => [0, 3].includes([c.OIDC_ISSUER, c.OIDC_CLIENT_ID, c.OIDC_CLIENT_SECRET].filter(Boolean).length), {
    path: ['OIDC_ISSUER'],
    error: 'OIDC_ISSUER, OIDC_CLIENT_ID et OIDC_CLIENT_SECRET vont ensemble : renseignez les trois, ou aucun.',
  })
  .superRefine((c, context) => {
    if (c.NODE_ENV !== 'production') return;
    for (const [path, message] of productionProblems(c)) context.addIssue({ code: 'custom', path: [path], message });
  });

type Settings = z.input<typeof configSchema>;

/**
 * What a development machine may omit but a public instance may not: its public https address (links in mail,
 * Secure cookies, HSTS), a mail server (account confirmation and password reset would stay in files), and a
 * trust in forwarded headers narrower than « anyone » when Maillage listens on every interface (any client
 * could then choose the address the rate limits count).
 */
function productionProblems(c: Settings): Array<[keyof Settings, string]> {
  const problems: Array<[keyof Settings, string]> = [];
  if (!c.BASE_URL) problems.push(['BASE_URL', 'obligatoire en production : l’adresse publique du site, par exemple https://maillage.exemple-cress.fr.']);
  else if (URL.canParse(c.BASE_URL) && !isSecureOrLoopback(c.BASE_URL))
    problems.push(['BASE_URL', 'doit être en https en production (http n’est accepté que sur la machine locale).']);
  if (!c.SMTP_URL)
    problems.push([
      'SMTP_URL',
      'obligatoire en production : sans serveur de courriel, les confirmations d’adresse et les mots de passe oubliés ne partiraient pas.',
    ]);
  if (c.TRUST_PROXY === 'true' && !['127.0.0.1', '::1', 'localhost'].includes(c.HOST ?? '0.0.0.0'))
    problems.push([
      'TRUST_PROXY',
      '« true » n’est sûr que si seul le mandataire joint Maillage : mettez HOST=127.0.0.1, ou l’adresse du mandataire dans TRUST_PROXY.',
    ]);
  return problems;
}

/** Plain http would expose the code and tokens: it is accepted only for a provider on this machine (development, tests). */
function isSecureOrLoopback(url: string): boolean {
  if (!URL.canParse(url)) return true; // reported by z.url()
  const { protocol, hostname } = new URL(url);
  return protocol === 'https:' || (protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(hostname));
}

export type Config = Omit<z.infer<typeof configSchema>, 'BASE_URL'> & { BASE_URL: string; dataDir: string };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (DATABASE_URL= in a shell or a unit file) means « not set ».
  const parsed = configSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')} : ${issue.message}`);
    throw new Error(`Configuration invalide :\n${lines.join('\n')}`);
  }
  const { data } = parsed;
  return { ...data, BASE_URL: data.BASE_URL ?? `http://localhost:${data.PORT}`, dataDir: resolve(data.MAILLAGE_DATA_DIR) };
}
