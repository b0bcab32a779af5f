/** n8n's Respond to Webhook node: from version 1.1 on it runs only after n8n's own Webhook/Form/Chat/Wait nodes. */
export const RESPOND_TO_WEBHOOK_TYPE = 'n8n-nodes-base.respondToWebhook';

export interface DownstreamNode {
	name: string;
	type: string;
	typeVersion: number;
	disabled?: boolean;
}

/**
 * Why Respond "Using 'Respond to Webhook' Node" would fail with these downstream nodes, or undefined if it works.
 * Version 1.1+ throws "No Webhook node found in the workflow" (n8n 2.41 answers 500; n8n 1.x answers 200 with no
 * body): both only after the execution ran, so activation refuses it instead.
 */
export function respondNodeProblem(downstream: DownstreamNode[]): string | undefined {
	const respondNodes = downstream.filter((node) => node.type === RESPOND_TO_WEBHOOK_TYPE && node.disabled !== true);
	const tooNew = respondNodes.find((node) => node.typeVersion !== 1);
	if (tooNew) {
		return `Respond: "${tooNew.name}" is Respond to Webhook version ${tooNew.typeVersion}, which answers only n8n's own Webhook node. Use version 1 of it (paste it from this package's README), or set Respond to When Last Node Finishes.`;
	}
	if (respondNodes.length === 0) {
		return 'Respond: no Respond to Webhook node follows this trigger. Add one at version 1 (paste it from this package\'s README), or set Respond to When Last Node Finishes.';
	}
	return undefined;
}

/**
 * Why this Respond mode cannot work under n8n's Engine 2.0 (workflow settings `engineType: "v2"`, n8n 2.41+ with the
 * engine-v2 module), or undefined. That engine answers every call 400 "does not support the '<mode>' response mode"
 * before any webhook node runs unless the mode is Respond Immediately (EngineV2Webhooks.assertSupported, n8n 2.41.1).
 */
export function engineV2Problem(workflowSettings: { engineType?: unknown } | undefined, responseMode: string): string | undefined {
	if (workflowSettings?.engineType !== 'v2' || responseMode === 'onReceived') return undefined;
	return "Respond: this workflow runs on n8n's Engine 2.0, which accepts only Respond Immediately for webhooks (it would answer every call with 400 before the signature is checked). Set Respond to Immediately, or run the workflow on the default engine.";
}
