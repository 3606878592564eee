import { ProgressReporter } from '../../containers/orchestrator/cli/progress-reporter';
import type { PipelineEvent } from '../../stages/shared/ports';

function capture(): { out: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const out = { write: (chunk: string) => chunks.push(chunk) > 0 } as unknown as NodeJS.WriteStream;
  return { out, text: () => chunks.join('') };
}

const event = (fields: Partial<PipelineEvent>): PipelineEvent => ({
  runId: 'tech-weekly-2026-11-23',
  eventKey: 'k',
  type: 'stage.succeeded',
  at: '2026-11-23T10:00:00.000Z',
  ...fields,
});

describe('ProgressReporter', () => {
  it('tells a waiting run apart: the deadline and the commands that decide it', () => {
    const { out, text } = capture();
    const reporter = new ProgressReporter('lines', out);

    reporter.onEvent(
      event({ type: 'stage.succeeded', unit: 'review', durationMs: 1200, progressPercent: 40 })
    );
    reporter.onEvent(
      event({ type: 'approval.requested', detail: { what: 'script', deadline: '2026-11-26T10:00:00.000Z' } })
    );
    reporter.stop();

    const lines = text().trim().split('\n');
    expect(lines[0]).toBe('[ 40%] review done in 1.2 s');
    expect(lines[1]).toBe(
      '[ 40%] waiting for the script\'s approval until 2026-11-26T10:00:00.000Z: npm run runs -- approve tech-weekly-2026-11-23 [--script edited.json], or npm run runs -- reject tech-weekly-2026-11-23 --reason "..."'
    );
  });

  it('writes every event as one JSON line with --json, the approval request too', () => {
    const { out, text } = capture();
    const reporter = new ProgressReporter('json', out);

    reporter.onEvent(event({ type: 'approval.requested', detail: { deadline: 'd' } }));

    expect(JSON.parse(text().trim())).toMatchObject({ type: 'approval.requested' });
  });

  it('warns when an edited script is published off its target length, and only then', () => {
    const { out, text } = capture();
    const reporter = new ProgressReporter('lines', out);
    const length = { durationSeconds: 225, targetSeconds: 180, deviationPercent: 25, tolerancePercent: 10 };

    reporter.onEvent(
      event({ type: 'episode.length', progressPercent: 95, detail: { ...length, outcome: 'within' } })
    );
    reporter.onEvent(event({ type: 'episode.length', detail: { ...length, outcome: 'published-edited' } }));

    expect(text()).toBe(
      "[ 95%] warning: the edited script's episode lasts 225 s against a target of 180 s (25%, ±10% allowed); published as edited\n"
    );
  });
});
