/**
 * Globus Timers: {@link TimersClient}, the {@link TransferTimer} and schedule builders,
 * {@link TimersAPIError}, and the documents Timers answers with.
 *
 * @packageDocumentation
 */
export {
  OnceTimerSchedule,
  type RecurringTimerEnd,
  RecurringTimerSchedule,
  type TimerTime,
} from "./timer-schedules.ts";
export { isTimersAPIError, TimersAPIError } from "./timers-api-error.ts";
export { type TimersCallOptions, TimersClient } from "./timers-client.ts";
export type {
  CreateTimerResult,
  TimerActionStatus,
  TimerDocument,
  TimerInactiveReason,
  TimerJobDocument,
  TimerJobListDocument,
  TimerMessageDocument,
  TimerRunResult,
  TimerStatus,
  TimerStopAfter,
} from "./timers-documents.ts";
export { type TransferBody, type TransferDocumentSource, TransferTimer } from "./transfer-timer.ts";
