import {describe, expect, it} from 'vitest';
import {flagSpec} from '../../source/commands/flags.js';
import {commandHelp, helpText} from '../../source/commands/help.js';

const kebab = (name: string): string => name.replaceAll(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);

describe('--help', () => {
	it('names every flag of the flag table, as a person types it', () => {
		for (const [name, definition] of Object.entries(flagSpec)) {
			const forms = [`--${kebab(name)}`, `--no-${kebab(name)}`, ...('shortFlag' in definition ? [`-${definition.shortFlag}`] : [])];
			expect(forms.some(form => helpText.includes(`${form} `) || helpText.includes(`${form},`)), name).toBe(true);
		}
	});
});

describe('COMMAND --help', () => {
	const commands = ['all', 'serve', 'connect', 'send-udp', 'get', 'relay', 'replay'] as const;
	it('lists exactly the flags that apply to the command', () => {
		for (const command of commands) {
			const text = commandHelp(command);
			for (const [name, definition] of Object.entries(flagSpec)) {
				if (name === 'key') {
					continue; // Shown with --cert: "--cert FILE --key FILE".
				}

				const applies = (definition.commands as readonly string[]).includes(command);
				// A flag's entry starts its line: `--port N …`, `-u, --udp …`, `--no-udp …`, `-L   …`.
				const forms = [`--${kebab(name)}`, `--no-${kebab(name)}`, ...('shortFlag' in definition ? [`-${definition.shortFlag}`] : [])];
				const shown = text.split('\n').map(line => line.trimStart()).some(line => forms.some(form => line.startsWith(form) && /^(?:[ ,]|$)/.test(line.slice(form.length))));
				expect(shown, `${command} ${name}`).toBe(applies);
			}
		}
	});
});
