import type { Linter } from 'eslint';

/** The layering as one ESLint config object (see eslint.boundaries.cjs). */
export declare const boundaries: Linter.Config;
