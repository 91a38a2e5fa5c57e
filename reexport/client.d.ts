export * from '@flowstate/client';
