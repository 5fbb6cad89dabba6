/**
 * A deliberately small renderer: `{{name}}` is replaced by the variable's text, nothing else is
 * interpreted (no code, no HTML, no helpers). A template that names a variable the caller does not
 * give is an error, never a message with a hole in it; `placeholdersOf` lets a test check every
 * template against the variables its caller gives.
 */
const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;

export class TemplateVariableMissingError extends Error {
  constructor(readonly variable: string) {
    super(`the template needs the variable ${variable}, which was not given`);
  }
}

export function renderTemplate(template: string, variables: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER, (_match, name: string) => {
    const value = Object.prototype.hasOwnProperty.call(variables, name) ? variables[name] : undefined;
    if (value === undefined) throw new TemplateVariableMissingError(name);
    return value;
  });
}

/** The names a template uses, in order of first use. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((match) => match[1]!))];
}
