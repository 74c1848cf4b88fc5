/**
 * The resource server and its scopes: one scope per kind of access, each guarding its own methods. The routes
 * (`platform-stack.ts`) and the consumer registry (`config.ts`) both name scopes by these typed names.
 */
export const RESOURCE_SERVER = 'access_points';
export const SCOPES = [
  { name: 'read', description: 'Read categories' },
  { name: 'write', description: 'Create categories' },
  { name: 'update', description: 'Replace categories' },
  { name: 'delete', description: 'Delete categories' },
] as const;
export type Scope = (typeof SCOPES)[number]['name'];
