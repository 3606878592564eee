import { makeLambdaHandler } from '../shared/lambda-entry';

export const handler = makeLambdaHandler('review');
