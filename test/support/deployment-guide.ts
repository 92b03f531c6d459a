/**
 * The examples of the deployment guide (docs/DEPLOIEMENT.md), read from the guide itself so that the tests try
 * what an operator copies: each example is the fenced block whose first line names the file it becomes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const GUIDE = join(import.meta.dirname, '..', '..', 'docs', 'DEPLOIEMENT.md');

/** The lines of the block whose first line is `# <path>` (and maybe a remark after it), without that line. */
export function guideExample(path: string): string {
  const blocks = readFileSync(GUIDE, 'utf8').split(/^```[a-z]*\n/m);
  const block = blocks.find((text) => text.startsWith(`# ${path}\n`) || text.startsWith(`# ${path} `));
  if (!block) throw new Error(`Le guide de déploiement n’a plus d’exemple « ${path} ».`);
  return block.slice(block.indexOf('\n') + 1).split(/^```$/m)[0]!;
}

/** The `{ … }` block that follows `opening` in an nginx or Caddy example, braces included. */
export function bracedBlock(text: string, opening: string): string {
  const start = text.indexOf(opening);
  if (start < 0) throw new Error(`« ${opening} » est introuvable dans l’exemple.`);
  let depth = 0;
  for (let index = text.indexOf('{', start); index < text.length; index++) {
    if (text[index] === '{') depth++;
    if (text[index] === '}' && --depth === 0) return text.slice(start, index + 1);
  }
  throw new Error(`« ${opening} » n’est pas refermé dans l’exemple.`);
}
