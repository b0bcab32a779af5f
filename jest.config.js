/** Four projects: the pure core (unit), official SDKs as an oracle for it (sdk), nodes against real servers (integration), a real n8n (e2e). */
const tsJest = ['ts-jest', { isolatedModules: true, diagnostics: false }];
const base = { testEnvironment: 'node', transform: { '^.+\\.ts$': tsJest } };
module.exports = {
	reporters: ['default', '<rootDir>/test/harness/summary-reporter.js'],
	projects: [
		{ ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
		{ ...base, displayName: 'sdk', testMatch: ['<rootDir>/test/sdk/**/*.test.ts'] },
		{ ...base, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
		{ ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
	],
};
