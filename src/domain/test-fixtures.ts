/** Fixtures shared by the domain's unit tests. */
import type { SchemeForOrientation } from './orientation.ts';

/** A scheme open to everyone everywhere, at any time, with no kind of support: each test says what it changes. */
export const scheme = (overrides: Partial<SchemeForOrientation>): SchemeForOrientation => ({
  id: 1,
  nom: 'Dispositif',
  types_accompagnement: [],
  types_financement: [],
  stades: [],
  modeles: [],
  finalites: [],
  modeles_economiques: [],
  formes_juridiques: [],
  esus_requis: null,
  couverture: null,
  calendrier: null,
  actif: true,
  ...overrides,
});
