/**
 * What applications keep about a person, for the RGPD export, and what their account's deletion erases.
 * A draft never submitted is the person's alone: it is erased. A submitted application is also the call's
 * record (its instruction, its decision): it stays, and the person's name in its history becomes
 * « Compte supprimé », as in the audit log. (To be listed in accounts/personal-data.ts and accounts/deletion.ts.)
 * The files of an erased draft go with it (foreign key on delete cascade); the trigger of migration 0016 queues
 * their bytes, which leave the disk once the deletion has committed (features/files/sweep.ts).
 * Comments on calls in concertation are part of a public co-construction: they stay, detached from the account
 * (shown as « Compte supprimé »), and so do the replies the person wrote as an organiser.
 */
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../../db/database.ts';
import type { ErasureStep, PersonalDataSection } from '../../../platform/personal-data.ts';

export const applicationsPersonalData: PersonalDataSection[] = [
  {
    name: 'candidatures',
    query: (db: Db, accountId: number) =>
      rows(
        db,
        sql`select c.id::int as id, a.title as appel, c.title as titre, c.porteur_type as porteur,
      c.statut, c.formulaire_version, c.donnees as reponses, c.numero_depot, c.submitted_at as deposee_le, c.created_at as creee_le,
      coalesce((select json_agg(json_build_object('role', m.role, 'siret', m.siret, 'nom', m.name) order by m.position)
        from candidature_membre m where m.candidature_id = c.id), '[]') as membres,
      coalesce((select json_agg(json_build_object('champ', f.field_key, 'nom', f.original_name, 'type', f.content_type,
          'taille', f.size_bytes, 'sha256', f.sha256, 'envoye_le', f.uploaded_at) order by f.uploaded_at, f.id)
        from candidature_fichier f where f.candidature_id = c.id), '[]') as fichiers
    from candidature c join appel a on a.id = c.appel_id where c.account_id = ${accountId} order by c.created_at, c.id`,
      ),
  },
  {
    name: 'commentaires_appels',
    query: (db: Db, accountId: number) =>
      rows(
        db,
        sql`select k.id::int as id, a.title as appel, k.section, k.body as texte, k.created_at as publie_le,
      k.reply as reponse_organisateur, k.replied_at as reponse_le, k.hidden_at as masque_le, k.hidden_reason as motif_masquage
    from appel_commentaire k join appel a on a.id = k.appel_id where k.account_id = ${accountId} order by k.created_at, k.id`,
      ),
  },
];

export const applicationsErasure: ErasureStep[] = [
  {
    name: 'brouillons de candidature',
    run: async (tx, id) =>
      void (await tx.execute(sql`delete from candidature
      where account_id = ${id} and statut = 'brouillon' and numero_depot is null`)),
  },
  {
    name: 'commentaires de concertation (gardés, anonymisés)',
    run: async (tx, id) => {
      await tx.execute(sql`update appel_commentaire set account_id = null where account_id = ${id}`);
      await tx.execute(sql`update appel_commentaire set replied_by = null where replied_by = ${id}`);
    },
  },
  {
    name: 'nom dans l’historique des candidatures',
    run: async (tx, id) => void (await tx.execute(sql`update candidature_transition set actor_label = 'Compte supprimé' where actor_id = ${id}`)),
  },
];
