/**
 * Shows a run's events: on a terminal one live line (stage, percent, elapsed); with --json one JSON
 * line per event on stdout; otherwise (CI, containers) one plain line per stage outcome.
 */
import { STAGES } from '../../../stages/pipeline-plan';
import type { EventLog, PipelineEvent } from '../../../stages/shared/ports';

export type ProgressStyle = 'tty' | 'json' | 'lines';

export class ProgressReporter {
  private readonly started = Date.now();
  private percent = 0;
  private readonly active = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  /** What `runs` needs to reach this run's data (` --data-dir <dir>` for a local run). */
  runsOptions = '';

  constructor(
    private readonly style: ProgressStyle,
    private readonly out: NodeJS.WriteStream = process.stdout
  ) {
    if (style === 'tty') {
      this.timer = setInterval(() => this.draw(), 250);
      this.timer.unref();
    }
  }

  onEvent(event: PipelineEvent): void {
    if (event.progressPercent !== undefined) this.percent = Math.max(this.percent, event.progressPercent);
    if (this.style === 'json') {
      this.out.write(`${JSON.stringify(event)}\n`);
      return;
    }
    const unit = event.unit ?? event.stage;
    if (event.type === 'stage.started' && unit) this.active.add(unit);
    if ((event.type === 'stage.succeeded' || event.type === 'stage.failed') && unit) this.active.delete(unit);
    if (event.type === 'story.skipped' || event.type === 'source.skipped') {
      // A skipped source is worth a line of its own in both human styles (the run goes on).
      if (this.style === 'tty') this.out.write('\r\x1b[2K');
      const what = event.type === 'story.skipped' ? 'story' : 'source';
      this.out.write(
        `[${this.pct()}] skipped ${what} ${String(event.detail?.id ?? '')}: ${String(event.detail?.reason ?? '')}\n`
      );
    }
    if (event.type === 'episode.length' && event.detail?.outcome === 'published-edited') {
      // An edited script published off its target length: the operator should see it (the run goes on).
      if (this.style === 'tty') this.out.write('\r\x1b[2K');
      const d = event.detail;
      this.out.write(
        `[${this.pct()}] warning: the edited script's episode lasts ${String(d.durationSeconds)} s against a target of ${String(d.targetSeconds)} s (${String(d.deviationPercent)}%, ±${String(d.tolerancePercent)}% allowed); published as edited\n`
      );
    }
    if (event.type === 'approval.requested') {
      // The run waits for a person: say so, and what to run, in both human styles.
      if (this.style === 'tty') this.out.write('\r\x1b[2K');
      const deadline = String(event.detail?.deadline ?? '');
      this.out.write(
        `[${this.pct()}] waiting for the script's approval until ${deadline}: npm run runs -- approve ${event.runId}${this.runsOptions} [--script edited.json], or npm run runs -- reject ${event.runId}${this.runsOptions} --reason "..."\n`
      );
    }
    if (this.style === 'lines') {
      if (event.type === 'stage.succeeded')
        this.out.write(`[${this.pct()}] ${unit} done in ${((event.durationMs ?? 0) / 1000).toFixed(1)} s\n`);
      if (event.type === 'stage.retried')
        this.out.write(`[${this.pct()}] ${unit} retrying (attempt ${event.attempt})\n`);
      if (event.type === 'stage.failed')
        this.out.write(`[${this.pct()}] ${unit} failed: ${event.error?.message ?? ''}\n`);
      return;
    }
    this.draw();
  }

  /** Clears the live line before the final summary. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.style === 'tty') this.out.write('\r\x1b[2K');
  }

  private pct(): string {
    return `${this.percent.toFixed(0).padStart(3)}%`;
  }

  private draw(): void {
    const units = [...this.active];
    const titles = units.map((u) => STAGES.find((s) => s.id === u.split('/')[0])?.title ?? u);
    const label = [...new Set(titles)].join(' + ') || (this.percent > 0 ? 'between stages' : 'starting');
    const elapsed = Math.floor((Date.now() - this.started) / 1000);
    const clock = `${String(Math.floor(elapsed / 60)).padStart(2, '0')}:${String(elapsed % 60).padStart(2, '0')}`;
    const width = 24;
    const filled = Math.round((this.percent / 100) * width);
    const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
    this.out.write(`\r\x1b[2K[${bar}] ${this.pct()}  ${label}  ${clock}`);
  }
}

/** An EventLog that tells an observer about every event it stores (duplicates included once). */
export class ObservedEventLog implements EventLog {
  private readonly observed = new Set<string>();

  constructor(
    private readonly inner: EventLog,
    private readonly observer: (event: PipelineEvent) => void
  ) {}

  async append(event: PipelineEvent): Promise<boolean> {
    const stored = await this.inner.append(event);
    if (stored) this.observe(event);
    return stored;
  }

  /**
   * Observes the run's events other processes wrote (the ECS stage tasks of a local distributed
   * run), once each, in the order they happened.
   */
  async catchUp(runId: string): Promise<void> {
    for (const event of await this.inner.list(runId)) this.observe(event);
  }

  private observe(event: PipelineEvent): void {
    const key = `${event.runId}\u0000${event.eventKey}`;
    if (this.observed.has(key)) return;
    this.observed.add(key);
    this.observer(event);
  }

  list(runId: string): Promise<PipelineEvent[]> {
    return this.inner.list(runId);
  }
}
