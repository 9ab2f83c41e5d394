/**
 * Dashboard assets, built in memory with esbuild when the server starts (about a second), so
 * there is no build step to forget and nothing generated to commit.
 */
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Asset {
  body: Buffer;
  type: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));

export async function buildAssets(): Promise<Map<string, Asset>> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [path.join(here, 'dashboard', 'app.tsx')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const js = result.outputFiles[0];
  if (!js) throw new Error('esbuild produced no dashboard bundle');
  const require = createRequire(import.meta.url);
  const uplotCss = await fs.readFile(require.resolve('uplot/dist/uPlot.min.css'));
  const css = await fs.readFile(path.join(here, 'dashboard', 'dashboard.css'));
  return new Map<string, Asset>([
    [
      '/assets/dashboard.js',
      { body: Buffer.from(js.contents), type: 'text/javascript; charset=utf-8' },
    ],
    ['/assets/uplot.css', { body: uplotCss, type: 'text/css; charset=utf-8' }],
    ['/assets/dashboard.css', { body: css, type: 'text/css; charset=utf-8' }],
  ]);
}
