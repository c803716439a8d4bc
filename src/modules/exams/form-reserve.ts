// Forms drawn ahead of the starts that take them. On exam day a cohort presses Start in the same
// second, and each start drew its form (some 0.1 to 0.4 ms of the event loop for the shipped
// mock) right then, in the busiest second of the day. A reserve draws forms while the process
// is quiet (learners signing in, reading the start page) and gives each out once; a start that
// finds it empty draws its own, as before. A form from the reserve is drawn exactly as one
// drawn at the start (the same pool, a fresh random seed), so no learner can tell or choose.

/** Reserved forms held by every reserve of a process together, and the most they may hold. */
export type ReserveBudget = { held: number; readonly max: number };

export type FormReserveOptions<F> = {
  /** Draws one form (with a fresh random seed each time). */
  draw: () => F;
  /** The most forms this reserve holds. */
  size: number;
  /** Refilling waits until no form has been taken for this long: a burst is not refilled during it. */
  quietMs: number;
  /** Shared with the process's other reserves: a bound on the memory they take together. */
  budget: ReserveBudget;
  /** Forms drawn in one turn of the event loop while filling (the rest wait for the next turn). */
  batch?: number;
};

export class FormReserve<F> {
  private readonly forms: F[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastTaken = 0;
  private filling = false;
  private stopped = false;

  constructor(private readonly options: FormReserveOptions<F>) {}

  /** Forms held now. */
  get held(): number {
    return this.forms.length;
  }

  /** A form drawn ahead, given out once; undefined when none is held (the caller draws its own). */
  take(): F | undefined {
    const form = this.forms.pop();
    if (form !== undefined) this.options.budget.held -= 1;
    this.lastTaken = Date.now();
    this.fillWhenQuiet();
    return form;
  }

  /** Fills the reserve once no form has been taken for `quietMs` (each take puts it off again). */
  fillWhenQuiet(): void {
    if (this.stopped || this.forms.length >= this.options.size) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.fill(), this.options.quietMs);
    this.timer.unref();
  }

  /** Drops the forms held and fills no more (the pool they were drawn from is no longer kept). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.options.budget.held -= this.forms.length;
    this.forms.length = 0;
  }

  /** A few forms a turn of the event loop, until full, out of budget, stopped, or taken from again. */
  private fill(): void {
    if (this.filling) return;
    this.filling = true;
    const { size, budget, quietMs, batch = 8 } = this.options;
    const step = () => {
      if (this.stopped || Date.now() - this.lastTaken < quietMs) {
        this.filling = false;
        if (!this.stopped) this.fillWhenQuiet();
        return;
      }
      try {
        for (let i = 0; i < batch && this.forms.length < size && budget.held < budget.max; i += 1) {
          this.forms.push(this.options.draw());
          budget.held += 1;
        }
      } catch {
        // A draw that fails here fails again at the next start, which draws its own form and
        // answers the learner with the error; the reserve stays as it is until then.
        this.filling = false;
        return;
      }
      if (this.forms.length < size && budget.held < budget.max) setImmediate(step);
      else this.filling = false;
    };
    step();
  }
}
