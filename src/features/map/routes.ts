import type { AppContext, TypedApp } from '../../app.ts';

export async function registerMap(_app: TypedApp, _context: AppContext) {}
