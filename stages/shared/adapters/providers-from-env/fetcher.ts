/** The fetcher part: the UrlFetcher under the policy the environment gives (FETCH_ALLOW_HOSTS). */
import { fetchPolicyFromEnv } from '../fetch/fetch-policy';
import { UrlFetcher } from '../fetch/url-fetcher';
import type { ProviderFactory } from '../provider-set';

export const fetcherFromEnv: ProviderFactory = {
  kind: 'fetcher',
  build: (env) => ({ fetcher: new UrlFetcher({ policy: fetchPolicyFromEnv(env) }) }),
};
