/**
 * Checks made before a run starts, so a bad folder is bad input (exit 2, naming the flag) and not
 * a failure after the work is done: the folder must be a folder, or not exist yet under a
 * writable folder. Nothing is created here.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { ValidationError } from '../../../stages/shared/errors';

/** The folder `dir` (named by `flag`) can be created or written: its nearest existing ancestor is a writable folder. */
export async function checkFolderArg(dir: string, flag: string): Promise<void> {
  for (let probe = dir; ;) {
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(probe)).isDirectory();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ENOTDIR: some ancestor is a file; keep climbing to name it.
      if (code !== 'ENOENT' && code !== 'ENOTDIR')
        throw new ValidationError(
          `${flag} ${dir}: cannot check ${probe}: ${code ?? (error as Error).message}`,
          flag
        );
      const parent = path.dirname(probe);
      if (parent === probe) return;
      probe = parent;
      continue;
    }
    if (!isDirectory) {
      throw new ValidationError(
        probe === dir
          ? `${flag} ${dir} is a file, not a folder`
          : `${flag} ${dir}: ${probe} is a file, not a folder`,
        flag
      );
    }
    try {
      await access(probe, constants.W_OK);
    } catch {
      throw new ValidationError(`${flag} ${dir}: ${probe} is not writable`, flag);
    }
    return;
  }
}
