/**
 * The mutualisation board: offers and requests searched by territory and distance, bookings of premises and
 * equipment (overlaps refused by the database's exclusion constraint, answered 409), the owner's decision, a
 * mail at each step, each calendar as iCalendar; the API, the bookings and the pages register themselves.
 */
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { registerPoolingApi } from './api.ts';
import { bookingActions, registerBookingApi } from './bookings.ts';
import { registerPoolingPages } from './pages.ts';

export async function registerPooling(app: TypedApp, context: AppContext) {
  const actions = bookingActions(context);
  registerPoolingApi(app, context);
  registerBookingApi(app, context, actions);
  registerPoolingPages(app, context, actions);
}
