'use strict';
/**
 * One Lambda execution environment of the local stack, run in a worker thread with the function's own
 * `process.env` (set by the parent when it creates the worker).
 *
 * Like the Node.js runtime: the handler module is loaded once (init phase) from the task root, modules resolve
 * from the task root and then from NODE_PATH only (where the runtime provides the AWS SDK), events and results
 * cross the boundary as JSON, one invocation runs at a time, and `context.getRemainingTimeInMillis()` counts down
 * to the function's timeout. The parent enforces the timeout by terminating this worker.
 */
const Module = require('node:module');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { parentPort, workerData } = require('node:worker_threads');

const {
  taskRoot,
  handler: handlerSetting,
  functionName,
  memorySize,
  functionArn,
  logGroupName,
  logStreamName,
} = workerData;

function inside(directory, candidate) {
  const relative = path.relative(directory, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

// The task root has no node_modules above it in Lambda: resolution from it must not climb into the project.
const nodeModulePaths = Module._nodeModulePaths;
Module._nodeModulePaths = function localNodeModulePaths(from) {
  const paths = nodeModulePaths.call(this, from);
  return inside(taskRoot, from) ? paths.filter((p) => inside(taskRoot, p)) : paths;
};
Module._initPaths(); // NODE_PATH from this worker's environment

function describeError(error) {
  if (error instanceof Error) {
    return {
      errorType: error.name || 'Error',
      errorMessage: error.message,
      stack: String(error.stack || '').split('\n'),
    };
  }
  return { errorType: 'Error', errorMessage: String(error), stack: [] };
}

async function loadHandler() {
  const dot = handlerSetting.lastIndexOf('.');
  if (dot <= 0)
    throw Object.assign(new Error(`Bad handler ${handlerSetting}`), { name: 'Runtime.MalformedHandlerName' });
  const modulePath = path.resolve(taskRoot, handlerSetting.slice(0, dot));
  const exportName = handlerSetting.slice(dot + 1);
  let loaded;
  try {
    const esm = ['.mjs'].map((ext) => modulePath + ext).find((file) => require('node:fs').existsSync(file));
    loaded = esm ? await import(pathToFileURL(esm).href) : require(modulePath);
  } catch (error) {
    if (error && (error.code === 'ERR_REQUIRE_ESM' || error.code === 'ERR_REQUIRE_ASYNC_MODULE')) {
      loaded = await import(pathToFileURL(require.resolve(modulePath)).href);
    } else if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes(modulePath)) {
      throw Object.assign(new Error(`Cannot find module '${handlerSetting.slice(0, dot)}'`), {
        name: 'Runtime.ImportModuleError',
      });
    } else {
      throw error;
    }
  }
  const fn = loaded ? loaded[exportName] : undefined;
  if (typeof fn !== 'function') {
    throw Object.assign(new Error(`${handlerSetting} is undefined or not exported`), {
      name: 'Runtime.HandlerNotFound',
    });
  }
  return fn;
}

function invoke(fn, event, context) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const callback = (error, result) => {
      if (settled) return;
      settled = true;
      if (error !== null && error !== undefined) reject(error);
      else resolve(result);
    };
    try {
      const returned = fn.length >= 3 ? fn(event, context, callback) : fn(event, context);
      if (returned && typeof returned.then === 'function')
        returned.then(
          (r) => callback(null, r),
          (e) => callback(e || new Error('Rejected')),
        );
      else if (fn.length < 3) callback(null, returned);
    } catch (error) {
      callback(error);
    }
  });
}

let handlerFn;
loadHandler().then(
  (fn) => {
    handlerFn = fn;
    parentPort.postMessage({ type: 'ready' });
  },
  (error) => parentPort.postMessage({ type: 'init-error', error: describeError(error) }),
);

parentPort.on('message', async (message) => {
  if (message.type !== 'invoke') return;
  const { id, event, awsRequestId, deadline, traceId } = message;
  process.env._X_AMZN_TRACE_ID = traceId;
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionArn,
    memoryLimitInMB: String(memorySize),
    awsRequestId,
    logGroupName,
    logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  try {
    const result = await invoke(handlerFn, JSON.parse(event), context);
    // The runtime sends the result to Lambda as JSON: undefined becomes null, dates strings, functions vanish.
    const json = JSON.stringify(result === undefined ? null : result);
    parentPort.postMessage({ type: 'result', id, result: json });
  } catch (error) {
    parentPort.postMessage({ type: 'error', id, error: describeError(error) });
  }
});
