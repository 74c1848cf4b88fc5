import type { Linter } from 'eslint';

/** The layering as ESLint config objects (see eslint.boundaries.cjs). */
export declare const boundaries: Linter.Config[];
