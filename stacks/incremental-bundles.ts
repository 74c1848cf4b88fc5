import { context as esbuildContext, type BuildContext } from 'esbuild';
import {
  BUNDLE_OUTPUT,
  findBundleBuild,
  storeBundleBuild,
  type BundleBuild,
  type BundleOutputOptions,
} from './bundling';

export { requestedBundleBuilds } from './bundling';

/**
 * Keeps the bundles of a long-lived process (`npm start -- --watch`'s synthesis process) current with esbuild's
 * incremental builds: esbuild keeps every file it parsed in memory and, on a rebuild, parses again only the files
 * that changed (https://esbuild.github.io/api/#incremental). A function is a few of the project's files and several
 * hundred of the AWS SDK's, so an edit costs a fraction of a fresh build.
 *
 * {@link refresh} runs before a synthesis: each bundle the last one asked for whose inputs changed is rebuilt into
 * the bundle cache, where the synthesis then finds it (bundling.ts still checks every input's content, so a stale
 * build is never used). {@link track} runs after it, with the builds it asked for.
 */
export class IncrementalBundles {
  private readonly contexts = new Map<
    string,
    { readonly build: BundleBuild; readonly context: BuildContext<BundleOutputOptions> }
  >();

  /** Rebuilds, into the bundle cache, every tracked bundle whose inputs changed. */
  async refresh(): Promise<void> {
    for (const { build, context } of this.contexts.values()) {
      if (findBundleBuild(build) !== undefined) continue;
      // A failed build (a syntax error, say) is reported by the synthesis, which builds it again itself.
      const output = await context.rebuild().catch(() => undefined);
      if (output) storeBundleBuild(build, output);
    }
  }

  /**
   * Keeps a context for each of `builds` (what the last synthesis bundled) and drops the others. A new context
   * builds once now, so that the first edit after it is already incremental.
   */
  async track(builds: readonly BundleBuild[]): Promise<void> {
    const wanted = new Set(builds.map((build) => build.key));
    for (const [key, { context }] of this.contexts) {
      if (wanted.has(key)) continue;
      this.contexts.delete(key);
      await context.dispose();
    }
    for (const build of builds) {
      if (this.contexts.has(build.key)) continue;
      // Silent: the synthesis builds a failing bundle itself and prints why.
      const created = await esbuildContext({ ...build.buildOptions, ...BUNDLE_OUTPUT, logLevel: 'silent' as const });
      this.contexts.set(build.key, { build, context: created });
      await created.rebuild().catch(() => undefined);
    }
  }

  /** Stops every context. */
  async dispose(): Promise<void> {
    for (const { context } of this.contexts.values()) await context.dispose();
    this.contexts.clear();
  }
}
