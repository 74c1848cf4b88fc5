/**
 * Which function contract describes the function behind a Lambda integration. A function built by the stacks'
 * NodeFunction deploys `<bundleName>.zip` (stacks/bundling.ts names the zip after the bundle), so the asset's file
 * name says which code it runs.
 */
import * as path from 'node:path';
import { CATEGORIES_CONTRACT } from '../functions/categories/contract';
import type { FunctionContract, OperationContract, ResponseContract } from '../functions/shared/http-contract';
import type { Resource } from '../synth/stack-json';

/** The contracts of the functions this project builds, by bundle name. */
const CONTRACTS: Readonly<Record<string, FunctionContract>> = { categories: CATEGORIES_CONTRACT };

/** What the function behind a route promises for it. */
export interface RouteContract {
  /** `undefined` for a route the function does not serve. */
  readonly operation: OperationContract | undefined;
  /** Every status the function may answer for the route, success first. */
  readonly responses: ReadonlyMap<number, ResponseContract>;
}

/** The contract of the function `lambda` for `METHOD /path`; `undefined` when the function has none known. */
export function routeContract(lambda: Resource, route: string): RouteContract | undefined {
  const filename = lambda.config.filename;
  const contract = typeof filename === 'string' ? CONTRACTS[path.basename(filename, '.zip')] : undefined;
  if (!contract) return undefined;
  const operation = Object.hasOwn(contract.operations, route) ? contract.operations[route] : undefined;
  const own: [number, ResponseContract][] = operation
    ? [[operation.success.status, operation.success], ...Object.entries(operation.errors).map(toEntry)]
    : Object.entries(contract.unknownRoute).map(toEntry);
  return { operation, responses: new Map([...own, ...Object.entries(contract.common).map(toEntry)]) };
}

function toEntry([status, response]: [string, ResponseContract]): [number, ResponseContract] {
  return [Number(status), response];
}
