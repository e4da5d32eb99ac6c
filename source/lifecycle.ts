/**
 * Resolves with the name of the first of SIGINT, SIGTERM or SIGHUP to arrive, so the caller
 * can close every socket, publish the closing events and exit 0. A second signal while
 * shutting down exits at once (the user insists).
 */
export async function untilSignal(): Promise<NodeJS.Signals> {
	const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
	return new Promise(resolve => {
		const onSignal = (signal: NodeJS.Signals): void => {
			for (const name of signals) {
				process.off(name, onSignal);
				process.once(name, () => process.exit(130));
			}

			resolve(signal);
		};

		for (const name of signals) {
			process.on(name, onSignal);
		}
	});
}
