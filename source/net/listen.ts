import type {Server} from 'node:net';
import {portHolders} from './kernel-watch.js';
import type {EventBus} from '../bus.js';
import type {Endpoint} from '../events.js';
import {familyOf, resolveHost} from './address.js';
import {ExplainedError, explainBindError} from './errors.js';

/**
 * Resolves `host`, binds and listens (exclusively: two of us never share a port). A failure is
 * published as server.error and thrown as an ExplainedError; later errors of the listener are
 * published too. Resolves with the address bound (the real port for port 0).
 */
export async function listenTcp(server: Server, bus: EventBus, {host, port, backlog}: {readonly host: string; readonly port: number; readonly backlog: number}): Promise<Endpoint> {
	try {
		const {address} = await resolveHost(host);
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen({host: address, port, backlog, exclusive: true}, () => {
				server.off('error', reject);
				resolve();
			});
		});
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		const explained = explainBindError(error, host, port, 'TCP', code === 'EADDRINUSE' && port !== 0 && portHolders(port)?.timeWaitOnly === true);
		bus.publish({type: 'server.error', host, port, ...explained});
		throw new ExplainedError(explained);
	}

	const bound = server.address();
	if (bound === null || typeof bound === 'string') {
		throw new Error('TCP listener has no address after listen');
	}

	const endpoint: Endpoint = {address: bound.address, port: bound.port, family: familyOf(bound.family, bound.address)};
	server.on('error', error => {
		const explained = explainBindError(error, host, endpoint.port, 'TCP');
		bus.publish({type: 'server.error', host, port: endpoint.port, ...explained});
	});
	return endpoint;
}
