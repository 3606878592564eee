/** Reads a JSON file a user pointed at; every failure is a ValidationError naming the file. */
import { readFile } from 'node:fs/promises';
import { ValidationError } from '../../../stages/shared/errors';

export async function readJsonFile(file: string, label: string, field: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ValidationError(`cannot read ${label} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, field);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ValidationError(`${label} ${file} is not valid JSON: ${(error as Error).message}`, field);
  }
}
