import type { AppContext, TypedApp } from '../../app.ts';

export async function registerTerritories(_app: TypedApp, _context: AppContext) {}
