import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { acknowledgeNagFindings } from '../../infra/bin/nag-acknowledgments';
import { realStack } from './real-stack';

interface Acknowledgment {
  path: string;
  id: string;
  reason: string;
}

/**
 * Every AwsSolutions acknowledgment recorded on the tree (what cdk-nag reads), with the construct
 * it is on. (CDK records its own acknowledgments of CloudFormation-Validate rules too; not ours.)
 */
function acknowledgments(root: IConstruct): Acknowledgment[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        }))
      )
      .filter((ack) => ack.id.startsWith('AwsSolutions-'))
  );
}

const findings = (stack: IConstruct) =>
  new AwsSolutionsChecks().validateScope(stack).violations.flatMap((v) =>
    v.violatingResources.map((r) => ({
      rule: v.ruleName,
      path: r.constructPath ?? '',
      severity: v.severity,
    }))
  );

describe('cdk-nag AwsSolutions checks', () => {
  it('leaves no unacknowledged finding, error or warning, on the stack', () => {
    // Prepare
    const stack = realStack();
    acknowledgeNagFindings(stack);
    // Act
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(stack);
    // Assess
    expect(
      report.violations.map(
        (v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`
      )
    ).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('leaves none on a dev stack either (destroyable tables, buckets and logs)', () => {
    const dev = realStack({ removalPolicy: RemovalPolicy.DESTROY });
    acknowledgeNagFindings(dev);
    expect(findings(dev)).toEqual([]);
  });

  it('leaves none with the GitHub deploy role, whose one acknowledgment is a real finding on it', () => {
    // Prepare: the stack CI deploys (a repository named), without and with acknowledgments.
    const github = { repository: 'octo-org/octo-repo', branch: 'main' };
    const raw = findings(realStack({ githubDeploy: github }));
    const stack = realStack({ githubDeploy: github });
    // Act
    acknowledgeNagFindings(stack);
    // Assess
    expect(findings(stack)).toEqual([]);
    const rolePath = stack.githubDeploy!.role.node.path;
    const onRole = acknowledgments(stack).filter((ack) => ack.path.startsWith(rolePath));
    expect(onRole.map((ack) => ack.id)).toEqual(['AwsSolutions-IAM5[Resource::*]']);
    expect(raw.filter((f) => f.path.startsWith(`${rolePath}/`)).map((f) => f.rule)).toEqual([
      'AwsSolutions-IAM5[Resource::*]',
    ]);
  });

  it('gives every acknowledgment a written reason', () => {
    const stack = realStack();
    acknowledgeNagFindings(stack);
    const acks = acknowledgments(stack);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect([ack.id, ack.reason.trim().length >= 60]).toEqual([ack.id, true]);
    }
  });

  it('acknowledges only findings that exist, on the construct that produces them', () => {
    // Prepare: the raw findings of an identical stack without acknowledgments.
    const raw = findings(realStack());
    const stack = realStack();
    // Act
    acknowledgeNagFindings(stack);
    // Assess: each acknowledgment matches a raw finding at its construct or below.
    for (const ack of acknowledgments(stack)) {
      const matched = raw.some(
        (finding) =>
          finding.rule === ack.id && (finding.path === ack.path || finding.path.startsWith(`${ack.path}/`))
      );
      expect([ack.path, ack.id, matched]).toEqual([ack.path, ack.id, true]);
    }
    // ...and none is acknowledged at the stack level, where it would hide new findings anywhere.
    expect(acknowledgments(stack).filter((ack) => ack.path === stack.node.path)).toEqual([]);
  });

  it('still reports a new wildcard grant (acknowledgments are exact, not blanket)', () => {
    // Prepare: a stage function that is given s3:* on everything.
    const stack = realStack();
    acknowledgeNagFindings(stack);
    const feed = stack.functions.byStage.get('feed');
    feed?.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
    // Act
    const rules = findings(stack).map((f) => f.rule);
    // Assess: the Action wildcard is new and reported (Resource::* on that role is the acknowledged X-Ray one).
    expect(rules).toContain('AwsSolutions-IAM5[Action::s3:*]');
  });
});
