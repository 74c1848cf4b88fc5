/** Request bodies and content types for the hostile requests. */
import { gzipSync } from 'node:zlib';
import { uuid, type Random } from './random';

/** Bodies the API must refuse under any content type (as text, before encoding). */
export function invalidBodies(random: Random): Array<[string, Buffer]> {
  const text = (label: string, value: string): [string, Buffer] => [label, Buffer.from(value, 'utf8')];
  const json = (label: string, value: unknown): [string, Buffer] => text(label, JSON.stringify(value));
  const id = uuid(random);
  return [
    text('empty body', ''),
    text('blank body', '  \n\t '),
    text('lone brace', '{'),
    text('unterminated object', '{"name":"x"'),
    text('unterminated string', '{"name":"x}'),
    text('trailing comma', '{"name":"x",}'),
    text('single quotes', "{'name':'x'}"),
    text('unquoted key', '{name:"x"}'),
    text('NaN value', '{"name":NaN}'),
    text('Infinity value', '{"name":Infinity}'),
    text('two objects', '{"name":"x"}{"name":"y"}'),
    text('trailing garbage', '{"name":"x"} trailing'),
    text('comment', '{"name":"x" /* c */}'),
    text('null', 'null'),
    text('true', 'true'),
    text('number', '42'),
    text('string', '"name"'),
    text('array', '[]'),
    json('array of objects', [{ name: 'x' }]),
    json('empty object', {}),
    json('description only', { description: 'no name' }),
    json('name a number', { name: 123 }),
    json('name null', { name: null }),
    json('name true', { name: true }),
    json('name an array', { name: ['x'] }),
    json('name an object', { name: { first: 'x' } }),
    json('description a number', { name: 'x', description: 5 }),
    json('description null', { name: 'x', description: null }),
    json('description an array', { name: 'x', description: ['d'] }),
    json('read-only id', { name: 'x', id }),
    json('read-only version', { name: 'x', version: 1 }),
    json('read-only version 99', { name: 'x', version: 99 }),
    json('read-only createdAt', { name: 'x', createdAt: '2020-01-01T00:00:00.000Z' }),
    json('read-only updatedAt', { name: 'x', updatedAt: '2020-01-01T00:00:00.000Z' }),
    json('internal createdBy', { name: 'x', createdBy: 'someone-else' }),
    json('internal writeId', { name: 'x', writeId: id }),
    json('unknown field', { name: 'x', admin: true }),
    text('__proto__ field', '{"name":"x","__proto__":{"admin":true}}'),
    text('constructor field', '{"name":"x","constructor":{"prototype":{"admin":true}}}'),
    json('Name capitalised', { Name: 'x' }),
    json('key with a space', { 'name ': 'x' }),
    json('empty name', { name: '' }),
    json('blank name', { name: '   \t ' }),
    json('name of 101 characters', { name: 'n'.repeat(101) }),
    json('name of 101 emoji', { name: '😀'.repeat(101) }),
    json('name with NUL', { name: 'a\u0000b' }),
    json('name with a control character', { name: 'a\u001fb' }),
    json('name with DEL', { name: 'a\u007fb' }),
    json('name with a newline', { name: 'a\nb' }),
    text('name a lone surrogate', '{"name":"\\ud800"}'),
    text('name a lone low surrogate', '{"name":"a\\udc00b"}'),
    json('description of 1001 characters', { name: 'x', description: 'd'.repeat(1001) }),
    json('description with NUL', { name: 'x', description: 'a\u0000b' }),
    text('duplicate key, last invalid', '{"name":"ok","name":123}'),
    text('duplicate key, last empty', '{"name":"ok","name":""}'),
    text('deep array nesting', `${'['.repeat(10_000)}${']'.repeat(10_000)}`),
    text('deep object nesting', `{"name":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`),
    text('70 KB body', JSON.stringify({ name: 'x', description: 'd'.repeat(70_000) })),
    ['base64 of a valid body', Buffer.from(Buffer.from('{"name":"base64"}').toString('base64'))],
    ['gzip of a valid body', gzipSync(Buffer.from('{"name":"gzip"}'))],
    ['UTF-16LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"name":"utf16"}', 'utf16le')])],
    ['UTF-16LE without BOM', Buffer.from('{"name":"utf16"}', 'utf16le')],
    [
      'invalid UTF-8 in an invalid body',
      Buffer.concat([Buffer.from('{"name":5,"x":"'), Buffer.from([0xff, 0xfe, 0xc0, 0xaf]), Buffer.from('"}')]),
    ],
    [
      'random binary',
      Buffer.from(Array.from({ length: 64 + Math.floor(random() * 2048) }, () => Math.floor(random() * 256))),
    ],
  ];
}

/** Bodies that are valid JSON categories: only ever sent with a content type the API refuses, or without a valid token. */
export const VALID_BODIES = ['{"name":"hostile"}', '{"name":"hostile","description":"written by a hostile request"}'];

/** Content types for invalid bodies (anything goes). */
export const ANY_CONTENT_TYPES: ReadonlyArray<string | undefined> = [
  'application/json',
  'application/json; charset=utf-8',
  undefined,
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  'application/octet-stream',
  'application/merge-patch+json',
  'APPLICATION/JSON',
  'application/json; charset=utf-16',
  '',
  ';;;',
  'application/json\t',
];

/** Content types the function refuses (415) even for a valid JSON body. */
export const REFUSED_CONTENT_TYPES: ReadonlyArray<string | undefined> = [
  undefined,
  '',
  'text/plain',
  'text/json',
  'application/x-www-form-urlencoded',
  'application/xml',
  'application/octet-stream',
  'application/javascript',
  'application/json; charset=iso-8859-1',
  'application/json; charset=utf-16',
  'application/jsonx',
  'json',
  'application/json, text/plain',
  '*/*',
  'application/*',
];
