'use strict';
/**
 * dynalite in a worker thread of its own, so DynamoDB work runs beside (not on) the gateway's event loop.
 * Posts `{ port }` once listening on 127.0.0.1 (on `workerData.port`, else any free port); on the message `stop`,
 * closes the server (and its LevelDB store) and posts `stopped`.
 */
const { parentPort, workerData } = require('node:worker_threads');
const createDynalite = require('dynalite');

const server = createDynalite({
  ...(workerData.path ? { path: workerData.path } : {}),
  createTableMs: 0,
  deleteTableMs: 0,
  updateTableMs: 0,
});
server.once('error', (error) => parentPort.postMessage({ type: 'error', message: error.message }));
server.listen(workerData.port || 0, '127.0.0.1', () =>
  parentPort.postMessage({ type: 'listening', port: server.address().port }),
);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  server.close(() => parentPort.postMessage({ type: 'stopped' }));
  if (typeof server.closeAllConnections === 'function') server.closeAllConnections();
});
