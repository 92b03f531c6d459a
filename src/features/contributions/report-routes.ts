/** Error reports on an object's page: open to visitors, counted per address, queued for the moderators of its régions. */
import { sql } from 'drizzle-orm';
import { contributionKind } from '../../domain/contribution.ts';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { hit, type RateRule } from '../../platform/http/rate-limit.ts';
import { idParams } from '../../platform/params.ts';
import { TooManyRequests } from '../../web/errors.ts';
import { formValues } from '../../web/form-body.ts';
import { submitForm } from '../../web/forms.ts';
import { KIND_PATHS, objectRegions } from './objects.ts';
import { existingName, render } from './pages-kit.ts';
import { reportSchema } from './schemas.ts';
import { reportFormPage, reportSentPage } from './views.ts';

/** Error reports are open to visitors: counted per address, so that a script cannot flood the queues. */
export const REPORT_RATE: RateRule = { name: 'report:ip', limit: 10, windowSeconds: 60 * 60 };

export function registerErrorReports(app: TypedApp, { database, territories }: AppContext) {
  const db = database.db;
  for (const kind of contributionKind.codes) {
    const base = `/${KIND_PATHS[kind]}/:id`;
    const section = `/${KIND_PATHS[kind]}`;
    // Error reports ----------------------------------------------------------------------------------------------
    app.get(`${base}/signaler`, { schema: { hide: true, params: idParams } }, async (request, reply) => {
      const name = await existingName(db, kind, request.params.id);
      return render(reply, 200, `Signaler une erreur : ${name}`, reportFormPage(request, kind, request.params.id, name, {}), section);
    });

    app.post(`${base}/signaler`, { schema: { hide: true, params: idParams } }, async (request, reply) => {
      const { id } = request.params;
      const name = await existingName(db, kind, id);
      return submitForm({
        reply,
        values: formValues(request.body, ['message', 'email']),
        parse: reportSchema,
        act: async (report) => {
          const limit = await hit(db, REPORT_RATE, request.ip);
          if (!limit.allowed) {
            throw new TooManyRequests('Trop de signalements envoyés depuis votre connexion : patientez une heure avant de réessayer.', limit.retryAfterSeconds);
          }
          const regions = (await objectRegions(db, kind, id, territories)) ?? [];
          await db.execute(sql`insert into error_report (kind, object_id, message, email, account_id, region_codes)
          values (${kind}, ${id}, ${report.message}, ${report.email}, ${request.account?.id ?? null}, string_to_array(${regions.join(',')}, ','))`);
        },
        done: () => render(reply, 200, 'Merci pour votre signalement', reportSentPage(kind, id, name), section),
        render: (status, state) => render(reply, status, `Signaler une erreur : ${name}`, reportFormPage(request, kind, id, name, state), section),
      });
    });
  }
}
