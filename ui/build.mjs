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
