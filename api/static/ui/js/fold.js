// Folding a dense drawing so that it stays readable. A 2-hop neighbourhood of a mule is
// a few hubs with dozens of neighbours each: drawn whole, any force layout turns it into
// rings of unreadable leaves around each hub. Two folds, both undone by a click:
//  - a node with more than NEIGHBOUR_CAP neighbours keeps the riskiest NEIGHBOUR_CAP
//    and one "+K more" node stands for the rest;
//  - low-risk leaves (band low, one link only) still shown around a node go into one
//    summary node per node.
// Pure: works on plain {id, ...} records, so the page's tests can call it directly.

export const NEIGHBOUR_CAP = 15;
export const LEAF_GROUP_MIN = 3;

function link(adj, a, b, edgeId) {
  const m = adj.get(a);
  if (!m.has(b)) m.set(b, []);
  m.get(b).push(edgeId);
}

/**
 * nodes: [{id, risk, band, keep}] (keep: the start node and explanation-path nodes,
 * never folded); edges: [{id, source, target, keep}]; open: the aggregates the
 * investigator opened, as "low:<hub>" and "more:<hub>"; root: where the walk starts.
 * Returns {hiddenNodes: Set, hiddenEdges: Set, groups: [{id, kind, hub, members}]}.
 */
export function foldPlan(nodes, edges, { cap = NEIGHBOUR_CAP, leafMin = LEAF_GROUP_MIN, open = new Set(), root = null } = {}) {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const adj = new Map(nodes.map((n) => [n.id, new Map()]));
  const keptEdge = new Set(edges.filter((e) => e.keep).map((e) => e.id));
  for (const e of edges) {
    if (!adj.has(e.source) || !adj.has(e.target) || e.source === e.target) continue;
    link(adj, e.source, e.target, e.id);
    link(adj, e.target, e.source, e.id);
  }
  const hiddenNodes = new Set();
  const hiddenEdges = new Set();
  const groups = [];

  // Dense nodes: walk outwards from the start (else from the best-connected node of each
  // part). Each shown node shows at most `cap` of the neighbours nobody reached yet, the
  // riskiest (explanation paths and the start first); the rest wait in its "+K more".
  // Capping links only would not do: in a dense ring every node is someone's top 15.
  const visible = (a, b) => !hiddenNodes.has(b) && adj.get(a).get(b).some((id) => !hiddenEdges.has(id));
  const pinned = (hub, o) => byId.get(o).keep || adj.get(hub).get(o).some((id) => keptEdge.has(id));
  const rank = (o) => Number(byId.get(o).risk ?? -1);
  const reached = new Set();
  const byDegree = [...adj.keys()].sort((a, b) => adj.get(b).size - adj.get(a).size || (a < b ? -1 : 1));
  const roots = (root !== null && root !== undefined && adj.has(root) ? [root] : []).concat(byDegree);
  for (const r of roots) {
    if (reached.has(r)) continue;
    reached.add(r);
    const queue = [r];
    for (let qi = 0; qi < queue.length; qi += 1) {
      const hub = queue[qi];
      const fresh = [...adj.get(hub).keys()].filter((o) => !reached.has(o));
      fresh.sort((a, b) => Number(pinned(hub, b)) - Number(pinned(hub, a)) || rank(b) - rank(a) || (a < b ? -1 : 1));
      const limit = open.has(`more:${hub}`) ? Infinity : cap;
      const rest = fresh.slice(limit).filter((o) => !pinned(hub, o));
      const restSet = new Set(rest);
      for (const o of fresh) {
        reached.add(o);
        if (restSet.has(o)) hiddenNodes.add(o);
        else queue.push(o);
      }
      if (rest.length) groups.push({ id: `fold-more:${hub}`, kind: "more", hub, members: rest });
    }
  }
  // Then the low-risk leaves still shown, grouped by the one node they hang from.
  const leavesOf = new Map();
  for (const n of nodes) {
    if (n.keep || n.band !== "low" || adj.get(n.id).size !== 1) continue;
    const hub = adj.get(n.id).keys().next().value;
    if (open.has(`low:${hub}`) || hiddenNodes.has(hub) || adj.get(hub).size < 2 || !visible(hub, n.id)) continue;
    if (!leavesOf.has(hub)) leavesOf.set(hub, []);
    leavesOf.get(hub).push(n.id);
  }
  for (const [hub, leaves] of leavesOf) {
    if (leaves.length < leafMin) continue;
    for (const l of leaves) {
      hiddenNodes.add(l);
      for (const id of adj.get(l).get(hub)) hiddenEdges.add(id);
    }
    groups.push({ id: `fold-low:${hub}`, kind: "low", hub, members: leaves });
  }

  // A node left without a shown link is folded away with them (the start never is).
  for (const n of nodes) {
    if (n.keep || hiddenNodes.has(n.id) || adj.get(n.id).size === 0) continue;
    if (![...adj.get(n.id).keys()].some((o) => visible(n.id, o))) hiddenNodes.add(n.id);
  }
  return { hiddenNodes, hiddenEdges, groups };
}
