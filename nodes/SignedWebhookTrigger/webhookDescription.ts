/**
 * The trigger's webhook description: expression templates (what the editor and older n8n evaluate) plus, for each,
 * a plain function of the node's parameters. n8n 2.x calls these functions instead of its expression engine when
 * the node's parameters hold no expression (n8n-workflow's `webhookDescriptionFields`), so a request needs no
 * expression evaluation to find the method, path and response settings. Older n8n ignores the symbol key.
 * n8n-workflow's helper is not imported because n8n 1.x does not have it; test/unit/trigger checks that each
 * function returns what its template evaluates to.
 */
import type { IWebhookDescription } from 'n8n-workflow';
import { ALL_METHODS, EXTRA_METHOD_REGISTRATIONS, registeredMethods } from './methods';

type Parameters = Record<string, any>;

interface Field {
	template: string;
	resolve: (parameters: Parameters) => unknown;
}

/** n8n-workflow's WEBHOOK_RESOLVERS (a registered symbol, so equal across copies of n8n-workflow). */
export const WEBHOOK_RESOLVERS = Symbol.for('n8n.webhookDescriptionResolvers');

export const webhookFields: Record<'httpMethod' | 'path' | 'responseMode' | 'responseCode' | 'responseData', Field> = {
	httpMethod: {
		// The accepted methods (methods.ts) as a table the expression engine can read: `<choice> <method>` → `POST,GET`.
		template:
			'={{$parameter["options"]["answerOtherMethods"] ? "' +
			ALL_METHODS.join(',') +
			'" : (' +
			JSON.stringify(EXTRA_METHOD_REGISTRATIONS) +
			'[$parameter["provider"] + " " + $parameter["httpMethod"]] || $parameter["httpMethod"])}}',
		resolve: (p) => registeredMethods(p),
	},
	path: { template: '={{$parameter["path"]}}', resolve: (p) => p.path },
	responseMode: { template: '={{$parameter["responseMode"]}}', resolve: (p) => p.responseMode },
	responseCode: { template: '={{$parameter["responseCode"] || 200}}', resolve: (p) => p.responseCode || 200 },
	responseData: {
		template:
			'={{$parameter["responseMode"] === "lastNode" ? $parameter["responseData"] : ($parameter["responseBody"] ? JSON.parse($parameter["responseBody"]) : "noData")}}',
		resolve: (p) => {
			if (p.responseMode === 'lastNode') return p.responseData;
			return p.responseBody ? JSON.parse(p.responseBody) : 'noData';
		},
	},
};

const templates = Object.fromEntries(Object.entries(webhookFields).map(([name, field]) => [name, field.template]));

export const signedWebhookDescription = {
	name: 'default',
	isFullPath: true,
	...templates,
	[WEBHOOK_RESOLVERS]: webhookFields,
} as unknown as IWebhookDescription;
