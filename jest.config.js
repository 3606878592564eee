/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022', keepClassNames: true } }] },
  setupFiles: ['<rootDir>/test/setup/polyfills.ts'],
  testTimeout: 60000,
  maxWorkers: process.env.CI ? 2 : '50%',
};
