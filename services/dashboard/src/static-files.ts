import { readdir } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticFile {
  /** Absolute path on disk. */
  file: string;
  contentType: string;
}

/**
 * Lists the files under `root` once, at boot, as a map from URL path (`/app.js`, `/views/jobs.js`)
 * to file. Only regular files with a known extension are served; dotfiles and symlinks are skipped.
 * Requests are looked up in this map verbatim, so no request path can reach a file outside it.
 */
export async function listStaticFiles(root: string): Promise<Map<string, StaticFile>> {
  const files = new Map<string, StaticFile>();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        await walk(path);
      } else if (entry.isFile()) {
        const contentType = CONTENT_TYPES[extname(entry.name).toLowerCase()];
        if (contentType === undefined) continue;
        files.set(`/${relative(root, path).split(sep).join('/')}`, { file: path, contentType });
      }
    }
  };
  await walk(root);
  return files;
}
