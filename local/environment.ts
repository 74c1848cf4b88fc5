/**
 * The local stack's fixed values: the account and credentials it pretends to have, its default port and stage, and
 * where it keeps its files (git-ignored `.local`).
 */
import * as path from 'node:path';
import { PROJECT_ROOT } from '../common/project-paths';

export const DEFAULT_PORT = 3100;
export const DEFAULT_STAGE = 'dev';

const LOCAL_DIR = path.join(PROJECT_ROOT, '.local');
/** Where `npm start` synthesizes the app: not `cdktf.out`, which holds the working directories of deployed stacks. */
export const DEFAULT_SYNTH_DIR = path.join(LOCAL_DIR, 'synth');
/** Where `npm start -- --watch` synthesizes each change, one folder per running process (removed as it stops). */
export const WATCH_SYNTH_ROOT = path.join(LOCAL_DIR, 'synth-watch');
/** The connection details of a running local stack (`npm run smoke` reads them). */
export const DEFAULT_STATE_FILE = path.join(LOCAL_DIR, 'stack.json');
export const DEFAULT_DATA_DIR = path.join(LOCAL_DIR, 'data');
export const DEFAULT_FUNCTIONS_DIR = path.join(LOCAL_DIR, 'functions');

/** The account id in every ARN the local stack makes (AWS's documentation uses twelve zeros too). */
export const LOCAL_ACCOUNT_ID = '000000000000';
/** Dummy credentials for the functions and the local DynamoDB: dynalite checks that requests are signed, not by whom. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
