import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IExecuteFunctions,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { checkRedisConnection } from '../core/dedupe';
import { dedupeDescription } from './description';
import { executeDedupe, redisSettingsFromCredential } from './execute';

/** Dedupe: the first delivery of each key goes to New, repeats to Duplicate (see description.ts and nodes/core/dedupe). */
export class Dedupe implements INodeType {
	description: INodeTypeDescription = dedupeDescription;

	methods = {
		credentialTest: {
			async dedupeRedisConnectionTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				try {
					const { reply, evictionWarning } = await checkRedisConnection(redisSettingsFromCredential(credential.data ?? {}));
					// n8n's editor shows only an Error's message (an OK message is dropped), so a server that can
					// silently drop dedupe keys is reported as an Error; the credential still saves and works.
					if (evictionWarning !== undefined) return { status: 'Error', message: `Connected (PING answered ${reply}), but: ${evictionWarning}` };
					return { status: 'OK', message: `Connected: PING answered ${reply}` };
				} catch (error) {
					return { status: 'Error', message: (error as Error).message };
				}
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeDedupe(this);
	}
}
