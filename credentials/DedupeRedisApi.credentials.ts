import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * A Redis server for the Dedupe node (queue mode, several n8n instances): Redis 6.0 or newer, or Valkey. Tested
 * from the node (`testedBy: 'dedupeRedisConnectionTest'`): the test connects, refuses a server older than 6.0
 * with the version it needs, sends PING, and reports (as a failed test, since n8n's editor shows no message for a
 * passed one) a `maxmemory-policy` that can evict dedupe keys, read from `INFO memory`.
 */
export class DedupeRedisApi implements ICredentialType {
	name = 'dedupeRedisApi';

	displayName = 'Dedupe Redis API';

	icon: Icon = { light: 'file:icons/dedupeRedis.svg', dark: 'file:icons/dedupeRedis.dark.svg' };

	documentationUrl = 'https://github.com/reliable-webhooks/n8n-nodes-reliable-webhooks#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Host',
			name: 'host',
			type: 'string',
			required: true,
			default: 'localhost',
		},
		{
			displayName: 'Port',
			name: 'port',
			type: 'number',
			required: true,
			default: 6379,
		},
		{
			displayName: 'Database Number',
			name: 'database',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			description: 'Redis 6+ ACL user name. Leave empty for the default user.',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'SSL/TLS',
			name: 'tls',
			type: 'boolean',
			default: false,
		},
		{
			displayName: 'Verify Server Certificate',
			name: 'tlsRejectUnauthorized',
			type: 'boolean',
			default: true,
			displayOptions: { show: { tls: [true] } },
			description: 'Whether to refuse a server whose TLS certificate does not verify. Turn off only for self-signed test servers.',
		},
		{
			displayName: 'Key Prefix',
			name: 'prefix',
			type: 'string',
			default: 'n8n:dedupe:',
			description: 'Put in front of every key the node writes, so that it shares a Redis database safely with other uses',
		},
	];
}
