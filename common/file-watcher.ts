/**
 * Watches folders (and everything under them) for saved files, and reports each burst of changes once: editors
 * write a file in several steps (a temporary file, a rename, a second write), and a save-all touches many files at
 * once. Editor scratch files (swap, backup and lock files) are not changes.
 *
 * Each folder is watched on its own (`fs.watch` without `recursive`; folders created later are added): on Linux,
 * Node.js 20's `recursive` option watches files rather than folders and loses a file an editor replaces by a rename
 * (`sed -i`, "safe write"), while a folder's watch sees every entry created, renamed or written in it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Quiet time after the last event of a burst, in milliseconds. */
export const DEFAULT_DEBOUNCE_MS = 75;

export interface FileWatcherOptions {
  /** Folders to watch, with everything under them (`node_modules` excepted). */
  readonly folders: readonly string[];
  /** Called once per burst of changes, with the files that changed (absolute paths, sorted). */
  readonly onChange: (files: readonly string[]) => void;
  /** Quiet time after the last event before `onChange` runs, in milliseconds. @default DEFAULT_DEBOUNCE_MS */
  readonly debounceMs?: number;
}

export interface FileWatcher {
  close(): void;
}

const EDITOR_SCRATCH = [
  /~$/, // Emacs, Kate, gedit backups
  /^\.#/, // Emacs lock files
  /^#.*#$/, // Emacs auto-saves
  /^\..*\.sw[a-px]$/, // Vim swap files
  /^4913$/, // Vim's check that it may write in a folder
  /\.(tmp|temp|bak|orig|crswap)$/i, // generic temporaries, Chrome's File System Access swap files
  /___jb_(tmp|old)___$/, // JetBrains safe write
  /^\.goutputstream-/, // GNOME's atomic writes
  /^sed[A-Za-z0-9]{6}$/, // sed -i
  /^\.DS_Store$/,
];

/** Whether a file name is an editor's scratch file (swap, backup, lock, temporary) rather than a source file. */
export function isEditorScratchFile(name: string): boolean {
  return EDITOR_SCRATCH.some((pattern) => pattern.test(name));
}

/** Starts watching; `close` stops it (a burst still waiting is dropped). */
export function watchFolders(options: FileWatcherOptions): FileWatcher {
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  const changed = new Set<string>();
  const watchers = new Map<string, fs.FSWatcher>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const flush = (): void => {
    timer = undefined;
    const files = [...changed].sort();
    changed.clear();
    if (files.length > 0) options.onChange(files);
  };
  const watch = (folder: string): void => {
    if (closed || watchers.has(folder)) return;
    let watcher: fs.FSWatcher;
    try {
      watcher = fs.watch(folder, (_event, name) => {
        if (name === null || isEditorScratchFile(name.toString())) return;
        const file = path.join(folder, name.toString());
        if (isFolder(file)) watchTree(file);
        changed.add(file);
        clearTimeout(timer);
        timer = setTimeout(flush, debounceMs);
      });
    } catch {
      return; // removed meanwhile
    }
    // A watched folder that is removed ends its watch.
    watcher.on('error', () => watchers.delete(folder)).on('close', () => watchers.delete(folder));
    watchers.set(folder, watcher);
  };
  const watchTree = (folder: string): void => {
    if (path.basename(folder) === 'node_modules') return;
    watch(folder);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) if (entry.isDirectory()) watchTree(path.join(folder, entry.name));
  };
  for (const folder of options.folders) watchTree(folder);
  return {
    close: () => {
      closed = true;
      clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}

function isFolder(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}
