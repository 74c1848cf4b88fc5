'use strict';
/**
 * Preloaded (`--require`, through NODE_OPTIONS, so every Node.js process of a command tree loads it): at exit,
 * appends this process's peak resident memory in MB, one line, to the file `PEAK_RSS_FILE` names.
 */
const fs = require('node:fs');

const file = process.env.PEAK_RSS_FILE;
if (file) {
  process.on('exit', () => {
    // maxRSS is in kilobytes.
    fs.appendFileSync(file, `${process.resourceUsage().maxRSS / 1024}\n`);
  });
}
