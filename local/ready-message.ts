import type { LocalStackConfig } from './stack';

function quote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The ready message: the connection details and curl commands to paste. */
export function readyMessage(config: LocalStackConfig, stateFile: string, seconds: number): string {
  const token =
    `TOKEN=$(curl -s -u ${quote(`${config.clientId}:${config.clientSecret}`)} -d grant_type=client_credentials ` +
    `${quote(config.tokenUrl)} | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`;
  return [
    `Local stack "${config.stage}" ready in ${seconds.toFixed(2)} s; details in ${stateFile}:`,
    JSON.stringify(config, null, 2),
    '',
    'Get a token (all scopes), then call the API:',
    `  ${token}`,
    `  curl -s -H "Authorization: Bearer $TOKEN" ${quote(`${config.apiUrl}/categories`)}`,
    '',
    'Only some scopes: add -d scope=access_points/read to the token request. Ctrl+C stops.',
  ].join('\n');
}
