// Copies the browser libraries the web interface uses from node_modules into the Python
// package (src/sanctionsnet/web/static/), with their licences and a manifest of what was
// copied. Run after `npm ci`:  cd web-src && npm ci && npm run build
// Build time only: the server never runs node, and the browser never loads from a CDN.
import { createHash } from "node:crypto";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, "..", "src", "sanctionsnet", "web", "static");
const lock = JSON.parse(readFileSync(join(here, "package-lock.json"), "utf8"));

// name -> [file in the npm package, file in static/, licence file in the package]
const ASSETS = {
  cytoscape: ["dist/cytoscape.min.js", "cytoscape.min.js", "LICENSE"],
};

const manifest = {};
for (const [name, [file, out, licence]] of Object.entries(ASSETS)) {
  const root = join(here, "node_modules", name);
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const locked = lock.packages[`node_modules/${name}`];
  if (!locked || locked.version !== pkg.version) {
    throw new Error(`${name}: node_modules does not match package-lock.json; run npm ci`);
  }
  copyFileSync(join(root, file), join(target, out));
  const licenceOut = out.replace(/\.min\.js$/, "") + ".LICENSE.txt";
  copyFileSync(join(root, licence), join(target, licenceOut));
  const digest = createHash("sha256").update(readFileSync(join(target, out))).digest("hex");
  manifest[name] = {
    version: pkg.version,
    license: pkg.license,
    file: out,
    license_file: licenceOut,
    sha256: digest,
    npm_integrity: locked.integrity,
    from: `${name}@${pkg.version}/${file}`,
  };
  console.log(`${name} ${pkg.version}: ${file} -> static/${out} (sha256 ${digest.slice(0, 12)})`);
}
writeFileSync(join(target, "vendor.json"), JSON.stringify(manifest, null, 2) + "\n");
