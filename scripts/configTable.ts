/** Prints the README's configuration table from the schema: `npx tsx scripts/configTable.ts`. */
import { CONFIG_FIELDS, DEFAULT_CONFIG } from '../src/shared/config';

const rows = CONFIG_FIELDS.map(field => {
  const range = field.type === 'enum' ? field.options.map(o => `\`${o}\``).join(' \\| ')
    : field.type === 'bool' ? '`true` \\| `false`'
    : `${field.min} – ${field.max}`;
  return `| \`${field.key}\` | ${field.group} | \`${JSON.stringify(DEFAULT_CONFIG[field.key])}\` | ${range} | ${field.help.replace(/\|/g, '\\|')} |`;
});
console.log(['| key | group | default | values | meaning |', '| --- | --- | --- | --- | --- |', ...rows].join('\n'));
