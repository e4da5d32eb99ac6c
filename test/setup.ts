// Ink renders only the final frame when CI is set; UI tests need normal frames.
delete process.env['CI'];
delete process.env['CONTINUOUS_INTEGRATION'];
process.env['FORCE_COLOR'] = '0';
