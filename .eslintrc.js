/** eslint-plugin-n8n-nodes-base rule sets, as in n8n's community-node starter. */
module.exports = {
	root: true,
	env: { browser: false, es6: true, node: true },
	parser: '@typescript-eslint/parser',
	parserOptions: {
		project: ['./tsconfig.json'],
		sourceType: 'module',
		extraFileExtensions: ['.json'],
	},
	ignorePatterns: ['.eslintrc.js', '**/*.js', '**/node_modules/**', '**/dist/**'],
	overrides: [
		{
			files: ['package.json'],
			plugins: ['eslint-plugin-n8n-nodes-base'],
			extends: ['plugin:n8n-nodes-base/community'],
			rules: {
				// Our runtime dependencies (ioredis, ipaddr.js) are deliberate; see README "Dependencies".
				'n8n-nodes-base/community-package-json-name-still-default': 'off',
			},
		},
		{
			files: ['./credentials/**/*.ts'],
			plugins: ['eslint-plugin-n8n-nodes-base'],
			extends: ['plugin:n8n-nodes-base/credentials'],
			rules: {
				'n8n-nodes-base/cred-class-field-documentation-url-missing': 'error',
				'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			},
		},
		{
			files: ['./nodes/**/*.ts'],
			plugins: ['eslint-plugin-n8n-nodes-base'],
			extends: ['plugin:n8n-nodes-base/nodes'],
			rules: {
				'n8n-nodes-base/node-execute-block-missing-continue-on-fail': 'error',
				'n8n-nodes-base/node-resource-description-filename-against-convention': 'error',
				'n8n-nodes-base/node-param-fixed-collection-type-unsorted-items': 'error',
				'no-console': 'error',
			},
		},
		{
			// A node's description lives in description.ts beside it, as in n8n's own Webhook node; the rule expects it in *.node.ts.
			files: ['./nodes/*/description.ts'],
			rules: { 'n8n-nodes-base/node-filename-against-convention': 'off' },
		},
		{
			// The pure core is usable without n8n (index.js, unit tests): no n8n package and nothing from the node adapters.
			files: ['./nodes/core/**/*.ts'],
			rules: {
				'no-restricted-imports': [
					'error',
					{
						patterns: [
							{ group: ['n8n-*', '@n8n/*'], message: 'nodes/core is the pure core: no n8n imports here.' },
							{ group: ['**/SignedWebhookTrigger/*', '**/Dedupe/*', '**/ReliableHttpForward/*', '**/credentials/*'], message: 'nodes/core must not import the node adapters or credentials.' },
						],
					},
				],
			},
		},
	],
};
