import type { LocalRoute, LocalStackConfig } from './stack';

function quote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The route the ready message shows a call of: a GET without path parameters that demands a scope. */
function exampleRoute(routes: readonly LocalRoute[]): LocalRoute | undefined {
  return routes.find((route) => route.method === 'GET' && !route.path.includes('{') && route.scopes.length > 0);
}

/** One line per consumer: its name, generation(s) and scopes (the credentials are in the state file). */
function consumerLines(config: LocalStackConfig, stateFile: string): string[] {
  const entries = Object.entries(config.consumers);
  if (entries.length === 0) return [];
  const rows = entries.map(([name, consumer]) => {
    const others = Object.keys(consumer.generations).filter((g) => g !== String(consumer.generation));
    const generation = `generation ${consumer.generation}${others.length > 0 ? ` (also ${others.join(', ')})` : ''}`;
    return [name, generation, consumer.scopes.join(' ')];
  });
  const width = (column: number): number => Math.max(...rows.map((row) => row[column].length));
  return [
    `Consumers (their credentials${config.apiKey === undefined ? '' : ' and API keys'} are in ${stateFile} under "consumers"):`,
    ...rows.map(
      ([name, generation, scopes]) => `  ${name.padEnd(width(0))}  ${generation.padEnd(width(1))}  ${scopes}`,
    ),
    '',
  ];
}

/** The ready message: the connection details, the consumers, and curl commands to paste for one of the routes. */
export function readyMessage(
  config: LocalStackConfig,
  routes: readonly LocalRoute[],
  stateFile: string,
  seconds: number,
): string {
  const token =
    `TOKEN=$(curl -s -u ${quote(`${config.clientId}:${config.clientSecret}`)} -d grant_type=client_credentials ` +
    `${quote(config.tokenUrl)} | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`;
  const apiKey = config.apiKey === undefined ? '' : ` -H ${quote(`x-api-key: ${config.apiKey}`)}`;
  const example = exampleRoute(routes);
  const details = Object.fromEntries(Object.entries(config).filter(([key]) => key !== 'consumers'));
  return [
    `Local stack "${config.stage}" ready in ${seconds.toFixed(2)} s; details in ${stateFile}:`,
    JSON.stringify(details, null, 2),
    '',
    ...consumerLines(config, stateFile),
    `OpenAPI document (import it into Postman or any API tool): ${config.openapiUrl}`,
    '',
    ...(example
      ? [
          'Get a token (all scopes), then call the API:',
          `  ${token}`,
          `  curl -s -H "Authorization: Bearer $TOKEN"${apiKey} ${quote(`${config.apiUrl}${example.path}`)}`,
          '',
          ...(apiKey ? ["This stage has usage plans: every API call needs its consumer's x-api-key."] : []),
          `Only some scopes: add -d scope=${example.scopes[0]} to the token request. Ctrl+C stops.`,
        ]
      : ['Get a token (all scopes):', `  ${token}`, '', 'Ctrl+C stops.']),
  ].join('\n');
}
