/** Reads a JSON file a user pointed at; every failure is a ValidationError naming the file. */
import { readFile, stat } from 'node:fs/promises';
import { ValidationError } from '../../../stages/shared/errors';
import { checkByteSize } from '../../../stages/shared/input-limits';

/** The file's JSON; refuses a file over `maxBytes` before reading it. */
export async function readJsonFile(
  file: string,
  label: string,
  field: string,
  maxBytes: number
): Promise<unknown> {
  let text: string;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new ValidationError(`${label} ${file} is not a file`, field);
    checkByteSize(info.size, maxBytes, `${label} ${file}`, field);
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    throw new ValidationError(
      `cannot read ${label} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      field
    );
  }
  // A file that grew between the two calls.
  checkByteSize(Buffer.byteLength(text, 'utf8'), maxBytes, `${label} ${file}`, field);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ValidationError(`${label} ${file} is not valid JSON: ${(error as Error).message}`, field);
  }
}
