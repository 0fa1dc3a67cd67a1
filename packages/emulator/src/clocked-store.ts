/**
 * @internal The base of the stores that live on the emulator clock and are saved in the state
 * file (consents, sign-in sessions, the fake Transfer, Groups and Search): the clock, read in
 * whole or fractional seconds, and a way to say that something changed.
 */
export abstract class ClockedStore {
  readonly #clock: () => number;
  readonly #changed: () => void;

  /**
   * @param clock the emulator clock, in fractional epoch seconds.
   * @param changed called after every change worth persisting.
   */
  constructor(clock: () => number, changed: () => void) {
    this.#clock = clock;
    this.#changed = changed;
  }

  /** The emulator clock in whole seconds. */
  now(): number {
    return Math.floor(this.#clock());
  }

  /** The emulator clock in fractional seconds. */
  exactNow(): number {
    return this.#clock();
  }

  /** Records a change (the state file is rewritten). */
  changed(): void {
    this.#changed();
  }
}
