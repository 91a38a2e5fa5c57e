// `flowstate/client`: the SDK, which lives in its own package.
export * from '@flowstate/client';
