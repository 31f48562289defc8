// The workbench has no bundler: the page is plain ES modules committed under
// api/static/ui. The build only copies the graph-drawing library (and its licence) from
// node_modules into the served vendor folder, which is a gitignored build output.
import { copyFileSync, mkdirSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const vendor = join(here, "..", "api", "static", "ui", "vendor");
const files = [
  ["cytoscape/dist/cytoscape.min.js", "cytoscape.min.js"],
  ["cytoscape/LICENSE", "cytoscape.LICENSE.txt"],
  // The force-directed layout (fcose) and the two libraries it is built on, loaded in
  // this order by index.html; fcose registers itself with the global cytoscape.
  ["layout-base/layout-base.js", "layout-base.js"],
  ["layout-base/LICENSE", "layout-base.LICENSE.txt"],
  ["cose-base/cose-base.js", "cose-base.js"],
  ["cose-base/LICENSE", "cose-base.LICENSE.txt"],
  ["cytoscape-fcose/cytoscape-fcose.js", "cytoscape-fcose.js"],
  ["cytoscape-fcose/LICENSE", "cytoscape-fcose.LICENSE.txt"],
];

mkdirSync(vendor, { recursive: true });
for (const [from, to] of files) {
  const src = join(here, "node_modules", from);
  if (!existsSync(src)) {
    console.error(`missing ${src}: run 'npm ci' in ui/ first`);
    process.exit(1);
  }
  copyFileSync(src, join(vendor, to));
  console.log(`copied ${from} -> api/static/ui/vendor/${to}`);
}
