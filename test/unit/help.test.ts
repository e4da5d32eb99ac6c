import {describe, expect, it} from 'vitest';
import {flagSpec} from '../../source/commands/flags.js';
import {helpText} from '../../source/commands/help.js';

const kebab = (name: string): string => name.replaceAll(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);

describe('--help', () => {
	it('names every flag of the flag table, as a person types it', () => {
		for (const [name, definition] of Object.entries(flagSpec)) {
			const forms = [`--${kebab(name)}`, `--no-${kebab(name)}`, ...('shortFlag' in definition ? [`-${definition.shortFlag}`] : [])];
			expect(forms.some(form => helpText.includes(`${form} `) || helpText.includes(`${form},`)), name).toBe(true);
		}
	});
});
