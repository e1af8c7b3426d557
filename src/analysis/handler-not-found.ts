/**
 * Runtime.HandlerNotFound in the user's terms: what the module does export, and how to name
 * one of them the way this target was named (the posted errorMessage stays the runtime's own).
 */

/** How the user named the handler: a file (`file#export`, `--export`), `--handler`, or a template's Handler. */
export type HandlerNaming =
  | { by: 'file'; file: string }
  | { by: 'handler'; handler: string }
  | { by: 'template'; handler: string };

export interface MissingHandlerText {
  /** Appended to the finding's message. */
  exported: string;
  hint: string;
}

/**
 * `exports` as the harness lists them: functions first, marked `name()`, perhaps ending in
 * `…N more`. Without a list (an older harness, a process that died) there is nothing to add.
 */
export function describeMissingHandler(exports: string[] | undefined, naming: HandlerNaming | undefined): MissingHandlerText | null {
  if (!exports) return null;
  const functions = exports.filter((name) => name.endsWith('()')).map((name) => name.slice(0, -2));
  if (exports.length === 0) {
    return {
      exported: 'The module exports nothing.',
      hint: 'Export the handler from this module (`export const handler = async (event) => …`, or `module.exports.handler = …` in CommonJS), or name the module that does.',
    };
  }
  const listed = exports.join(', ');
  if (functions.length === 0) {
    return {
      exported: `The module exports no function; its exports: ${listed}.`,
      hint: 'Export the handler function from this module, or name the module that does.',
    };
  }
  const suggestion = naming ? renameTo(naming, functions[0]!) : null;
  const which = functions.length === 1 ? 'its one function' : 'one of its functions';
  return {
    exported: `The module exports: ${listed}.`,
    hint: suggestion ? `Name ${which}: ${suggestion}.` : `Name ${which} as the handler.`,
  };
}

/** The same target naming another export. */
function renameTo(naming: HandlerNaming, exportPath: string): string {
  switch (naming.by) {
    case 'file':
      return `\`${naming.file}#${exportPath}\` (or \`--export ${exportPath}\`)`;
    case 'handler':
      return `\`--handler ${withExport(naming.handler, exportPath)}\``;
    case 'template':
      return `set the function's handler to \`${withExport(naming.handler, exportPath)}\``;
  }
}

/** `src/app.handler` → `src/app.main`: the module part is the last segment up to its first dot. */
function withExport(handler: string, exportPath: string): string {
  const slash = handler.lastIndexOf('/');
  const dot = handler.indexOf('.', slash + 1);
  return `${dot === -1 ? handler : handler.slice(0, dot)}.${exportPath}`;
}
