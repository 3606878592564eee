/**
 * `npm run asl`: regenerates stepfunctions/podcast_pipeline.asl.json from the pipeline plan,
 * refusing to write a definition that asl-validator rejects. Commit the result.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildDefinition, DEFINITION_FILE, renderDefinition } from './generate-definition';
import { validateDefinition } from './validate-definition';

const definition = buildDefinition();
const validation = validateDefinition(definition);
if (!validation.isValid) {
  process.stderr.write(`the generated definition is not valid ASL:\n${validation.errors}\n`);
  process.exit(1);
}
writeFileSync(DEFINITION_FILE, renderDefinition(definition));
process.stdout.write(`wrote ${path.relative(process.cwd(), DEFINITION_FILE)}\n`);
