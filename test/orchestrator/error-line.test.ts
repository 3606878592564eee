/** The orchestrator's one error line: escaped for the terminal, URL tokens redacted. */
import { errorLine, unexpectedErrorLine } from '../../containers/orchestrator/cli/error-line';
import { PipelineFailedError } from '../../containers/orchestrator/engine/pipeline-engine';
import { reportFailure } from '../../containers/orchestrator/cli/unfinished-run';
import { silentLogger } from '../../stages/shared/logger';

describe('errorLine', () => {
  it('redacts URL tokens and user-info, and escapes control characters', () => {
    expect(errorLine('cannot read http://u:p@127.0.0.1:1/feed.xml?apikey=SUPERSECRET123 \u001b[2J')).toBe(
      'error: cannot read http://[REDACTED]@127.0.0.1:1/feed.xml?apikey=[REDACTED] \\u001b[2J\n'
    );
    expect(unexpectedErrorLine(new Error('GET https://x.test/a?token=abc failed'))).toBe(
      'error: Error: GET https://x.test/a?token=[REDACTED] failed\n'
    );
  });

  it('keeps a failed run’s feed token off stderr', async () => {
    const lines: string[] = [];
    const failure = new PipelineFailedError({
      stage: 'discover',
      name: 'FatalStageError',
      message: 'cannot read the feed http://127.0.0.1:18931/feed.xml?apikey=SUPERSECRET123',
    });
    const code = await reportFailure(
      failure,
      { runId: 'r1', logger: silentLogger },
      { write: (line: string) => lines.push(line) > 0 }
    );
    expect(code).toBe(1);
    expect(lines.join('')).not.toContain('SUPERSECRET123');
  });
});
