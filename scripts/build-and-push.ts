#!/usr/bin/env node
/**
 * CI: build the pipeline image (containers/orchestrator/Dockerfile) for linux/arm64 (and
 * optionally linux/amd64) and push it to ECR tagged with the git SHA (immutable; what `cdk deploy`
 * runs by default) and a moving tag (latest).
 *
 *   npm run build-and-push -- --region eu-west-1 --stack PodcastPlatform
 *   npm run build-and-push -- --dry-run --account 123456789012 --region eu-west-1 --repository podcast-platform
 *
 * Checks use the docker and aws CLIs (the AWS SDK has no STS or ECR client installed here, and CI
 * images have both CLIs); see scripts/lib/build-plan.ts for the options and their defaults. The
 * last line of stdout is the image URI with the SHA tag.
 */
import { buildAndPushMain } from './lib/build-and-push-run';
import { spawnRunner } from './lib/command-runner';
import { runMain } from './lib/run-main';

runMain(
  buildAndPushMain(process.argv.slice(2), process.env, {
    run: spawnRunner,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  })
);
