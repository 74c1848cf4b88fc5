import type { LocalRoute, LocalStackConfig } from './stack';

function quote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The route the ready message shows a call of: a GET without path parameters that demands a scope. */
function exampleRoute(routes: readonly LocalRoute[]): LocalRoute | undefined {
  return routes.find((route) => route.method === 'GET' && !route.path.includes('{') && route.scopes.length > 0);
}

/** The ready message: the connection details, and curl commands to paste for one of the routes served. */
export function readyMessage(
  config: LocalStackConfig,
  routes: readonly LocalRoute[],
  stateFile: string,
  seconds: number,
): string {
  const token =
    `TOKEN=$(curl -s -u ${quote(`${config.clientId}:${config.clientSecret}`)} -d grant_type=client_credentials ` +
    `${quote(config.tokenUrl)} | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`;
  const example = exampleRoute(routes);
  return [
    `Local stack "${config.stage}" ready in ${seconds.toFixed(2)} s; details in ${stateFile}:`,
    JSON.stringify(config, null, 2),
    '',
    `OpenAPI document (import it into Postman or any API tool): ${config.openapiUrl}`,
    '',
    ...(example
      ? [
          'Get a token (all scopes), then call the API:',
          `  ${token}`,
          `  curl -s -H "Authorization: Bearer $TOKEN" ${quote(`${config.apiUrl}${example.path}`)}`,
          '',
          `Only some scopes: add -d scope=${example.scopes[0]} to the token request. Ctrl+C stops.`,
        ]
      : ['Get a token (all scopes):', `  ${token}`, '', 'Ctrl+C stops.']),
  ].join('\n');
}
