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
