/**
 * What the editor's trigger panel (left of the parameters) says about test and production mode, declared the way
 * n8n's own Webhook node declares it (n8n-nodes-base Webhook.node, `triggerPanel`).
 *
 * n8n's editor (TriggerPanel, 1.123 and 2.41 alike) reads three fields: `header` (the title above "Listen for test
 * event"), `executionsHelp` (HTML in the "When will this node trigger my flow?" accordion) and `activationHint`
 * (a line under the button). All three are plain strings: none is evaluated as an expression, so none can hold the
 * node's own URL. While listening, the editor prints the test URL only for its own Webhook node type (a type check in
 * TriggerPanel); every other trigger gets "Go to <service> and create an event". So the header says to send to the
 * Test URL, and the help says where n8n shows it (the "Webhook URLs" section above the parameters) and what it is.
 */
import type { TriggerPanelDefinition } from 'n8n-workflow';

/** Said in both modes' help: where the URLs are and what a URL-signing provider needs. */
const whereAndUrlSigning =
	'The URLs are under <b>Webhook URLs</b> at the top of the parameters: <b>Test URL</b> is ' +
	'<code>…/webhook-test/&lt;path&gt;</code>, <b>Production URL</b> is <code>…/webhook/&lt;path&gt;</code>.<br /><br />' +
	'<b>Twilio, Square, HubSpot</b> (and Generic HMAC with <code>{url}</code>) sign the URL itself: while testing, ' +
	'have the sender sign for the Test URL (or use <code>npx reliable-webhooks-send</code> with <code>--url</code> set ' +
	'to it), and for the Production URL once published. Leave the <b>Public URL</b> option empty for that: it holds ' +
	'one URL for both modes, so set it only when the sender calls another address than the one n8n shows.';

const testMode =
	'<b>Test mode, while you build</b>: click the button above (<i>Execute step</i>: n8n then listens for a test ' +
	'event), then send a signed request to the ' +
	'<b>Test URL</b>. A delivery whose signature verifies shows its item here and ends the listening. ' +
	'A forged or unsigned one is answered 401 at once, starts nothing, and the editor keeps listening.<br /><br />';

/** The trigger panel of the Signed Webhook Trigger (INodeTypeDescription `triggerPanel`). */
export const triggerPanel: TriggerPanelDefinition = {
	header: 'Listen, then send a signed request to the Test URL',
	executionsHelp: {
		inactive:
			testMode +
			'<b>Production mode</b>: publish the workflow (activate it on n8n 1.x); from then on the sender calls the ' +
			'<b>Production URL</b> and each verified delivery runs the workflow. Those executions show in the executions ' +
			'list, not in the editor.<br /><br />' +
			whereAndUrlSigning,
		active:
			testMode +
			'<b>Production mode</b>: the workflow is published, so deliveries to the <b>Production URL</b> run it. Those ' +
			'executions show in the <a data-key="executions">executions list</a>, not in the editor.<br /><br />' +
			whereAndUrlSigning,
	},
	activationHint:
		"Once it works, publish the workflow and have the sender call the Production URL: no click needed, and those executions won't show here.",
};
