/**
 * Assembles a ProviderSet from the parts a composition root built. A Lambda builds only the
 * providers its stage calls (the plan's `providers`), so its bundle carries no other provider
 * code; asking for a part that was not built is a programming error that names the part.
 */
import type { ProviderKind } from '../../pipeline-plan';
import type { Fetcher, ProviderSet } from '../providers';
import type { SecretRedactor } from './cloud/secret-redaction';

/** How a composition root builds one provider part from its environment. */
export interface ProviderFactory {
  readonly kind: ProviderKind;
  build(env: NodeJS.ProcessEnv, redactor: SecretRedactor): Partial<ProviderSet>;
}

const PART_OF: Record<ProviderKind, keyof ProviderSet> = {
  fetcher: 'fetcher',
  writer: 'writerFor',
  speech: 'speechFor',
  mixer: 'mixer',
  artwork: 'artwork',
};

export function assembleProviders(parts: Partial<ProviderSet>, owner: string): ProviderSet {
  // Without a fetcher the process reads no local files (prepare asks, on every runtime); fetching
  // anything is the same programming error as any other missing part.
  const fetcher: Fetcher = parts.fetcher ?? {
    readsLocalFiles: false,
    fetch: async () => {
      throw new Error(
        `${owner} has no fetcher provider: add it to the stage's plan providers and its handler's factories`
      );
    },
  };
  return new Proxy({ ...parts, fetcher } as ProviderSet, {
    get(target, property) {
      const value = Reflect.get(target, property) as unknown;
      if (
        value !== undefined ||
        typeof property !== 'string' ||
        !Object.values(PART_OF).includes(property as keyof ProviderSet)
      )
        return value;
      throw new Error(
        `${owner} has no ${property} provider: add it to the stage's plan providers and its handler's factories`
      );
    },
  });
}

/** The provider set from these factories, sharing one secret redactor. */
export function providersFromFactories(
  factories: readonly ProviderFactory[],
  env: NodeJS.ProcessEnv,
  redactor: SecretRedactor,
  owner: string
): ProviderSet {
  return assembleProviders(
    Object.assign({}, ...factories.map((f) => f.build(env, redactor))) as Partial<ProviderSet>,
    owner
  );
}
